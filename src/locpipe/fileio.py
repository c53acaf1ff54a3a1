"""Writing files so that a crash or a full disk never leaves one half-written."""

from __future__ import annotations

import atexit
import contextlib
import errno
import functools
import hashlib
import itertools
import json
import os
import re
import stat
import struct
import sys
import threading
import unicodedata
from collections import Counter, deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future

# Threads that wait in fsync: on ext4 concurrent fsyncs share one journal commit, so eight
# of them cut the cost of a durable write from about 0.4 ms to about 0.15 ms per file.
_SYNC_THREADS = 8
_MAX_QUEUED = 64


def write_atomic(
    path: Path, data: bytes, *, expected: str | None = None, durable: bool = True
) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Returns False, touching nothing, when the file already holds exactly ``data``, so
    unchanged files keep their modification time and re-runs rewrite nothing.  With
    ``expected`` it is a compare-and-swap, as :meth:`WriteBatch.write` explains.  Not
    ``durable``, the data is not flushed to disk first: for a cache, which after a crash
    may be old, empty or cut short, and is checked when read.
    """
    if _holds(path, data):
        return False
    remove_stale_temporaries(path.parent)
    _replace(path, data, expected, durable=durable)
    return True


class WriteBatch:
    """Atomic writes made durable in the background while the caller goes on.

    :meth:`write` decides at once whether a file changes (so callers can report it) and
    hands the data to a writer, which writes it beside its file and renames it over it once
    the data is on disk.  Every file is replaced atomically.  :meth:`close` waits for
    everything and returns the writes that failed; use the batch as a context manager, from
    one thread.

    The writer is a process forked once per process (see :func:`_shared_writer`), fed
    through a pipe, that flushes files to disk a group at a time (:class:`_GroupWriter`);
    in a worker process, the worker itself (see :func:`write_in_this_process`); where
    neither can be, threads of this process, at most ``_MAX_QUEUED`` files waiting for the
    disk at a time.  Writer threads in the
    caller's own process slowed it down: each of their system calls handed the GIL over and
    back, and on a busy machine every hand-over waited for the scheduler, which cost more
    than the writes themselves (about 1.5 ms an article at extract).
    """

    def __init__(self, *, swept: set[str] | None = None) -> None:
        """``swept``: the folders already cleared of a killed run's temporaries, shared by
        the batches of one stage (each batch of a worker's chunks listed its folders again:
        a stage of 2,500 articles in chunks of 32 listed each folder 80 times)."""
        self._writer: _ThreadWriter | _ForkedWriter | _InlineWriter | None = None
        self._numbers: dict[Path, list[int]] = {}  # this batch's writes, by the writer's count
        self._failures: dict[Path, OSError] = {}
        self._swept: set[str] = set() if swept is None else swept

    def write(
        self, path: Path, data: bytes, *, expected: str | None = None, seen: str | None = None
    ) -> bool:
        """Hand ``data`` for ``path`` to the writer; False, writing nothing, when the file
        already holds it.

        With ``expected`` (the :func:`content_digest` of what the caller read, or
        :data:`ABSENT`), the write is a compare-and-swap: if the file changed since, it is
        left as it is and the write fails with :data:`CHANGED_MEANWHILE`.  ``seen``, the
        same for a write that is no compare-and-swap, only tells what the file held.
        Either spares reading the file again to see whether it holds ``data`` already.
        """
        writer = self._writer
        pending = False
        if writer is not None and writer.pending(path):
            # Two writes to one path land in order, and the second compares with the first.
            writer.sync()
            pending = True
        known = expected if expected is not None else seen
        if known is None or pending:
            if _holds(path, data):
                return False
        elif known != ABSENT and known == digest(data):
            return False
        # As a string: Path.parent makes a Path, and hashes it, at every write.
        folder = os.path.dirname(path)
        if folder not in self._swept:
            self._swept.add(folder)
            remove_stale_temporaries(path.parent)
        if writer is None:
            writer = self._writer = _shared_writer() or _ThreadWriter()
        self._numbers.setdefault(path, []).append(writer.write(path, data, expected))
        return True

    def close(self) -> dict[Path, OSError]:
        """Wait for every write; the paths whose last write failed, with the error."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.sync()
            for path, numbers in self._numbers.items():
                errors = [writer.take(number) for number in numbers]
                if errors[-1] is None:
                    self._failures.pop(path, None)
                else:
                    self._failures[path] = errors[-1]
            if isinstance(writer, _ThreadWriter):
                writer.shutdown()
        self._numbers.clear()
        return dict(self._failures)

    def __enter__(self) -> WriteBatch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # On an exception, finish what was handed over (each write is atomic) and let it
        # propagate.
        self.close()


