"""The writer process's groups: how their files are flushed to disk, and what a failed
flush fails.

The real ``syncfs`` cannot be made to fail here (that takes a failing disk), so one test
puts a ``syncfs`` that fails on a chosen call in its place; everything else is real.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


@pytest.mark.parametrize("lanes", [1, 2])
@pytest.mark.parametrize(
    ("failing_call", "contents"),
    [(1, [b"old\n", None]), (2, [b"new\n", b"new\n"])],
    ids=["before-the-renames", "after-the-renames"],
)
def test_a_failed_flush_fails_every_file_of_its_group(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing_call: int,
    contents: list[bytes | None],
    lanes: int,
) -> None:
    """Before the renames, the files stay as they were; after them, each is whole, but the
    renames may not survive a crash, so the run must not record them as done."""
    failing = _syncfs_failing_at(failing_call)
    monkeypatch.setattr(fileio, "_syncfs", lambda: failing)
    paths = [tmp_path / "nl.po", tmp_path / "sub" / "de.po"]
    paths[0].write_bytes(b"old\n")
    writer = fileio._GroupWriter(lanes=lanes)
    for path in paths:
        writer.write(path, b"new\n")
    writer.close()
    failures = writer.take_all()
    assert sorted(failures) == [0, 1]
    assert all(error.errno == errno.EIO for error in failures.values())
    assert [path.read_bytes() if path.exists() else None for path in paths] == contents
    assert not list(tmp_path.rglob("*.tmp"))


def test_lanes_write_each_folder_in_order_and_report_each_failure_by_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three folders on two lanes (the first and third folder on the caller's thread, the
    second on a lane's): every file lands, a file written twice holds its last write, a
    compare-and-swap is checked, and a file that cannot be made fails alone, under its
    own number, on either thread and whatever the error."""
    real = fileio._write_temporary

    def breaking(
        path: Path, data: bytes, *, durable: bool, opened: Callable[[int], None] | None = None
    ) -> Path:
        if path.name == "broken.po":
            raise ValueError("not an OSError")
        return real(path, data, durable=durable, opened=opened)

    monkeypatch.setattr(fileio, "_write_temporary", breaking)
    folders = [tmp_path / name for name in ("templates", "en", "de")]
    caller, lane = folders[:2]
    (lane / "blocked.po").mkdir(parents=True)  # no file can replace a folder
    (lane / "kept.po").write_bytes(b"saved by a translator\n")
    (lane / "swapped.po").write_bytes(b"as read\n")
    writer = fileio._GroupWriter(lanes=2)
    written: dict[Path, bytes] = {}
    for round_ in range(2):
        for index in range(40):
            for folder in folders:
                path = folder / f"{index}.po"
                written[path] = b"%d %s" % (round_, folder.name.encode())
                writer.write(path, written[path])
    twice = lane / "twice.po"
    writer.write(twice, b"first\n")  # both in the last group, on the lane
    numbers = {
        "blocked": writer.write(lane / "blocked.po", b"x"),
        "broken-on-lane": writer.write(lane / "broken.po", b"x"),
        "broken-on-caller": writer.write(caller / "broken.po", b"x"),
        "changed": writer.write(lane / "kept.po", b"ours\n", fileio.digest(b"what was read\n")),
    }
    writer.write(lane / "swapped.po", b"ours\n", fileio.digest(b"as read\n"))
    writer.write(twice, b"last\n")
    writer.close()
    failures = writer.take_all()
    assert sorted(failures) == sorted(numbers.values())
    assert isinstance(failures[numbers["blocked"]], IsADirectoryError)
    for name in ("broken-on-lane", "broken-on-caller"):
        assert failures[numbers[name]].errno == errno.EIO
        assert "ValueError: not an OSError" in str(failures[numbers[name]])
    assert failures[numbers["changed"]].errno == fileio.CHANGED_MEANWHILE
    assert (lane / "kept.po").read_bytes() == b"saved by a translator\n"
    assert (lane / "swapped.po").read_bytes() == b"ours\n"
    assert twice.read_bytes() == b"last\n"
    assert {path: path.read_bytes() for path in written} == written
    assert all(data.startswith(b"1 ") for data in written.values())
    assert not list(tmp_path.rglob("*.tmp"))
    assert [lane is None for lane in writer._lanes] == [True, False]
    assert not _running_lanes(writer)  # close ended them


def _running_lanes(writer: fileio._GroupWriter) -> list[threading.Thread]:
    return [lane._thread for lane in writer._lanes if lane and lane._thread.is_alive()]


class _OutOfMemory(BaseException):
    """Stands for what a write cannot record as a failure of its file."""


def test_an_error_a_lane_cannot_record_is_raised_by_the_sync_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Left on the lane, it would end its thread and the next sync would wait forever; the
    forked writer then dies of it, and its caller fails every file it held."""
    real = fileio._write_temporary

    def failing(path: Path, data: bytes, **options: Any) -> Path:
        if path.parent.name == "en":
            raise _OutOfMemory
        return real(path, data, **options)

    monkeypatch.setattr(fileio, "_write_temporary", failing)
    writer = fileio._GroupWriter(lanes=2)
    writer.write(tmp_path / "templates" / "a.pot", b"x")
    writer.write(tmp_path / "en" / "a.po", b"x")  # the second folder: the lane's
    with pytest.raises(_OutOfMemory):
        writer.sync()
    assert _running_lanes(writer)  # it lived on
    writer.close()
    assert not _running_lanes(writer)


def test_without_a_thread_to_start_the_folders_are_written_on_the_callers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refused)
    writer = fileio._GroupWriter(lanes=2)
    paths = [tmp_path / folder / "a.po" for folder in ("templates", "en", "de")]
    for path in paths:
        writer.write(path, b"x")
    writer.close()
    assert writer.take_all() == {}
    assert [path.read_bytes() for path in paths] == [b"x"] * 3
    assert writer._lanes == [None]


def _write_as(user: int | None, root: Path) -> list[str]:
    """Write a file into each of ``root``'s two folders from a process forked to run as
    ``user``; the files whose write failed."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never back into pytest
        status = 1
        try:
            os.close(read)
            if user is not None:
                os.setgid(user)
                os.setuid(user)
            with fileio.WriteBatch() as batch:
                for name in ("drop/nl.po", "open/de.po"):
                    batch.write(root / name, b"new\n")
                failures = batch.close()
            failed = sorted(str(path.relative_to(root)) for path in failures)
            os.write(write, json.dumps(failed).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with open(read, "rb") as report:
        answer = report.read()
    assert os.waitpid(pid, 0)[1] == 0
    failed: list[str] = json.loads(answer)
    return failed


def test_a_folder_that_can_be_written_to_but_not_listed_takes_its_files() -> None:
    """A drop folder (``-wx``) cannot be opened to flush its file system: its files are
    flushed one by one instead, and no file of the group fails for it."""
    # As root every folder opens: the writes are made as nobody, as a user would make them.
    nobody = 65534 if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="locpipe-drop-"))
    try:
        for name in ("drop", "open"):
            (root / name).mkdir()
        if nobody is not None:
            for folder in (root, root / "drop", root / "open"):
                os.chown(folder, nobody, nobody)
        (root / "drop").chmod(0o300)
        assert _write_as(nobody, root) == []
        (root / "drop").chmod(0o700)
        assert (root / "drop/nl.po").read_bytes() == (root / "open/de.po").read_bytes() == b"new\n"
        assert not list(root.rglob("*.tmp"))
    finally:
        (root / "drop").chmod(0o700)
        shutil.rmtree(root)
