"""Shared fixtures: a project folder in tmp_path holding the seed article."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "articles" / "nl" / "atacms.txt"


def write_project(root: Path, languages: tuple[str, ...] = ("en", "de")) -> Path:
    """A minimal project: locpipe.toml and an empty articles folder."""
    listed = ", ".join(f'"{code}"' for code in languages)
    (root / "articles" / "nl").mkdir(parents=True, exist_ok=True)
    (root / "locpipe.toml").write_text(
        f'source_language = "nl"\nlanguages = [{listed}]\n', encoding="utf-8"
    )
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project in tmp_path with the seed article as articles/nl/atacms.txt."""
    root = write_project(tmp_path / "project")
    shutil.copy(SEED, root / "articles" / "nl" / "atacms.txt")
    return root


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, bytes]]:
    """Every file under a folder with its bytes, to prove a command changed nothing."""

    def take(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    return take