def _fork_is_safe() -> bool:
    """Whether a writer process can be forked: there is fork, and no other thread.

    fork copies only the thread that calls it; a lock another thread held at that moment
    would stay locked in the child.
    """
    return hasattr(os, "fork") and threading.active_count() == 1


class _ThreadWriter:
    """Writes on threads of this process; each write gets a number, by which :meth:`take`
    gives its failure once :meth:`sync` has waited for it."""

    def __init__(self) -> None:
        # Imported here: a process whose writes go to a writer process never needs it.
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(_SYNC_THREADS, thread_name_prefix="locpipe-write")
        self._unsettled: deque[tuple[int, Path, Future[None]]] = deque()
        self._paths: Counter[Path] = Counter()  # paths of unsettled writes
        self._failures: dict[int, OSError] = {}
        self._count = 0

    def write(self, path: Path, data: bytes, expected: str | None = None) -> int:
        number, self._count = self._count, self._count + 1
        future = self._pool.submit(_replace, path, data, expected)
        self._unsettled.append((number, path, future))
        self._paths[path] += 1
        # A bounded queue keeps memory flat when the disk is slower than the caller.
        while len(self._unsettled) > _MAX_QUEUED:
            self._settle()
        return number

    def pending(self, path: Path) -> bool:
        return path in self._paths

    def sync(self) -> None:
        while self._unsettled:
            self._settle()

    def take(self, number: int) -> OSError | None:
        return self._failures.pop(number, None)

    def take_all(self) -> dict[int, OSError]:
        failures, self._failures = self._failures, {}
        return failures

    def shutdown(self) -> None:
        self.sync()
        self._pool.shutdown()

    def _settle(self) -> None:
        number, path, future = self._unsettled.popleft()
        self._paths[path] -= 1
        if not self._paths[path]:
            del self._paths[path]
        error = future.exception()
        if error is not None:
            self._failures[number] = _as_write_failure(error)


def _as_write_failure(error: BaseException) -> OSError:
    """A write's failure as the OSError its file's outcome records: another exception (a
    bug, say) as an I/O error naming it, so that one file fails, not the run."""
    if isinstance(error, OSError):
        return error
    return OSError(errno.EIO, f"{type(error).__name__}: {error}")


# A file for the forked writer: path length, data length, expected digest length (0: none).
_HEADER = struct.Struct("<QQQ")
_SYNC = _HEADER.pack(0, 0, 0)  # no path is empty: "wait for everything, then report"
# Files go to the writer in sends of about this many bytes: one system call, and one
# wake-up of the writer, for a dozen catalogs rather than two for each (about 20 µs each);
# small enough that the writer keeps up, and a batch's close waits for few files.
_SEND_BYTES = 64 << 10
# Threads of the writer process that make temporaries, a folder to each (_GroupWriter):
# with the caller's own CPU, two keep a 2-CPU machine busy once the caller waits for them.
_LANES = 2
_LENGTH = struct.Struct("<Q")  # the length of a report


