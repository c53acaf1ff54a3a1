"""Worker processes: results come back in the chunks' order whatever order the workers
finish in; a worker's exception is raised in the parent; a worker that dies is reported
in one line; no worker outlives the run, however it ends."""

from __future__ import annotations

import os
import signal
import time

import pytest

from locpipe.errors import LocpipeError
from locpipe.workers import run_in_workers


def _children() -> set[int]:
    """This process's children still running or not yet waited for."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.add(int(entry))
    return found


pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")


def slow_for_the_first(chunk: list[int]) -> list[int]:
    """The first chunks take longest, so later ones finish first."""
    time.sleep(0.02 * max(0, 4 - chunk[0]))
    return [number * number for number in chunk] + [os.getpid()]


def test_results_come_in_the_chunks_order_from_every_worker() -> None:
    before = _children()
    chunks = [[number] for number in range(12)]
    results = list(run_in_workers(slow_for_the_first, chunks, 3))
    assert [result[:-1] for result in results] == [[number * number] for number in range(12)]
    assert len({result[-1] for result in results}) == 3  # each worker did some
    assert os.getpid() not in {result[-1] for result in results}
    assert _children() == before  # every worker ended and was waited for


def fails_on_five(chunk: list[int]) -> list[int]:
    if 5 in chunk:
        raise ValueError("five is not allowed")
    return chunk


def test_an_exception_in_a_worker_is_raised_with_its_traceback() -> None:
    before = _children()
    with pytest.raises(ValueError, match="five is not allowed") as raised:
        list(run_in_workers(fails_on_five, [[n] for n in range(8)], 2))
    notes = "".join(getattr(raised.value, "__notes__", []))
    assert "in a worker process" in notes and "fails_on_five" in notes
    assert _children() == before


def dies_on_three(chunk: list[int]) -> list[int]:
    if 3 in chunk:
        os.kill(os.getpid(), signal.SIGKILL)
    return chunk


def test_a_worker_that_dies_is_reported_in_one_line() -> None:
    before = _children()
    with pytest.raises(LocpipeError, match=r"stopped unexpectedly \(killed by signal 9\)"):
        list(run_in_workers(dies_on_three, [[n] for n in range(8)], 2))
    assert _children() == before


def test_a_run_stopped_early_ends_its_workers() -> None:
    before = _children()
    results = run_in_workers(slow_for_the_first, [[n] for n in range(20)], 2)
    assert next(results)[:-1] == [0]
    results.close()
    assert _children() == before


def forks_then_dies(pid_file: str, chunk: list[int]) -> list[int]:
    """On the chunk holding 3: start a process of its own (as a worker starts its writer),
    which lives on, then die."""
    if 3 in chunk:
        child = os.fork()
        if child == 0:
            time.sleep(20)
            os._exit(0)
        with open(pid_file, "w", encoding="ascii") as out:
            out.write(str(child))
        os.kill(os.getpid(), signal.SIGKILL)
    return chunk


def test_a_dead_worker_is_seen_while_a_process_it_started_lives_on(tmp_path) -> None:
    """The worker's process holds no copy of the worker's pipe back to the parent, or the
    parent would wait for it to end before it learned of the death."""
    import functools

    pid_file = tmp_path / "child.pid"
    work = functools.partial(forks_then_dies, str(pid_file))
    try:
        with pytest.raises(LocpipeError, match="stopped unexpectedly"):
            list(run_in_workers(work, [[n] for n in range(8)], 2))
        child = int(pid_file.read_text(encoding="ascii"))
        # Still running (not a zombie): the parent did not wait for it to end.
        with open(f"/proc/{child}/stat", encoding="ascii") as stat:
            assert stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    finally:
        if pid_file.exists():
            os.kill(int(pid_file.read_text(encoding="ascii")), signal.SIGKILL)


class TwoArguments(Exception):
    """An exception pickle can write but not read back: it cannot be made from its args."""

    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} and {second}")


def raises_what_does_not_unpickle(chunk: list[int]) -> list[int]:
    raise TwoArguments("this", "that")


def test_an_exception_that_cannot_come_back_whole_comes_back_as_its_text() -> None:
    with pytest.raises(RuntimeError, match="TwoArguments: this and that") as raised:
        list(run_in_workers(raises_what_does_not_unpickle, [[1], [2]], 2))
    assert "raises_what_does_not_unpickle" in "".join(raised.value.__notes__)


def exits(chunk: list[int]) -> list[int]:
    raise SystemExit(3)


def test_system_exit_in_a_worker_is_raised_here_not_lost() -> None:
    with pytest.raises(SystemExit):
        list(run_in_workers(exits, [[1], [2]], 2))


def oldest_is_slow(chunk: list[int]) -> list[int]:
    if chunk == [0]:
        time.sleep(0.5)
    return chunk


def test_results_wait_for_a_slow_chunk_a_few_chunks_deep_not_without_end() -> None:
    """While the oldest chunk is worked on, only a few chunks a worker are handed out."""
    handed: list[int] = []

    def chunks():
        for number in range(400):
            handed.append(number)
            yield [number]

    results = run_in_workers(oldest_is_slow, chunks(), 2)
    assert next(results) == [0]
    assert len(handed) <= 4 * 2 + 2  # the chunks handed out, and the one made ready
    assert list(results) == [[number] for number in range(1, 400)]


def test_with_no_worker_the_chunks_are_done_here() -> None:
    assert list(run_in_workers(slow_for_the_first, [[5], [6]], 0)) == [
        [25, os.getpid()],
        [36, os.getpid()],
    ]
