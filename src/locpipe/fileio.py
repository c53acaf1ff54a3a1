"""Writing files so that a crash or a full disk never leaves one half-written."""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

# Threads that wait in fsync: on ext4 concurrent fsyncs share one journal commit, so eight
# of them cut the cost of a durable write from about 0.4 ms to about 0.15 ms per file.
_SYNC_THREADS = 8
_MAX_QUEUED = 64


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Returns False, touching nothing, when the file already holds exactly ``data``, so
    unchanged files keep their modification time and re-runs rewrite nothing.
    """
    if _holds(path, data):
        return False
    _replace(path, data)
    return True


class WriteBatch:
    """Atomic writes made durable in the background, many files at a time.

    :meth:`write` decides at once whether a file changes (so callers can report it) and
    keeps the data.  Every ``_MAX_QUEUED`` files the kept ones go to a writer, which writes,
    ``fsync``-s and renames them while the caller goes on; the next group waits for it, so
    at most two groups are held.  Every file is still replaced atomically, and only after
    its data is on disk.  :meth:`close` waits for everything and returns the writes that
    failed; use the batch as a context manager.

    The writer is a forked process where there is one to fork from a single thread, else
    threads.  Writer threads in the caller's process slowed it down: each of their system
    calls handed the GIL over and back, and on a busy machine every hand-over waited for
    the scheduler, which cost more than the writes (about 1.5 ms an article at extract).
    """

    def __init__(self) -> None:
        self._kept: dict[Path, bytes] = {}  # in the order written
        self._writer: _Writer | None = None  # the group being written
        self._failures: dict[Path, OSError] = {}

    def write(self, path: Path, data: bytes) -> bool:
        """Keep ``data`` for ``path``; False, keeping nothing, when the file already holds it."""
        # Two writes to one path land in order, and the second compares with the first.
        if path in self._kept:
            self._flush()
        if self._writer is not None and path in self._writer.paths:
            self._wait()
        if _holds(path, data):
            return False
        self._kept[path] = data
        if len(self._kept) >= _MAX_QUEUED:
            self._flush()
        return True

    def close(self) -> dict[Path, OSError]:
        """Write every kept file and wait; the paths whose last write failed, with the error."""
        self._flush()
        self._wait()
        return dict(self._failures)

    def _flush(self) -> None:
        """Hand the kept files to a new writer, once the previous one is done."""
        if not self._kept:
            return
        self._wait()
        kept, self._kept = self._kept, {}
        self._writer = _ForkedWriter(kept) if _fork_is_safe() else _ThreadWriter(kept)

    def _wait(self) -> None:
        """Wait for the writer, and record how each of its files ended."""
        writer, self._writer = self._writer, None
        if writer is None:
            return
        failures = writer.wait()
        for path in writer.paths:
            error = failures.get(path)
            if error is None:
                self._failures.pop(path, None)
            else:
                self._failures[path] = error

    def __enter__(self) -> WriteBatch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # On an exception, finish what was kept (each write is atomic) and let it propagate.
        self.close()


def _fork_is_safe() -> bool:
    """Whether a writer process can be forked: there is fork, and no other thread.

    fork copies only the thread that calls it; a lock another thread held at that moment
    would stay locked in the child.
    """
    return hasattr(os, "fork") and threading.active_count() == 1


class _Writer:
    """A group of files being written; :meth:`wait` returns the ones that failed."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths

    def wait(self) -> dict[Path, OSError]:
        raise NotImplementedError


class _ThreadWriter(_Writer):
    """Writes a group on threads of this process."""

    def __init__(self, files: dict[Path, bytes]) -> None:
        super().__init__(list(files))
        self._pool = ThreadPoolExecutor(_SYNC_THREADS, thread_name_prefix="locpipe-write")
        self._futures: list[tuple[Path, Future[None]]] = [
            (path, self._pool.submit(_replace, path, data)) for path, data in files.items()
        ]

    def wait(self) -> dict[Path, OSError]:
        failures = {}
        for path, future in self._futures:
            error = future.exception()
            if isinstance(error, OSError):
                failures[path] = error
            elif error is not None:
                failures[path] = OSError(errno.EIO, f"{type(error).__name__}: {error}")
        self._pool.shutdown()
        return failures


class _ForkedWriter(_Writer):
    """Writes a group in a child process, which reports failures through a pipe."""

    def __init__(self, files: dict[Path, bytes]) -> None:
        super().__init__(list(files))
        self._pipe, child_end = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child: write, report, and leave without running any cleanup
            status = 1
            try:
                os.close(self._pipe)
                failures = _ThreadWriter(files).wait()
                report = {
                    str(path): [e.errno, e.strerror or str(e)] for path, e in failures.items()
                }
                data = memoryview(json.dumps(report).encode("utf-8"))
                while data:
                    data = data[os.write(child_end, data) :]
                status = 0
            finally:
                os._exit(status)
        os.close(child_end)

    def wait(self) -> dict[Path, OSError]:
        chunks = []
        with contextlib.suppress(OSError):
            while chunk := os.read(self._pipe, 65536):
                chunks.append(chunk)
        os.close(self._pipe)
        _, status = os.waitpid(self._pid, 0)
        try:
            if status != 0:
                raise ValueError("the writer did not finish")
            report = json.loads(b"".join(chunks))
            return {Path(path): OSError(code, message) for path, (code, message) in report.items()}
        except ValueError:
            # Killed, or out of memory: any of its files may be missing, so none counts.
            lost = OSError(errno.EIO, "the process writing it stopped")
            return dict.fromkeys(self.paths, lost)


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` exists and holds exactly ``data``."""
    try:
        return path.read_bytes() == data
    except OSError:  # missing or unreadable: writing it will say what is wrong
        return False


def _replace(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data``: a temporary file beside it, fsync, rename.

    Only system calls, which release the GIL, so writer threads barely slow the thread that
    queues the work.  A new file gets the usual ``0o666`` less the umask; a replaced one
    keeps its mode.
    """
    try:
        mode: int | None = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = None
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = _create_temporary(path)
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _create_temporary(path: Path) -> tuple[int, Path]:
    """A new file beside ``path``, named after it, this process and a counter."""
    for _ in range(100):
        temp = path.with_name(f".{path.name}.{os.getpid()}-{next(_TEMPORARY_NUMBERS)}.tmp")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temp
        except FileExistsError:  # left by a crashed process that had this pid
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


_TEMPORARY_NUMBERS = itertools.count()