class _ForkedWriter:
    """Writes in a child process, forked once: files go to it through one pipe, and at
    each :meth:`sync` it reports the failures so far through another."""

    def __init__(self) -> None:
        files_out, self._files = os.pipe()
        _widen_pipe(self._files)
        self._reports, reports_in = os.pipe()
        _PARENT_ENDS.update((self._files, self._reports))
        self._pid = os.fork()
        if self._pid == 0:  # the child: write, report, and leave without running any cleanup
            status = 1
            try:
                # Finish what was handed over even when Ctrl-C stops the caller, which
                # waits for it on its way out; the end of the pipe ends this process.
                import signal  # only this process needs it

                signal.signal(signal.SIGINT, signal.SIG_IGN)
                # Hold no copy of the caller's terminal or output pipes: whoever reads them
                # would otherwise wait for this process too.
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                _serve(files_out, reports_in)
                status = 0
            finally:
                os._exit(status)
        os.close(files_out)
        os.close(reports_in)
        self._owner = os.getpid()
        # Files not yet sent: they go down the pipe _SEND_BYTES at a time, not one by one.
        self._unsent: list[bytes] = []
        self._unsent_bytes = 0
        self._paths: dict[Path, int] = {}  # written since the last sync
        self._failures: dict[int, OSError] = {}
        self._count = 0
        self._synced = 0  # writes up to this number have been reported on
        self.alive = True

    def write(self, path: Path, data: bytes, expected: str | None = None) -> int:
        number, self._count = self._count, self._count + 1
        self._paths[path] = number
        if self.alive:
            name = os.fsencode(path)
            wanted = (expected or "").encode("ascii")
            self._unsent += (_HEADER.pack(len(name), len(data), len(wanted)), name, wanted, data)
            self._unsent_bytes += len(data)
            if self._unsent_bytes >= _SEND_BYTES:
                self._send()
        return number

    def _send(self, *also: bytes) -> bool:
        """Send the files held back, and ``also``; False if the child is gone.

        Small pieces go joined, in one write; a large file's data goes as it is, not
        copied into a join.
        """
        pieces, self._unsent, self._unsent_bytes = [*self._unsent, *also], [], 0
        joined: list[bytes] = []
        try:
            for piece in pieces:
                if len(piece) < _SEND_BYTES:
                    joined.append(piece)
                    continue
                if joined:
                    write_all(self._files, b"".join(joined))
                    joined = []
                write_all(self._files, piece)
            if joined:
                write_all(self._files, b"".join(joined))
        except OSError:  # the child is gone: sync reports what it did not write
            self._stop()
            return False
        return True

    def pending(self, path: Path) -> bool:
        return path in self._paths

    def sync(self) -> None:
        if self._synced == self._count:
            return
        report = None
        if self.alive and self._send(_SYNC):
            try:
                size = _LENGTH.unpack(read_exactly(self._reports, _LENGTH.size))[0]
                report = json.loads(read_exactly(self._reports, size))
            except (OSError, ValueError):
                self._stop()
        if report is None:
            # Killed, or out of memory: any of its files may be missing, so none counts.
            lost = OSError(errno.EIO, "the process writing it stopped")
            self._failures.update(dict.fromkeys(range(self._synced, self._count), lost))
        else:
            self._failures.update({int(n): OSError(*error) for n, error in report.items()})
        self._synced = self._count
        self._paths.clear()

    def take(self, number: int) -> OSError | None:
        return self._failures.pop(number, None)

    def end(self) -> None:
        """End the child: it writes what it still holds, then exits, and is waited for."""
        self.sync()
        self._stop()

    def _stop(self) -> None:
        """Close the pipes, which ends the child, and wait for it to exit."""
        global _SHARED
        self.alive = False
        if _SHARED is self:
            _SHARED = None  # the next batch forks a new one
        for fd in (self._files, self._reports):
            _PARENT_ENDS.discard(fd)
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)


def _widen_pipe(fd: int) -> None:
    """Let the pipe to the writer hold 1 MiB instead of 64 KiB, where Linux allows it.

    A stage makes files in bursts (a template and its catalogs at once); with room for a
    few hundred of them, it goes on while the writer catches up, instead of waiting for it
    at every burst.
    """
    import fcntl

    with contextlib.suppress(AttributeError, OSError):  # not Linux, or above the limit
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)


