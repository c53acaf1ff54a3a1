"""The writer process's groups: a failed flush to disk fails the files it was to make durable.

The real ``syncfs`` cannot be made to fail here (that takes a failing disk), so these tests
put a ``syncfs`` that fails on a chosen call in its place; everything else is real.
"""

from __future__ import annotations

import ctypes
import errno
from collections.abc import Callable
from pathlib import Path

import pytest

from locpipe import fileio

_REAL_SYNCFS = fileio._syncfs()


def _syncfs_failing_at(call: int) -> Callable[[int], int]:
    """A ``syncfs`` that flushes for real, except that its ``call``-th call fails with EIO."""
    real = _REAL_SYNCFS
    assert real is not None, "Linux's syncfs is needed"
    calls = [0]

    def syncfs(fd: int) -> int:
        calls[0] += 1
        if calls[0] == call:
            ctypes.set_errno(errno.EIO)
            return -1
        return real(fd)

    return syncfs


def _write_group(tmp_path: Path) -> tuple[dict[int, OSError], list[Path]]:
    paths = [tmp_path / "nl.po", tmp_path / "sub" / "de.po"]
    paths[0].write_bytes(b"old\n")
    writer = fileio._GroupWriter()
    for path in paths:
        writer.write(path, b"new\n")
    writer.sync()
    return writer.take_all(), paths


def _temporaries(tmp_path: Path) -> list[Path]:
    return [path for path in tmp_path.rglob("*.tmp")]


def test_a_failed_flush_before_the_renames_leaves_every_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = _syncfs_failing_at(1)
    monkeypatch.setattr(fileio, "_syncfs", lambda: failing)
    failures, paths = _write_group(tmp_path)
    assert sorted(failures) == [0, 1]
    assert all(error.errno == errno.EIO for error in failures.values())
    assert paths[0].read_bytes() == b"old\n" and not paths[1].exists()
    assert _temporaries(tmp_path) == []


def test_a_failed_flush_after_the_renames_fails_the_files_it_was_to_make_durable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The renames may not survive a crash: the run must not record them as done."""
    failing = _syncfs_failing_at(2)
    monkeypatch.setattr(fileio, "_syncfs", lambda: failing)
    failures, paths = _write_group(tmp_path)
    assert sorted(failures) == [0, 1]
    assert all(error.errno == errno.EIO for error in failures.values())
    # Each file is whole, old or new; here the renames happened.
    assert [path.read_bytes() for path in paths] == [b"new\n", b"new\n"]
    assert _temporaries(tmp_path) == []
