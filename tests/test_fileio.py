"""Atomic writes: nothing half-written, modes kept, unchanged files untouched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from locpipe import fileio
from locpipe.fileio import WriteBatch, write_atomic


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_new_file_gets_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path: Path) -> None:
    new = tmp_path / "sub" / "new.po"
    assert write_atomic(new, b"one")
    assert new.stat().st_mode & 0o777 == 0o666 & ~current_umask()
    kept = tmp_path / "kept.po"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    assert write_atomic(kept, b"new")
    assert (kept.read_bytes(), kept.stat().st_mode & 0o777) == (b"new", 0o640)


def test_an_unchanged_file_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"same")
    os.utime(path, ns=(1, 1))
    assert not write_atomic(path, b"same")
    with WriteBatch() as batch:
        assert not batch.write(path, b"same")
    assert path.stat().st_mtime_ns == 1


def test_a_batch_writes_everything_by_close_and_keeps_the_order_per_file(
    tmp_path: Path,
) -> None:
    batch = WriteBatch()
    paths = [tmp_path / f"{number}.po" for number in range(50)]
    for number, path in enumerate(paths):
        assert batch.write(path, b"first %d" % number)
    for number, path in enumerate(paths[:10]):
        assert batch.write(path, b"second %d" % number)
    assert batch.close() == {}
    assert [p.read_bytes() for p in paths[:10]] == [b"second %d" % n for n in range(10)]
    assert [p.read_bytes() for p in paths[10:]] == [b"first %d" % n for n in range(10, 50)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_a_failed_write_is_returned_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked.po"
    blocked.mkdir()  # a directory cannot be replaced by a file, even by root
    batch = WriteBatch()
    assert batch.write(blocked, b"data")
    assert batch.write(tmp_path / "fine.po", b"data")
    failures = batch.close()
    assert list(failures) == [blocked]
    assert isinstance(failures[blocked], IsADirectoryError)
    assert (tmp_path / "fine.po").read_bytes() == b"data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked.po", "fine.po"]


def test_a_writer_is_forked_only_when_no_other_thread_runs() -> None:
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert not fileio._fork_is_safe()
    finally:
        stop.set()
        helper.join()
    assert fileio._fork_is_safe() == (threading.active_count() == 1)


@pytest.mark.parametrize("forked", [True, False], ids=["forked-writer", "thread-writer"])
def test_groups_of_files_are_written_in_order_by_either_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    # The suite's loopback server runs a thread, so the choice is made here.
    monkeypatch.setattr(fileio, "_fork_is_safe", lambda: forked)
    monkeypatch.setattr(fileio, "_SHARED", None)
    batch = WriteBatch()
    # Over _MAX_QUEUED, and in two folders: the forked writer makes each on a lane of its own.
    paths = [tmp_path / "sub" / f"{number % 2}" / f"{number}.po" for number in range(150)]
    for round_ in range(3):
        for number, path in enumerate(paths):
            assert batch.write(path, b"%d %d" % (round_, number))
        expected = fileio._ForkedWriter if forked else fileio._ThreadWriter
        assert isinstance(batch._writer, expected)
    assert batch.close() == {}
    assert [p.read_bytes() for p in paths] == [b"2 %d" % n for n in range(150)]
    assert len(list((tmp_path / "sub").rglob("*"))) == 2 + 150  # no temporary file left


def test_a_process_that_writes_its_own_files_forks_no_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process writes its files itself, in groups, with what a writer does:
    several writes to a file land in order, a failure is returned, no temporary stays."""
    monkeypatch.setattr(fileio, "_INLINE", None)
    monkeypatch.setattr(fileio, "_SHARED", None)
    fileio.write_in_this_process()

    def no_fork() -> int:
        raise AssertionError("a writer process was forked")

    monkeypatch.setattr(os, "fork", no_fork)
    blocked = tmp_path / "blocked.po"
    blocked.mkdir()
    paths = [tmp_path / "sub" / f"{number}.po" for number in range(150)]  # over a group
    with WriteBatch() as batch:
        assert batch.write(blocked, b"data")
        for round_ in range(3):
            for number, path in enumerate(paths):
                assert batch.write(path, b"%d %d" % (round_, number))
        assert isinstance(batch._writer, fileio._InlineWriter)
        failures = batch.close()
    assert list(failures) == [blocked]
    assert isinstance(failures[blocked], IsADirectoryError)
    assert [p.read_bytes() for p in paths] == [b"2 %d" % n for n in range(150)]
    assert len(list((tmp_path / "sub").iterdir())) == 150