class _InlineWriter:
    """Writes in the caller's own process, a group at a time, as the forked writer does."""

    def __init__(self) -> None:
        self._group = _GroupWriter()
        self._paths: set[Path] = set()  # written since the last sync
        self._failures: dict[int, OSError] = {}

    def write(self, path: Path, data: bytes, expected: str | None = None) -> int:
        self._paths.add(path)
        return self._group.write(path, data, expected)

    def pending(self, path: Path) -> bool:
        return path in self._paths

    def sync(self) -> None:
        self._group.sync()
        self._failures.update(self._group.take_all())
        self._paths.clear()

    def take(self, number: int) -> OSError | None:
        return self._failures.pop(number, None)


_SHARED: _ForkedWriter | None = None
_INLINE: _InlineWriter | None = None  # set in a process that writes its own files


def write_in_this_process() -> None:
    """Have this process's batches write their files themselves, with no writer process.

    For worker processes, which share the CPUs with each other: a writer for each doubled
    the processes, and each worker's pages were copied once more as it went on after the
    fork; while one worker waits for the disk, the others work.  On 2 CPUs, extract and
    build of 250 articles with 2 workers took 0.95 of their time with writer processes
    (medians of 12 alternating rounds, on ext4 and on a tmpfs alike).
    """
    global _INLINE
    _INLINE = _InlineWriter()


def _shared_writer() -> _ForkedWriter | _InlineWriter | None:
    """This process's writer process, forked on first use; None where fork is unsafe.

    One writer serves every batch of the process: forking once per batch cost more than
    it saved, since the forking process then copied every page it wrote to.  It ends when
    this process closes its pipe, by exiting; every batch has waited for its own files by
    then.  A process that writes its own files (:func:`write_in_this_process`) has none.
    """
    global _SHARED
    if _INLINE is not None:
        return _INLINE
    # With other threads about, not even an existing one: two threads would mix their
    # files on its pipe.
    if not _fork_is_safe():
        return None
    if _SHARED is None:
        _SHARED = _ForkedWriter()
    return _SHARED


# The caller's ends of the pipes of a writer.  A forked process must not keep them open:
# a writer ends only once every copy of its pipe's caller end is closed, and a child
# (a worker process, or another writer) must not use its parent's writer.
_PARENT_ENDS: set[int] = set()


def close_in_forked_children(ends: set[int]) -> None:
    """Have each process forked from this one close the descriptors ``ends`` holds at the
    fork, and start with ``ends`` empty: pipe ends that only this process may hold."""

    def close() -> None:
        for fd in ends:
            with contextlib.suppress(OSError):
                os.close(fd)
        ends.clear()

    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=close)


def _forget_shared_writer() -> None:
    """In a forked process: the parent's writer is not this process's."""
    global _SHARED, _INLINE
    _SHARED = _INLINE = None


close_in_forked_children(_PARENT_ENDS)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_shared_writer)


@atexit.register
def end_writer() -> None:
    """End this process's writer, if it has one, rather than leave it to outlive us: on
    the way out, and in a worker process, which leaves without running ``atexit``."""
    if _SHARED is not None and _SHARED._owner == os.getpid():
        _SHARED.end()


def _serve(files: int, reports: int) -> None:
    """The forked writer: write every file read from ``files``; at each sync, and at the
    end, report the failures since the last report, by number, to ``reports``."""
    writer = _GroupWriter(lanes=_LANES)
    with open(files, "rb", buffering=1 << 16) as incoming:
        while len(header := incoming.read(_HEADER.size)) == _HEADER.size:
            name_size, data_size, wanted_size = _HEADER.unpack(header)
            if not name_size:
                writer.sync()
                failures = writer.take_all()
                report = {n: [e.errno, e.strerror or str(e)] for n, e in failures.items()}
                data = json.dumps(report).encode("utf-8")
                write_all(reports, _LENGTH.pack(len(data)) + data)
                continue
            name, wanted = incoming.read(name_size), incoming.read(wanted_size)
            data = incoming.read(data_size)
            if len(name) != name_size or len(data) != data_size or len(wanted) != wanted_size:
                break  # the caller died while sending it: write nothing of it
            writer.write(Path(os.fsdecode(name)), data, wanted.decode("ascii") or None)
    writer.close()


