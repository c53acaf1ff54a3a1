"""Worker processes for the runner: forked once per stage, each fed chunks of work through
a pipe of its own, with the results given back in the order the chunks were handed out.

``concurrent.futures``' process pool did this before.  Importing it and
:mod:`multiprocessing` cost a stage some 20 ms before any worker started, a tenth of a
250-article stage, and it put a thread, a queue and a pickled call between the runner and
its workers.  Here the parent hands a worker its next chunk only once the worker has given
back the last one, so neither ever waits on a pipe the other is not reading; the parent
makes the next chunk ready while the workers work.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import struct
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from .errors import LocpipeError
from .fileio import (
    close_in_forked_children,
    end_writer,
    read_exactly,
    write_all,
    write_in_this_process,
)

__all__ = ["die_with_parent", "run_in_workers"]

T = TypeVar("T")
R = TypeVar("R")

_LENGTH = struct.Struct("<Q")  # of each message, before it
_AHEAD = 4  # chunks a worker, handed out or done, beyond the oldest one not yet given back

# The ends of workers' pipes this process holds: in the parent, its ends of each worker's
# pipes; in a worker, its own.  No process forked from this one (another worker, a writer
# process) may keep a copy: a worker ends when its pipe from the parent does, and the
# parent sees that a worker died when the worker's end of the pipe back closes, each of
# which needs every copy closed.
_ENDS: set[int] = set()
close_in_forked_children(_ENDS)


def run_in_workers(
    function: Callable[[list[T]], R], chunks: Iterable[list[T]], jobs: int
) -> Iterator[R]:
    """``function`` of each chunk, done in ``jobs`` forked processes, in the chunks' order.

    The workers get ``function`` (and all it holds) by being forked, not pickled; chunks
    and results are pickled.  An exception ``function`` raises is raised here, with the
    worker's traceback as a note; a worker that dies raises a LocpipeError.  Where no
    worker can be started (out of processes or descriptors), the chunks are done here.
    """
    workers: list[_Worker[T, R]] = []
    try:
        for _ in range(jobs):
            try:
                workers.append(_Worker(function))
            except OSError:
                break  # as many as could be started
        if not workers:
            yield from map(function, chunks)
            return
        chunks = iter(chunks)
        ahead = next(chunks, None)  # the next chunk, made ready while the workers work
        idle = list(reversed(workers))
        busy: dict[int, tuple[_Worker[T, R], int]] = {}  # by result pipe: worker, chunk number
        answers = select.poll()
        finished: dict[int, R] = {}
        handed = given = 0
        while ahead is not None or busy:
            # Results wait here for the oldest chunk's: a few chunks a worker at most, so
            # that a slow chunk cannot make them pile up.
            while idle and ahead is not None and handed - given < _AHEAD * len(workers):
                worker = idle.pop()
                worker.send(ahead)
                busy[worker.results] = (worker, handed)
                answers.register(worker.results, select.POLLIN)
                handed += 1
                ahead = next(chunks, None)
            for fd, _ in answers.poll():
                answers.unregister(fd)
                worker, number = busy.pop(fd)
                finished[number] = worker.receive()
                idle.append(worker)
            while given in finished:
                yield finished.pop(given)
                given += 1
    finally:
        for worker in workers:
            worker.stop()


class _Worker(Generic[T, R]):
    """One forked process that applies a function to each chunk it reads from its pipe."""

    def __init__(self, function: Callable[[list[T]], R]) -> None:
        parent = os.getpid()
        tasks_in, self.tasks = os.pipe()
        try:
            self.results, results_out = os.pipe()
        except OSError:
            _close(tasks_in, self.tasks)
            raise
        try:
            self.pid = os.fork()
        except OSError:
            _close(tasks_in, self.tasks, self.results, results_out)
            raise
        if self.pid == 0:  # the worker: serve, and leave without running any cleanup
            status = 1
            try:
                os.close(self.tasks)
                os.close(self.results)
                _ENDS.update((tasks_in, results_out))
                die_with_parent(parent)
                write_in_this_process()
                _serve(function, tasks_in, results_out)
                status = 0
            finally:
                os._exit(status)
        os.close(tasks_in)
        os.close(results_out)
        _ENDS.update((self.tasks, self.results))

    def send(self, chunk: list[T]) -> None:
        data = pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)
        try:
            write_all(self.tasks, _LENGTH.pack(len(data)) + data)
        except OSError as error:  # it died: its end of the pipe is closed
            raise self._lost() from error

    def receive(self) -> R:
        try:
            size = _LENGTH.unpack(read_exactly(self.results, _LENGTH.size))[0]
            message = read_exactly(self.results, size)
        except (OSError, ValueError) as error:  # it died before it answered in full
            raise self._lost() from error
        done, value = pickle.loads(message)
        if not done:
            assert isinstance(value, BaseException)
            raise value
        result: R = value
        return result

    def stop(self) -> None:
        """Close the pipes, which ends the worker once its chunk is done; wait for it."""
        _ENDS.difference_update((self.tasks, self.results))
        _close(self.tasks, self.results)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)

    def _lost(self) -> LocpipeError:
        how = ""
        with contextlib.suppress(ChildProcessError):
            # Its pipe closed as it exited: the wait is a short one.
            _, status = os.waitpid(self.pid, 0)
            if os.WIFSIGNALED(status):
                how = f" (killed by signal {os.WTERMSIG(status)})"
        return LocpipeError(
            f"a worker process stopped unexpectedly{how}; run again, or with --jobs 1"
        )


def _serve(function: Callable[[list[T]], R], tasks: int, results: int) -> None:
    """In a worker: answer each chunk from ``tasks`` on ``results``, until ``tasks`` ends."""
    while True:
        try:
            size = _LENGTH.unpack(read_exactly(tasks, _LENGTH.size))[0]
        except ValueError:  # the parent closed the pipe: no more work
            break
        chunk = pickle.loads(read_exactly(tasks, size))
        try:
            data = pickle.dumps((True, function(chunk)), pickle.HIGHEST_PROTOCOL)
        except BaseException as error:  # KeyboardInterrupt too, as concurrent.futures did
            data = _exception(error)
        write_all(results, _LENGTH.pack(len(data)) + data)
    end_writer()


def _exception(error: BaseException) -> bytes:
    """``error``, pickled for the parent, with this worker's traceback as a note; where it
    would not come back whole (an exception class that cannot be made from its
    arguments), a RuntimeError with its text."""
    import traceback  # here: only a failing worker needs it

    note = f"in a worker process:\n{traceback.format_exc()}"
    error.add_note(note)
    try:
        data = pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
    except Exception:
        stand_in = RuntimeError(f"{type(error).__name__}: {error}")
        stand_in.add_note(note)
        data = pickle.dumps((False, stand_in), pickle.HIGHEST_PROTOCOL)
    return data


def _close(*fds: int) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def die_with_parent(parent: int) -> None:
    """Make this worker end when ``parent`` does, however it ends (kill -9 included).

    A worker left behind would go on writing into the project after the run is gone.  On
    Linux the kernel sends SIGKILL when the parent dies (``PR_SET_PDEATHSIG``); elsewhere
    a daemon thread polls for the parent.  Either way a parent already gone ends us now.
    """
    import signal

    if not _set_death_signal(signal.SIGKILL):
        import threading
        import time

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, name="locpipe-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it died before the signal was armed
        os._exit(1)


def _set_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` when our parent dies; False where that is not possible."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        # libc is among the symbols the process has: no library search, which would run
        # ldconfig in every worker.
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    pr_set_pdeathsig = 1  # from <linux/prctl.h>
    return bool(libc.prctl(pr_set_pdeathsig, signum, 0, 0, 0) == 0)
