"""Masking, and so pretranslation and ``pseudo``, in time linear in the length of a unit."""

from __future__ import annotations

import time
from itertools import pairwise

from locpipe.protect import masked_spans
from locpipe.pseudo import pseudo_translate

# A long table cell or HTML-block paragraph: 32,000 masked spans of four kinds.
_LONG = "[a](b) <b>x</b> &amp; {{< x >}} " * 8000


def test_masking_a_long_unit_is_not_quadratic() -> None:
    # Each span was compared with every span kept before it: this took over half a minute.
    started = time.perf_counter()
    spans = masked_spans(_LONG, markdown=True)
    assert time.perf_counter() - started < 10
    assert len(spans) == 8000 * 6  # "[", "](b)", "<b>", "</b>", "&amp;", the shortcode


def test_a_later_pattern_never_overlaps_a_kept_span() -> None:
    # The bare URL inside the link destination and the tag is already masked with it.
    text = "Zie [x](https://a.nl/b) en <a href='https://c.nl'>c</a> of https://d.nl."
    spans = masked_spans(text, markdown=True)
    assert [text[s.start : s.end] for s in spans] == [
        "[",
        "](https://a.nl/b)",
        "<a href='https://c.nl'>",
        "</a>",
        "https://d.nl",
    ]
    assert all(a.end <= b.start for a, b in pairwise(spans))


def test_pseudo_translating_a_long_unit_keeps_every_masked_span() -> None:
    started = time.perf_counter()
    pseudo = pseudo_translate(_LONG)
    assert time.perf_counter() - started < 10
    assert pseudo.count("{{< x >}}") == 8000 and pseudo.count("&amp;") == 8000