def test_a_writer_that_dies_fails_every_file_it_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tests = os.getpid()

    class Killed(fileio._GroupWriter):
        def sync(self) -> None:
            if os.getpid() != tests:  # only ever in the forked writer
                os.kill(os.getpid(), signal.SIGKILL)
            super().sync()

    monkeypatch.setattr(fileio, "_fork_is_safe", lambda: True)
    monkeypatch.setattr(fileio, "_SHARED", None)
    monkeypatch.setattr(fileio, "_GroupWriter", Killed)
    batch = WriteBatch()
    assert batch.write(tmp_path / "a.po", b"a")
    assert batch.write(tmp_path / "b.po", b"b")
    failures = batch.close()
    assert sorted(failures) == [tmp_path / "a.po", tmp_path / "b.po"]
    assert all(isinstance(error, OSError) for error in failures.values())
    assert "stopped" in str(failures[tmp_path / "a.po"])
    assert fileio._SHARED is None  # the next batch forks a new writer
    monkeypatch.setattr(fileio, "_GroupWriter", Killed.__base__)
    batch = WriteBatch()
    assert batch.write(tmp_path / "c.po", b"c")
    assert batch.close() == {}
    assert (tmp_path / "c.po").read_bytes() == b"c"


def test_batches_open_at_once_finish_in_any_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # They share this process's writer; each waits for its own files.
    monkeypatch.setattr(fileio, "_fork_is_safe", lambda: True)
    monkeypatch.setattr(fileio, "_SHARED", None)
    first, second = WriteBatch(), WriteBatch()
    assert first.write(tmp_path / "a.po", b"a")
    assert second.write(tmp_path / "b.po", b"b")
    assert first.close() == {}
    assert (tmp_path / "a.po").read_bytes() == b"a"
    assert second.close() == {}
    assert (tmp_path / "b.po").read_bytes() == b"b"


def test_a_process_waits_for_its_writer_on_the_way_out(tmp_path: Path) -> None:
    # A batch that is never closed still lands before the process is gone, and no writer
    # process outlives it (the pipe would hold the output open until it did).
    script = (
        "import sys; from pathlib import Path; from locpipe.fileio import WriteBatch; "
        "batch = WriteBatch(); "
        "[batch.write(Path(sys.argv[1]) / f'{n}.po', b'x' * 100_000) for n in range(200)]"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, check=True
    )
    assert done.stderr == b""
    assert all((tmp_path / f"{n}.po").read_bytes() == b"x" * 100_000 for n in range(200))


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 70_000, 1_000_003])
def test_read_bytes_reads_what_path_read_bytes_reads(tmp_path: Path, size: int) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(os.urandom(size))
    assert fileio.read_bytes(path) == path.read_bytes()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc (not Linux)")
def test_read_bytes_reads_files_whose_size_says_nothing() -> None:
    status = Path("/proc/self/status")  # st_size 0, text behind it
    assert fileio.read_bytes(status).startswith(b"Name:")


def test_read_bytes_fails_as_path_read_bytes_fails_naming_the_file(tmp_path: Path) -> None:
    for path, error in ((tmp_path / "missing.po", FileNotFoundError), (tmp_path, OSError)):
        with pytest.raises(error) as theirs:
            path.read_bytes()
        with pytest.raises(error) as ours:
            fileio.read_bytes(path)
        assert (ours.value.errno, ours.value.filename) == (theirs.value.errno, str(path))
        assert str(path) in str(ours.value)


