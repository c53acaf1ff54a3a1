"""Tags and comments in HTML unit text: found as the one pattern finds them, read once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from locpipe.htmltext import _MARKUP, strip_handlers, tags_and_comments


@given(st.text(alphabet="<>!-/a \"'=b", max_size=80))
def test_the_markup_found_is_what_the_pattern_finds_over_the_whole_text(text: str) -> None:
    expected = [(m.start(), m.end()) for m in _MARKUP.finditer(text)]
    assert [(m.start(), m.end()) for m in tags_and_comments(text)] == expected


def test_a_text_of_unclosed_tags_and_comments_is_text() -> None:
    text = "<a" * 50_000 + "<!--" * 20_000 + " en verder."
    assert strip_handlers(text) == text
    assert not list(tags_and_comments(text))
