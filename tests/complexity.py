"""How a test tells linear work from quadratic work without a limit in seconds.

Speed is measured by the benchmarks (bench/), never by timed assertions in tests: a limit
in seconds fails on a loaded machine, and one loose enough never to fail there lets a
quadratic loop through on a fast one.  A test that guards against quadratic time compares
the code with itself at two sizes instead.

``python_lines`` counts the lines of Python a call runs (``sys.settrace``'s line events).
The count does not depend on the machine's speed or load (only on the Python version, and
on hash order where a loop over a set stops early), and it grows as the Python work does:
about four times for an input four times as long when that work is linear, sixteen times
when it is quadratic.  It cannot see into C: a regular expression's search is one
line however long it backtracks.  The few tests whose danger lies there use
``assert_cpu_time_grows_linearly``: the CPU time of two sizes measured side by side in
the same run, a ratio of peers that the machine's speed and load cancel out of.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

# Four times the input: linear work grows about 4 times, quadratic work 16 times.  A bound
# of 6 leaves room for n log n and for counts that are not exactly proportional.
_FACTOR = 4
_LINEAR = 6.0
# Work that must not depend on the input's length at all (a cap that skips it past some
# length): a linear pass would still grow 4 times.
_CONSTANT = 1.5
# Timed sizes are further apart, as times are coarser than counts: 8 times the input takes
# 8 times as long when linear and 64 times when quadratic; 24 sits between with room for
# noise on either side, and each size's best of five runs leaves out the pauses of a busy
# machine.
_TIMED_FACTOR = 8
_TIMED_LINEAR = 24.0
_TIMED_RUNS = 5


def python_lines(call: Callable[[], object]) -> int:
    """How many lines of Python ``call`` runs, in every function it calls."""
    count = 0

    def line(frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        nonlocal count
        if event == "line":
            count += 1
        return line

    def enter(frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        return line  # every new frame's lines are counted

    previous = sys.gettrace()
    sys.settrace(enter)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


def _line_counts(work: Callable[[int], object], size: int) -> tuple[int, int]:
    """The lines ``work`` runs at ``size`` and at four times ``size``.

    A first call, not counted, compiles the regular expressions and fills the caches that
    any call would: the counts are then the same whichever tests ran before.  It is made at
    another size, so that a cache keyed by the whole input cannot answer the counted call.
    """
    work(size + 1)
    return python_lines(lambda: work(size)), python_lines(lambda: work(_FACTOR * size))


def assert_lines_grow_linearly(work: Callable[[int], object], size: int) -> None:
    """``work(4 * size)`` runs at most about four times the Python lines ``work(size)`` runs:
    linear, not quadratic, in its argument."""
    small, large = _line_counts(work, size)
    assert large <= _LINEAR * small, (
        f"{_FACTOR} times the input ran {large / small:.1f} times the lines of Python "
        f"({small:,} at {size:,}, {large:,} at {_FACTOR * size:,}): quadratic, not linear"
    )


def assert_lines_do_not_grow(work: Callable[[int], object], size: int) -> None:
    """``work(4 * size)`` runs about the Python lines ``work(size)`` runs: the work does not
    depend on the argument (what a cap that skips it past some length promises)."""
    small, large = _line_counts(work, size)
    assert large <= _CONSTANT * small, (
        f"{_FACTOR} times the input ran {large / small:.1f} times the lines of Python "
        f"({small:,} at {size:,}, {large:,} at {_FACTOR * size:,}): the work grows with it"
    )


def assert_cpu_time_grows_linearly(work: Callable[[int], object], size: int) -> None:
    """``work(8 * size)`` takes well under 64 times the CPU time of ``work(size)``, both
    measured in this run: linear, not quadratic, in its argument.

    For work done in C, which :func:`python_lines` cannot see.  It is a ratio of two
    measurements taken side by side, never a limit in seconds: a slow or busy machine slows
    both.  Each size's time is the best of five, alternating between the sizes.
    """
    work(size + 1)  # compiles and caches, as in _line_counts
    small = large = float("inf")
    for _ in range(_TIMED_RUNS):
        small = min(small, _cpu_time(work, size))
        large = min(large, _cpu_time(work, _TIMED_FACTOR * size))
    assert large < _TIMED_LINEAR * small, (
        f"{_TIMED_FACTOR} times the input took {large / small:.1f} times the CPU time "
        f"({small:.4f} s at {size:,}, {large:.4f} s at {_TIMED_FACTOR * size:,}): "
        "quadratic, not linear"
    )


def _cpu_time(work: Callable[[int], object], size: int) -> float:
    started = time.process_time()
    work(size)
    return time.process_time() - started
