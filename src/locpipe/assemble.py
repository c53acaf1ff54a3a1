"""Reassembly: put translations back into an article's layout, wrapped the way the source was."""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import pairwise
from pathlib import PurePosixPath
from typing import NamedTuple

from .languages import babel_locale
from .model import (
    FRONT_MATTER_ESCAPES,
    HTML_ESCAPES,
    Article,
    Escape,
    Unit,
    UnitKind,
    encode_scalar,
)
from .segment.base import BOM, continuation_prefix, is_hard_break

# A word that would open a new Markdown block if it began a line: a heading, a list item,
# a quote, a setext underline, a thematic break (``***``, ``_ _ _``), a fence, an HTML
# block or a table row.  Wrapping never breaks before one.
_BLOCK_START = re.compile(r"^(#{1,6}|[-+*_=]+|\d{1,9}[.)]|>.*|`{3,}.*|~{3,}.*|<.*|\|.*)$")
# What opens a block at the start of a line (after its container markers): a backtick
# fence holds no other backtick (```a `` b``` is a code span); a line of
# only '-', '*' and '_' may make a thematic break with a list item's marker before it, and
# one of '|', ':' and '-' a table's delimiter row under the line before.
_OPENS_BLOCK = re.compile(
    r"(?:#{1,6}|[-+*])(?=[ \t]|$)|>|`{3,}[^`]*$|~{3}|[-*_][-*_ \t]*$|=+[ \t]*$"
    r"|(?=[^|]*\|)(?=[^-]*-)[|:\- \t]+$"
    r"|\d{1,9}(?P<dot>[.)])(?=[ \t]|$)"
)
_ATX_OPENING = re.compile(r"(?:^|[ \t>])#{1,6}[ \t]+$")
_ATX_CLOSING = re.compile(r"(?:^|[ \t])#+$")


# A named tuple rather than a frozen dataclass, for the reason model.Line gives.
class AssembleResult(NamedTuple):
    """A localized article and how many of its entries were translated."""

    text: str
    translated_entries: int
    total_entries: int

    @property
    def translated_share(self) -> float:
        """Translated entries over all entries, 1.0 for an article with nothing to translate."""
        return self.translated_entries / self.total_entries if self.total_entries else 1.0


def assemble_article(
    article: Article,
    translations: Mapping[tuple[str | None, str], str],
    *,
    language: str | None = None,
) -> AssembleResult:
    """Rebuild an article, replacing each unit whose entry has a translation.

    Units without a translation keep their source text, so a partly translated article
    is still a whole article.  The share counts entries, as PO statistics and po4a do,
    so a TOC line and its heading count once.  ``language``, the target, is written into
    an HTML document's ``<html lang>`` (and ``dir``); other formats do not record one.
    """
    out: list[str] = [BOM] if article.bom else []
    translated: set[tuple[str | None, str]] = set()
    keys: set[tuple[str | None, str]] = set()  # every entry's, translated or not
    for index, part in enumerate(article.parts):
        if isinstance(part, str):
            if index == 0 and language is not None and _is_html(article):
                # The <html> tag stands before the first unit, in the first layout part.
                part = _html_language(part, language)
            out.append(part)
            continue
        key = part.key
        keys.add(key)
        translation = translations.get(key)
        if translation:
            translated.add(key)
            out.append(render_unit(part, translation))
        else:
            out.append(part.source)
    return AssembleResult("".join(out), len(translated), len(keys))


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
    # HTML and front matter are written by their own modules, loaded only by articles
    # that have them.
    if unit.escape in HTML_ESCAPES:
        from . import htmltext

        if unit.escape is Escape.HTML:
            return htmltext.encode_inline(translation, first.text, newline=unit.newline)
        if unit.escape is Escape.HTML_ATTRIBUTE:
            quote = first.prefix or '"'  # unquoted, it gets quotes: a translation has spaces
            return f"{quote}{htmltext.encode_attribute(translation, first.text, quote)}{quote}"
        source = " ".join(line.text for line in unit.lines)
        translation = htmltext.restore_handlers(translation, source)
    if unit.escape in FRONT_MATTER_ESCAPES:
        from .segment.frontmatter import render_value

        return render_value(unit, translation)
    if unit.single_line:
        text = encode_scalar(" ".join(translation.split("\n")), unit.escape)
        if unit.kind is UnitKind.TERM:  # the one single-line kind that opens its line
            text = literal_line_start(text)
        suffix = last.suffix
        if _ATX_OPENING.search(first.prefix) and not suffix.strip() and _ATX_CLOSING.search(text):
            # "## Stap #" would lose its "#" as a closing sequence; a closing "#" keeps it.
            suffix = " #" + suffix
        return f"{first.prefix}{text}{suffix}"

    if len(unit.lines) > 1:
        continuation = unit.lines[1].prefix
    else:
        continuation = continuation_prefix(first.prefix)
    newline = next((line.eol for line in unit.lines if line.eol), unit.newline)
    width = _wrap_width(unit)
    # A plain-text line break needs no marker; Markdown needs one to stay a hard break.
    default_marker = "\\" if unit.markdown else ""
    break_markers = [line.suffix for line in unit.lines if line.hard_break] or [default_marker]

    out: list[str] = []
    pieces = translation.split("\n")
    for index, piece in enumerate(pieces):
        if unit.markdown:
            piece = literal_line_start(piece)
        prefix = first.prefix if index == 0 else continuation
        rows = _wrap(piece, width, len(prefix), len(continuation)) if width else [piece]
        for row_index, row in enumerate(rows):
            out.append(prefix if row_index == 0 else continuation)
            out.append(row)
            if row_index < len(rows) - 1:
                out.append(newline)
        if index < len(pieces) - 1:
            marker = break_markers[min(index, len(break_markers) - 1)]
            if marker.startswith("\\") and piece.endswith("\\"):
                marker = "  "  # a second backslash would escape the first, not break the line
            out.append(marker)
            out.append(newline)
    out.append(last.suffix if not last.hard_break else "")
    return "".join(out)


