"""Reassembly: put translations back into an article's layout, wrapped the way the source was."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .model import Article, Unit, encode_scalar
from .segment.base import BOM

# A word that would open a new Markdown block if it began a line: a heading, a list item,
# a quote, a setext underline, a fence or an HTML block.  Wrapping never breaks before one.
_BLOCK_START = re.compile(r"^(#{1,6}|[-+*]|\d{1,9}[.)]|>.*|=+|-+|`{3,}.*|~{3,}.*|<.*|\|.*)$")
_LIST_MARKER = re.compile(r"([-+*]|\d{1,9}[.)])(?=[ \t])")


@dataclass(frozen=True, slots=True)
class AssembleResult:
    """A localized article and how many of its entries were translated."""

    text: str
    translated_entries: int
    total_entries: int

    @property
    def translated_share(self) -> float:
        """Translated entries over all entries, 1.0 for an article with nothing to translate."""
        return self.translated_entries / self.total_entries if self.total_entries else 1.0


def assemble_article(
    article: Article, translations: Mapping[tuple[str | None, str], str]
) -> AssembleResult:
    """Rebuild an article, replacing each unit whose entry has a translation.

    Units without a translation keep their source text, so a partly translated article
    is still a whole article.  The share counts entries, as PO statistics and po4a do,
    so a TOC line and its heading count once.
    """
    out: list[str] = [BOM] if article.bom else []
    translated: set[tuple[str | None, str]] = set()
    for part in article.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        translation = translations.get(part.key)
        if translation:
            translated.add(part.key)
            out.append(render_unit(part, translation))
        else:
            out.append(part.source)
    total = len({unit.key for unit in article.units})
    return AssembleResult("".join(out), len(translated), total)


def render_unit(unit: Unit, translation: str) -> str:
    """The text that replaces a unit's source lines.

    The source itself comes back unchanged when the translation equals the msgid, which
    keeps the identity round trip byte-exact.  Otherwise the translation is split at its
    hard breaks and each piece is wrapped at the source paragraph's width, with the
    source's indentation and container markers.
    """
    if translation == unit.text:
        return unit.source
    first, last = unit.lines[0], unit.lines[-1]
    if unit.single_line:
        text = encode_scalar(" ".join(translation.split("\n")), unit.escape)
        return f"{first.prefix}{text}{last.suffix}"

    continuation = unit.lines[1].prefix if len(unit.lines) > 1 else _continuation(first.prefix)
    newline = next((line.eol for line in unit.lines if line.eol), unit.newline)
    width = _wrap_width(unit)
    break_markers = [line.suffix for line in unit.lines if line.hard_break] or ["\\"]

    out: list[str] = []
    pieces = translation.split("\n")
    for index, piece in enumerate(pieces):
        prefix = first.prefix if index == 0 else continuation
        rows = _wrap(piece, width, len(prefix), len(continuation)) if width else [piece]
        for row_index, row in enumerate(rows):
            out.append(prefix if row_index == 0 else continuation)
            out.append(row)
            if row_index < len(rows) - 1:
                out.append(newline)
        if index < len(pieces) - 1:
            out.append(break_markers[min(index, len(break_markers) - 1)])
            out.append(newline)
    out.append(last.suffix if not last.hard_break else "")
    return "".join(out)


def _continuation(prefix: str) -> str:
    """The prefix for lines a translation adds to a one-line unit: markers become spaces.

    >>> _continuation("> - ")
    '>   '
    >>> _continuation("  12. ")
    '      '
    """
    return _LIST_MARKER.sub(lambda m: " " * len(m.group()), prefix)


def _wrap_width(unit: Unit) -> int | None:
    """The source paragraph's wrap width, or None when it was not wrapped (one line per piece)."""
    soft_breaks = any(not line.hard_break for line in unit.lines[:-1])
    if not soft_breaks:
        return None
    return max(len(line.prefix) + len(line.text) for line in unit.lines)


def _wrap(text: str, width: int, first_indent: int, indent: int) -> list[str]:
    """Greedy wrap at spaces, never starting a line with something Markdown reads as a block.

    >>> _wrap("een twee drie vier", 10, 0, 0)
    ['een twee', 'drie vier']
    >>> _wrap("zie punt - hier", 9, 0, 0)
    ['zie punt -', 'hier']
    """
    rows: list[str] = []
    words = text.split(" ")
    row = words[0]
    for word in words[1:]:
        limit = width - (first_indent if not rows else indent)
        fits = len(row) + 1 + len(word) <= limit
        if fits or not word or not row or _BLOCK_START.match(word):
            row = f"{row} {word}"
        else:
            rows.append(row)
            row = word
    rows.append(row)
    return rows
