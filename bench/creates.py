"""Time creating files in two folders: on one thread, or on two at once.

    python bench/creates.py --files 250 --rounds 5 --deleted 20

What the writer process's lanes rest on (``locpipe.fileio._GroupWriter``): the kernel
creates the files of one folder one after another, under the folder's lock, so two threads
creating files go faster only when each has a folder of its own.  Each file is made as
locpipe makes one: a temporary beside it, written, then renamed into place (not flushed:
this times the creating).  Before each round the folder of the last one is deleted and
as many files again are written and deleted ``--deleted`` times first, which is what the
benchmark's rounds do before a tool runs; on ext4 without a journal that makes creating a
file dearer, since the kernel skips every recently freed inode when it allocates one.  The
three ways run in turn, round by round; the medians are printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

_DATA = b"x" * 6000  # about a catalog's size


def _create(folder: Path, numbers: Iterable[int]) -> None:
    for number in numbers:
        temporary = folder / f".{number}.po.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            os.write(fd, _DATA)
        finally:
            os.close(fd)
        os.replace(temporary, folder / f"{number}.po")


def _fill_and_delete(root: Path, files: int) -> None:
    """Write ``files`` files into each of three folders, then delete them all."""
    for name in ("a", "b", "c"):
        (root / name).mkdir(parents=True)
        for number in range(files):
            (root / name / f"{number}.txt").write_bytes(_DATA)
    shutil.rmtree(root)


def one_thread(first: Path, second: Path, files: int) -> None:
    """Both folders on one thread, a file of each in turn, as one writer thread did."""
    for number in range(files):
        _create(first, [number])
        _create(second, [number])


def two_threads_mixed(first: Path, second: Path, files: int) -> None:
    """Two threads that each make half of the files of both folders."""
    _in_threads(
        lambda: [_create(f, [n]) for n in range(0, files, 2) for f in (first, second)],
        lambda: [_create(f, [n]) for n in range(1, files, 2) for f in (first, second)],
    )


def two_threads_by_folder(first: Path, second: Path, files: int) -> None:
    """A thread for each folder, as the writer's lanes do."""
    _in_threads(lambda: _create(first, range(files)), lambda: _create(second, range(files)))


def _in_threads(*calls: Callable[[], object]) -> None:
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


WAYS = {
    "one thread": one_thread,
    "two threads, both folders": two_threads_mixed,
    "two threads, a folder each": two_threads_by_folder,
}


def main(argv: list[str] | None = None) -> None:
    """Time each way round by round, after the same deletions; print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=250, help="files in each folder")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--deleted", type=int, default=20, help="fill-and-delete cycles first")
    parser.add_argument("--dir", type=Path, help="where to work (default: a temporary folder)")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="locpipe-creates-", dir=args.dir))
    try:
        for _ in range(args.deleted):
            _fill_and_delete(scratch / "old", args.files)
        times: dict[str, list[float]] = {way: [] for way in WAYS}
        for _ in range(args.rounds):
            for way, create in WAYS.items():
                _fill_and_delete(scratch / "old", args.files)
                work = scratch / "work"
                shutil.rmtree(work, ignore_errors=True)
                first, second = work / "templates", work / "en"
                first.mkdir(parents=True)
                second.mkdir()
                started = time.perf_counter()
                create(first, second, args.files)
                times[way].append(time.perf_counter() - started)
        for way, seconds in times.items():
            rounds = " ".join(f"{s * 1000:.0f}" for s in seconds)
            print(f"{way:28s} median {statistics.median(seconds) * 1000:6.1f} ms  ({rounds})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