class _GroupWriter:
    """Writes groups of files with one flush to disk for the whole group.

    Each file goes to a temporary beside it at once; then, for the group, the file system
    is flushed (``syncfs``), every temporary renamed over its file, and the file system
    flushed again for the renames; either flush failing fails the group's files.  A file
    is still replaced only once its data is on disk.  Measured on 2,000 catalogs: 0.2 s
    of system time, where a ``fsync`` per file took 1.3 s one after another and 0.8 s
    overlapped on eight threads (whose lock hand-overs cost as much as the flushing).
    Two costs come with it, both bounded by the size of a group: ``syncfs`` also flushes
    what other programs left unwritten on the same file system, and it reports a failed
    write only since Linux 5.8.  Where there is no ``syncfs`` (not Linux), each temporary
    is ``fsync``-ed before its rename, as :func:`_replace` does.

    A group is at most 64 files: the caller waits, at a batch's close, for the last group
    to be flushed and renamed, while the groups before it were done as it worked.  Groups
    of 256 made that wait 11 ms at the end of a 250-article extract, groups of 64 make it
    5 ms (five runs each).

    With ``lanes`` above 1, the temporaries of different folders are made on as many
    threads, a folder always on the same one (the first on the caller's): the kernel
    creates the files of one folder one at a time, under the folder's lock, but those of
    two folders at once.  Creating a file can cost far more than writing it: on ext4
    without a journal, shortly after many files were deleted, 250 new files in each of two
    folders took 0.24 to 0.25 s on two threads, a folder each, against 0.34 to 0.43 s on
    one thread, and as long on two threads that both wrote both folders (``bench/
    creates.py``, medians of 9, two runs).  An extract makes a template and a catalog per
    article, in two folders.
    """

    _GROUP_FILES = 64
    _GROUP_BYTES = 32 << 20

    def __init__(self, lanes: int = 1) -> None:
        # Temporaries written and not yet renamed: number, path, temporary, expected.
        self._group: list[tuple[int, Path, Path, str | None]] = []
        self._bytes = 0
        self._files = 0  # written to the group since its last flush, failed ones too
        self._failures: dict[int, OSError] = {}
        self._count = 0
        # By device, a descriptor of the group's first temporary on each file system.
        self._held: dict[int, int] = {}
        # The group, the failures and the held descriptors are shared with the lanes.
        self._lock = threading.Lock()
        # Lanes beyond the caller's own (None), each started when a folder first needs it.
        self._lanes: list[_Lane | None] = [None]
        self._lane_count = max(1, lanes)
        self._folders: dict[Path, _Lane | None] = {}

    def write(self, path: Path, data: bytes, expected: str | None = None) -> int:
        number, self._count = self._count, self._count + 1
        lane = self._lane_of(path.parent)
        if lane is None:
            self._make_temporary(number, path, data, expected)
        else:
            lane.put(functools.partial(self._make_temporary, number, path, data, expected))
        self._files += 1
        self._bytes += len(data)
        if self._files >= self._GROUP_FILES or self._bytes >= self._GROUP_BYTES:
            self.sync()
        return number

    def sync(self) -> None:
        for lane in self._lanes:
            if lane is not None:
                lane.wait()
        # The files of a folder, and so each file's writes, come from one lane in order;
        # the group is put back in the order the files came all the same.
        group = sorted(self._group, key=lambda entry: entry[0])
        self._group, self._bytes, self._files = [], 0, 0
        held, self._held = self._held, {}
        try:
            if group:
                self._replace_group(group, list(held.values()))
        finally:
            for fd in held.values():
                os.close(fd)

    def _lane_of(self, folder: Path) -> _Lane | None:
        """The lane that makes the temporaries of ``folder``: the folders in turn."""
        if folder in self._folders:
            return self._folders[folder]
        index = len(self._folders) % self._lane_count
        if index == len(self._lanes):
            try:
                self._lanes.append(_Lane())
            except RuntimeError:  # no thread to be had (a process limit): do without
                self._lane_count, index = len(self._lanes), 0
        lane = self._folders[folder] = self._lanes[index]
        return lane

    def close(self) -> None:
        """Flush the group, and end the lanes."""
        try:
            self.sync()
        finally:
            for lane in self._lanes:
                if lane is not None:
                    lane.end()

    def _make_temporary(self, number: int, path: Path, data: bytes, expected: str | None) -> None:
        """Write one file's temporary into the group, or record why it could not be."""
        flushed = _syncfs() is not None
        try:
            temp = _write_temporary(
                path, data, durable=not flushed, opened=self._hold if flushed else None
            )
        except Exception as error:  # on a lane, one let through would end its thread
            failure = _as_write_failure(error)
        else:
            with self._lock:
                self._group.append((number, path, temp, expected))
            return
        with self._lock:
            self._failures[number] = failure

    def _hold(self, fd: int) -> None:
        """Keep a descriptor of the temporary just created if it is the group's first on
        its file system, before any data is written to it.

        ``syncfs`` reports the write errors of its file system since the descriptor it is
        given was opened, even those another program's ``syncfs`` saw first (another
        writer of this run): from a descriptor opened later, such an error goes unseen.
        A folder's own descriptor would also need the right to list it.
        """
        device = os.fstat(fd).st_dev
        with self._lock:
            if device not in self._held:
                self._held[device] = os.dup(fd)

    def _replace_group(
        self, group: list[tuple[int, Path, Path, str | None]], held: list[int]
    ) -> None:
        """Flush, rename each temporary over its file, flush again; record the failures."""
        error = _flush(held)
        renamed: list[int] = []
        for number, path, temp, expected in group:
            try:
                if error is not None:
                    raise error
                _rename_into_place(temp, path, expected)
            except OSError as failure:
                self._failures[number] = failure
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
            else:
                renamed.append(number)
        # The renames: each file is whole, old or new, whatever happens; but when they were
        # not made durable, a crash may bring the old file back, so the run must not record
        # the new one as done.
        error = _flush(held)
        if error is not None:
            self._failures.update(dict.fromkeys(renamed, error))

    def take_all(self) -> dict[int, OSError]:
        failures, self._failures = self._failures, {}
        return failures


