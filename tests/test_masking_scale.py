"""Masking, and so pretranslation and ``pseudo``, in time linear in the length of a unit."""

from __future__ import annotations

from itertools import pairwise

import pytest

from locpipe.protect import Markup, masked_spans
from locpipe.pseudo import pseudo_translate

from .complexity import assert_cpu_time_grows_linearly, assert_lines_grow_linearly

# A stretch of a long table cell or HTML-block paragraph: six masked spans of four kinds,
# "[", "](b)", "<b>", "</b>", "&amp;" and the shortcode.
_PIECE = "[a](b) <b>x</b> &amp; {{< x >}} "


@pytest.mark.parametrize(("markup", "spans"), [("markdown", 6), ("html", 4)])
def test_masking_a_long_unit_grows_linearly_with_its_spans(markup: Markup, spans: int) -> None:
    # Each span was compared with every span kept before it (32,000 spans took over half a
    # minute), a loop in Python whose lines grew as the square of the spans.  In HTML the
    # link is text.
    def mask(pieces: int) -> None:
        assert len(masked_spans(_PIECE * pieces, markup=markup)) == spans * pieces

    assert_lines_grow_linearly(mask, 200)


@pytest.mark.parametrize("run", ["a.", "www.", "x-"])
def test_masking_a_long_run_of_name_characters_without_an_address_grows_linearly(run: str) -> None:
    # The e-mail pattern was tried at every word boundary of the run and read it to its end
    # each time: 20,000 "a." took 3.6 s.
    def mask(repeats: int) -> None:
        assert all(span.kind != "email" for span in masked_spans(run * repeats, markup="plain"))

    assert_cpu_time_grows_linearly(mask, 2_000)


def test_a_later_pattern_never_overlaps_a_kept_span() -> None:
    # The bare URL inside the link destination and the tag is already masked with it.
    text = "Zie [x](https://a.nl/b) en <a href='https://c.nl'>c</a> of https://d.nl."
    spans = masked_spans(text, markup="markdown")
    assert [text[s.start : s.end] for s in spans] == [
        "[",
        "](https://a.nl/b)",
        "<a href='https://c.nl'>",
        "</a>",
        "https://d.nl",
    ]
    assert all(a.end <= b.start for a, b in pairwise(spans))


def test_pseudo_translating_a_long_unit_keeps_every_masked_span_and_grows_linearly() -> None:
    # Pseudo-translation masks the unit first, so it was quadratic with masking.
    def pseudo(pieces: int) -> None:
        translated = pseudo_translate(_PIECE * pieces)
        assert translated.count("{{< x >}}") == pieces and translated.count("&amp;") == pieces

    assert_lines_grow_linearly(pseudo, 200)
