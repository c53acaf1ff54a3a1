"""MDX expressions: where a brace closes, with strings skipped, however many are scanned."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from locpipe.segment.dialects import _balanced


def one_scan(text: str, start: int) -> int | None:
    """The rule, read character by character from ``start`` alone."""
    depth, position = 0, start
    while position < len(text):
        char = text[position]
        if char in "\"'`":
            close = text.find(char, position + 1)
            if close < 0:
                return None
            position = close + 1
            continue
        if char in "{}":
            depth += 1 if char == "{" else -1
            if depth == 0:
                return position + 1
        position += 1
    return None


@given(st.text(alphabet="{}\"'`a \n", max_size=60))
def test_every_brace_closes_where_a_scan_of_its_own_says(text: str) -> None:
    braces = [at for at, char in enumerate(text) if char == "{"]
    # In order and in reverse, so that remembered scans serve later and earlier questions.
    for start in [*braces, *reversed(braces)]:
        assert _balanced(text, start) == one_scan(text, start), (text, start)