class _Lane:
    """A thread that does the writes it is given one after another.

    A write records its own failure; one that raises all the same (out of memory) is
    raised again by :meth:`wait`, in the thread that waits, as it would have been on it.
    """

    def __init__(self) -> None:
        import queue  # only the writer process has lanes

        self._work: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="locpipe-lane", daemon=True)
        self._thread.start()

    def put(self, write: Callable[[], None]) -> None:
        self._work.put(write)

    def wait(self) -> None:
        """Until every write given so far is done."""
        self._work.join()
        error, self._error = self._error, None
        if error is not None:
            raise error

    def end(self) -> None:
        """End the thread once the writes given so far are done, and wait for it."""
        self._work.put(None)
        self._thread.join()

    def _run(self) -> None:
        while (write := self._work.get()) is not None:
            try:
                write()
            except BaseException as error:  # handed to the thread that waits
                self._error = self._error or error
            finally:
                self._work.task_done()


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """libc's ``syncfs`` (Linux), or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        # The symbols the process already has: libc's among them, with no library search
        # (ctypes.util.find_library runs ldconfig).
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return function


def _flush(held: list[int]) -> OSError | None:
    """Flush to disk the file system of each descriptor in ``held``; the first error.

    A project usually lies on one file system; a mount inside it is another, and
    ``syncfs`` flushes only the file system of the descriptor it is given.
    """
    syncfs = _syncfs()
    for fd in held:
        if syncfs is not None and syncfs(fd) != 0:
            number = _ctypes_errno()
            return OSError(number, os.strerror(number))
    return None


def _ctypes_errno() -> int:
    """The errno a ctypes call with ``use_errno`` left."""
    import ctypes

    return ctypes.get_errno()


def read_exactly(fd: int, size: int) -> bytes:
    """``size`` bytes from a pipe; ValueError if it ends first."""
    chunks, missing = [], size
    while missing:
        chunk = os.read(fd, missing)
        if not chunk:
            raise ValueError("the pipe ended early")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to a file descriptor (a pipe may take it in parts)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` exists and holds exactly ``data``."""
    try:
        return read_bytes(path) == data
    except OSError:  # missing or unreadable: writing it will say what is wrong
        return False


