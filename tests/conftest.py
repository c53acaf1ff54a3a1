"""Shared fixtures: a project folder in tmp_path holding the seed article."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "articles" / "nl" / "atacms.txt"


def write_project(
    root: Path, languages: tuple[str, ...] = ("en", "de"), *, engine: str = "apertium"
) -> Path:
    """A minimal project: locpipe.toml and an empty articles folder.

    Its engine is local (apertium) so that no test ever reaches an online service.
    """
    listed = ", ".join(f'"{code}"' for code in languages)
    (root / "articles" / "nl").mkdir(parents=True, exist_ok=True)
    (root / "locpipe.toml").write_text(
        f'source_language = "nl"\nlanguages = [{listed}]\n\n[pretranslate]\nengine = "{engine}"\n',
        encoding="utf-8",
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


_LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def no_network_but_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach an online service: any address off this machine is refused."""
    import socket

    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        if (
            isinstance(host, str)
            and not host.startswith(_LOOPBACK)
            and self.family != socket.AF_UNIX
        ):
            raise ConnectionRefusedError(f"tests may not connect to {host}")
        real_connect(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if isinstance(host, str) and not host.startswith(_LOOPBACK):
            raise socket.gaierror(f"tests may not resolve {host}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