@pytest.mark.parametrize("sizes", [(10, 300_000, 10), (70_000, 70_000), (5,) * 40])
def test_files_small_and_large_reach_the_forked_writer_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sizes: tuple[int, ...]
) -> None:
    """Files are held back and sent joined, a large one as it is: each arrives whole."""
    monkeypatch.setattr(fileio, "_fork_is_safe", lambda: True)
    monkeypatch.setattr(fileio, "_SHARED", None)
    contents = [os.urandom(size) for size in sizes]
    paths = [tmp_path / f"{number}.po" for number in range(len(sizes))]
    with WriteBatch() as batch:
        for path, data in zip(paths, contents, strict=True):
            assert batch.write(path, data)
        assert isinstance(batch._writer, fileio._ForkedWriter)
        assert batch.close() == {}
    assert [path.read_bytes() for path in paths] == contents


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_read_bytes_refuses_a_named_pipe_at_once(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    os.mkfifo(path)
    with pytest.raises(OSError, match="not a regular file") as refused:
        fileio.read_bytes(path)
    assert refused.value.filename == str(path)


def test_a_folder_listing_says_absent_only_what_its_folder_did_not_hold(tmp_path: Path) -> None:
    (tmp_path / "a.po").write_text("x", encoding="utf-8")
    (tmp_path / "link.po").symlink_to(tmp_path / "missing.po")  # a broken link is there
    (tmp_path / "file").write_text("x", encoding="utf-8")
    listing = fileio.FolderListing()

    assert not listing.absent(tmp_path / "a.po")
    assert not listing.absent(tmp_path / "link.po")
    assert listing.absent(tmp_path / "b.po")
    assert listing.absent(tmp_path / "no-folder" / "c.po")  # no folder: nothing in it
    assert listing.absent(tmp_path / "file" / "d.po")  # a file where the folder would be
    (tmp_path / "b.po").write_text("x", encoding="utf-8")
    assert listing.absent(tmp_path / "b.po")  # as old as the listing
    listing.forget()
    assert not listing.absent(tmp_path / "b.po")


def test_a_folder_that_cannot_be_listed_says_nothing_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(path: str) -> None:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(fileio.os, "scandir", refused)
    assert not fileio.FolderListing().absent(tmp_path / "b.po")


def test_batches_of_one_stage_clear_a_folder_of_stale_temporaries_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    swept: list[Path] = []
    real = fileio.remove_stale_temporaries

    def counting(folder: Path) -> list[Path]:
        swept.append(folder)
        return real(folder)

    monkeypatch.setattr(fileio, "remove_stale_temporaries", counting)
    stage: set[str] = set()
    for number in range(3):
        with WriteBatch(swept=stage) as batch:
            batch.write(tmp_path / f"{number}.po", b"x")
            batch.write(tmp_path / "sub" / f"{number}.po", b"x")
    assert swept == [tmp_path, tmp_path / "sub"]
    with WriteBatch() as batch:  # a batch on its own clears each folder it writes to
        batch.write(tmp_path / "3.po", b"x")
    assert swept == [tmp_path, tmp_path / "sub", tmp_path]


def test_a_folder_listing_takes_names_as_a_case_insensitive_file_system_would(
    tmp_path: Path,
) -> None:
    # There open("kyiv.po") opens Kyiv.po, and a name may be stored decomposed.
    (tmp_path / "Kyiv.po").write_text("x", encoding="utf-8")
    (tmp_path / "Cafe\u0301.po").write_text("x", encoding="utf-8")
    listing = fileio.FolderListing()
    assert not listing.absent(tmp_path / "kyiv.po")
    assert not listing.absent(tmp_path / "caf\u00e9.po")
    assert listing.absent(tmp_path / "kiev.po")