ABSENT = "-"  # the digest of a file that does not exist, as the run state records it
# The error of a compare-and-swap whose file changed since it was read.
CHANGED_MEANWHILE = errno.ESTALE


def digest(data: bytes) -> str:
    """The hash locpipe records for file contents, and compares before it writes.

    >>> digest(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def content_digest(path: Path) -> str:
    """The :func:`digest` of a file's bytes, or :data:`ABSENT`: what a compare-and-swap
    expects."""
    try:
        return digest(read_bytes(path))
    except FileNotFoundError:
        return ABSENT


def read_bytes(path: Path) -> bytes:
    """A file's bytes, as ``Path.read_bytes`` reads them, in half the system calls.

    ``open()`` builds a buffered file object, asking the terminal and the position on the
    way (nine system calls where five do); a stage reads a few files an article.

    What is neither a file nor a folder is refused (``OSError``, "not a regular file"):
    a named pipe would wait for a writer for ever, and a device would never end.  It is
    opened without waiting, so that a pipe can be looked at.
    """
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
        size = status.st_size
        chunks = [os.read(fd, size + 1)]  # one more, to see the end at once
        while chunks[-1]:  # grown meanwhile, or a file whose size says nothing (/proc)
            chunks.append(os.read(fd, 1 << 16))
    except OSError as error:
        # A folder opens, and only reading it fails, with an error that names no file.
        if error.filename is None:
            error.filename = os.fspath(path)
        raise
    finally:
        os.close(fd)
    return b"".join(chunks)


def _replace(path: Path, data: bytes, expected: str | None = None, *, durable: bool = True) -> None:
    """Replace ``path`` by ``data``: a temporary file beside it, fsync (if ``durable``),
    rename.

    Only system calls, which release the GIL, so writer threads barely slow the thread that
    queues the work.
    """
    temp = _write_temporary(path, data, durable=durable)
    try:
        _rename_into_place(temp, path, expected)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _write_temporary(
    path: Path, data: bytes, *, durable: bool, opened: Callable[[int], None] | None = None
) -> Path:
    """Write ``data`` to a new temporary beside ``path`` (``fsync``-ed if ``durable``).

    It gets the mode ``path`` has, or, for a new file, the usual ``0o666`` less the umask.
    ``opened`` is given its descriptor before anything is written to it.
    """
    try:
        mode: int | None = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = None
    fd, temp = _create_temporary(path)
    try:
        try:
            if opened is not None:
                opened(fd)
            if mode is not None:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return temp


def _rename_into_place(temp: Path, path: Path, expected: str | None) -> None:
    """Rename a written temporary over ``path``, unless ``path`` changed from ``expected``."""
    # Compared as late as can be, so that a save in an editor while the data was being
    # merged is never overwritten (the window left is this comparison and the rename).
    if expected is not None and content_digest(path) != expected:
        raise OSError(CHANGED_MEANWHILE, "changed while it was being merged; left as saved")
    os.replace(temp, path)


def _create_temporary(path: Path) -> tuple[int, Path]:
    """A new file beside ``path``, named after it, this process and a counter."""
    for _ in range(100):
        temp = path.with_name(temporary_name(path.name, os.getpid(), next(_TEMPORARY_NUMBERS)))
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temp
        except FileExistsError:  # left by a crashed process that had this pid
            continue
        except FileNotFoundError:  # its folder is new: made here, not asked about each time
            path.parent.mkdir(parents=True, exist_ok=True)
    raise FileExistsError(f"no free temporary name beside {path}")


_TEMPORARY_NUMBERS = itertools.count()
# Compiled by re on first use: only a folder holding a stale temporary needs it.
_TEMPORARY = r"(?s)\..*\.(\d+)-\d+\.tmp"
_NAME_ROOM = 64  # bytes a temporary name may always take: every file system allows more


def temporary_name(name: str, pid: int, number: int) -> str:
    """The temporary beside ``name``: ``.<name>.<pid>-<number>.tmp``, never longer in bytes
    than ``name`` itself (or 64), so a name the file system accepts always has one.

    >>> temporary_name("atacms.po", 42, 0)
    '.atacms.po.42-0.tmp'
    >>> len(temporary_name("a" * 251 + ".pot", 4194304, 12).encode())
    255
    """
    tail = f".{pid}-{number}.tmp"
    room = max(len(name.encode()), _NAME_ROOM) - len(tail) - 1
    # Cut whole characters: a UTF-8 sequence split in two is not a valid name.
    head = name.encode()[:room].decode(errors="ignore")
    return f".{head}{tail}"


class FolderListing:
    """Which names a few folders held when each was first asked about: one ``os.scandir`` a
    folder, rather than a failed lookup a file.

    A stage looks for each article's template, catalog or output before it writes it, and
    on a new project none is there.  On ext4 a lookup that fails waits for the folder while
    a writer creates files in it: 1,000 of them took 44 to 54 ms with a writer at work in
    the folder, 6 to 7 ms without (a tmpfs: 8 to 12 ms, 4 to 6).  What a listing says is as
    old as the listing: a name made since is still absent in it.  Callers use it where that
    is safe: a compare-and-swap write still finds a file made since (and
    :meth:`forget` makes the next question list the folder again), and a generated file is
    written over whatever is there.
    """

    def __init__(self) -> None:
        self._names: dict[str, frozenset[str] | None] = {}

    def absent(self, path: Path) -> bool:
        """Whether nothing was at ``path`` when its folder was listed; False where something
        was, or the folder could not be listed.

        Names are compared as a case- and normalization-insensitive file system (macOS,
        Windows) finds them: there ``open("kyiv.po")`` opens ``Kyiv.po``.  Elsewhere a name
        that differs only so is taken for present, and costs a lookup.
        """
        folder, name = os.path.split(path)
        try:
            names = self._names[folder]
        except KeyError:
            names = self._names[folder] = _names_in(folder)
        return names is not None and _folded(name) not in names

    def forget(self) -> None:
        """List each folder again when next asked."""
        self._names.clear()


def _names_in(folder: str) -> frozenset[str] | None:
    """The names in a folder, folded; none where there is no such folder; None where it
    cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(_folded(entry.name) for entry in entries)
    except (FileNotFoundError, NotADirectoryError):
        return frozenset()
    except OSError:
        return None


def _folded(name: str) -> str:
    """A file name as a case-insensitive file system compares it."""
    return name.casefold() if name.isascii() else unicodedata.normalize("NFC", name).casefold()


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporaries of our naming whose process is gone; return what was removed.

    A temporary of a process that is alive (another run, this one) is left alone.
    """
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        found = re.fullmatch(_TEMPORARY, name)
        if found is None or _alive(int(found.group(1))):
            continue
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            os.unlink(folder / name)
            removed.append(folder / name)
    return removed


def _alive(pid: int) -> bool:
    """Whether a process with this id exists (signal 0 checks without sending)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # none has it, or none could
        return False
    except PermissionError:  # another user's process
        return True
    return True