def _is_html(article: Article) -> bool:
    from .segment import FORMATS

    return FORMATS.get(PurePosixPath(article.path).suffix.lower()) == "html"


def _html_language(layout: str, language: str) -> str:
    """Layout with the document's language set to ``language``, right to left if it is."""
    from .segment.html import set_document_language

    return set_document_language(layout, language, rtl=is_right_to_left(language))


def is_right_to_left(language: str) -> bool:
    """Whether a language is written right to left, as CLDR (through babel) says.

    >>> is_right_to_left("ar"), is_right_to_left("he_IL"), is_right_to_left("en")
    (True, True, False)
    """
    locale = babel_locale(language)  # babel is loaded only here: only HTML articles ask
    return locale is not None and locale.character_order == "right-to-left"


def _wrap_width(unit: Unit) -> int | None:
    """The source paragraph's wrap width, or None when it was not wrapped (one line per piece)."""
    soft_breaks = any(not line.hard_break for line in unit.lines[:-1])
    if not soft_breaks:
        return None
    return max(len(line.prefix) + len(line.text) for line in unit.lines)


def literal_line_start(line: str) -> str:
    r"""A line of a translated Markdown paragraph without indentation, and with what would
    open a block at its start (a heading, a list item, a quote, a fence, a thematic break, a
    setext underline) escaped: a translation is text, and may not turn a paragraph into a
    heading, a list or code.

    >>> literal_line_start("# Heading"), literal_line_start("2024. A year")
    ('\\# Heading', '2024\\. A year')
    >>> literal_line_start("#hashtag"), literal_line_start("1.5 million"), literal_line_start("---")
    ('#hashtag', '1.5 million', '\\---')
    """
    # Indentation is no text in a paragraph; four spaces of it would start a code block.
    line = line.lstrip(" \t")
    opens = _OPENS_BLOCK.match(line)
    if opens is None:
        return line
    at = opens.start("dot") if opens.group("dot") else 0
    return f"{line[:at]}\\{line[at:]}"


def _wrap(text: str, width: int, first_indent: int, indent: int) -> list[str]:
    r"""Greedy wrap at spaces, never starting a line with something Markdown reads as a block.

    A word that must not begin a line travels with the word before it, and so does the word
    after one that ends in a backslash (a hard break at the end of a line), so lines stay
    within the width unless one such group alone is wider.

    >>> _wrap("een twee drie vier", 10, 0, 0)
    ['een twee', 'drie vier']
    >>> _wrap("zie punt - hier", 9, 0, 0)
    ['zie', 'punt -', 'hier']
    >>> _wrap("pad C:\\ of D:", 6, 0, 0)
    ['pad', 'C:\\ of', 'D:']
    """
    words = text.split(" ")
    groups = [words[0]]
    for previous, word in pairwise(words):
        if not word or not previous or _BLOCK_START.match(word) or is_hard_break(previous):
            groups[-1] = f"{groups[-1]} {word}"
        else:
            groups.append(word)
    rows = [groups[0]]
    for group in groups[1:]:
        limit = width - (first_indent if len(rows) == 1 else indent)
        if len(rows[-1]) + 1 + len(group) <= limit:
            rows[-1] = f"{rows[-1]} {group}"
        else:
            rows.append(group)
    return rows
