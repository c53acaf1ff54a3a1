"""Plain-text articles, as newsrooms paste them: a title, maybe a table of contents, sections.

The rules, in the order they are applied:

- blocks are runs of non-blank lines; consecutive lines of a block are one paragraph;
- the first non-empty line is the title;
- a *heading-like* block is a single short line that does not end like a sentence;
  it is a heading when the block after it is a paragraph or itself a heading, so a
  trailing "Meer voor jou" or a "Volg ons op MSN ..." line before it stays a paragraph;
- a run of short lines before the first heading whose lines all reappear as headings is
  a table of contents; when the run's last line is itself followed by a paragraph it is
  the first heading, glued to the table of contents without a blank line (as in the seed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from ..model import Line, Unit, UnitKind
from .base import (
    BLANKS,
    SourceLine,
    dominant_newline,
    is_address,
    make_line,
    make_unit,
    split_lines,
)

HEADING_MAX_CHARS = 100
_SENTENCE_END = (".", ",", ";", "…")
_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits


class _Block(NamedTuple):
    """A run of non-blank lines, by index into the article's lines."""

    start: int
    end: int  # exclusive

    @property
    def size(self) -> int:
        return self.end - self.start


def normalize_heading(text: str) -> str:
    """Heading text compared loosely: case, punctuation and spacing ignored.

    >>> normalize_heading("Steun met beperkingen?") == normalize_heading("steun met  beperkingen")
    True
    """
    return " ".join(_WORD.findall(text.casefold()))


def segment_plain(text: str) -> tuple[str | Unit, ...]:
    """Cut a plain-text article into layout and units (title, TOC, headings, paragraphs)."""
    lines = split_lines(text)
    blocks = _blocks(lines)
    if not blocks:
        return (text,) if text else ()
    newline = dominant_newline(lines) if "\r" in text else "\n"  # most text: LF only

    # The title is the first line; the rest of its block, if any, is a block of its own.
    title = _Block(blocks[0].start, blocks[0].start + 1)
    rest = [_Block(title.end, blocks[0].end)] if blocks[0].size > 1 else []
    body = rest + blocks[1:]

    heading_like = [_is_heading_like(b, lines) for b in body]
    is_heading = [False] * len(body)
    for i in range(len(body) - 2, -1, -1):
        is_heading[i] = heading_like[i] and (not heading_like[i + 1] or is_heading[i + 1])

    toc_lines, toc_heading, toc_targets = _find_toc(body, is_heading, heading_like, lines)

    kinds: dict[int, UnitKind] = {title.start: UnitKind.TITLE}
    for block, heading in zip(body, is_heading, strict=True):
        if heading:
            kinds[block.start] = UnitKind.HEADING
    for index in toc_lines:
        kinds[index] = UnitKind.TOC
    if toc_heading is not None:
        kinds[toc_heading] = UnitKind.HEADING

    parts: list[str | Unit] = []
    layout = ""  # what stands between the last unit and the next
    position = 0
    section: str | None = None  # the text of the last heading: what a unit after it is in
    for start, end, kind in sorted(_unit_spans(title, body, kinds)):
        if position < start:
            layout += "".join([blank.body + blank.eol for blank in lines[position:start]])
        if layout:
            parts.append(layout)
        placed = None if kind is UnitKind.TITLE or kind is UnitKind.TOC else section
        if end - start == 1:
            # Most units, and every title, heading and TOC line: one line, made into a
            # unit here rather than by make_unit, with its section known.
            source, layout = lines[start]
            if source[:1] in BLANKS or source[-1:] in BLANKS:
                line = make_line("", source, "", hard_breaks=False)
            else:  # most lines: nothing around the text to move into prefix or suffix
                line = Line("", source)
            if kind is UnitKind.HEADING:
                placed = line.text  # a heading is in its own section
                if not is_address(line.text):  # an address alone is layout (screen_units)
                    section = line.text
            unit = Unit.of_line(kind, line, start + 1, section=placed, newline=newline)
        else:
            pieces = [("", line.body, line.eol) for line in lines[start:end]]
            unit, layout = make_unit(kind, start + 1, pieces, newline=newline, section=placed)
        if kind is UnitKind.TOC and toc_targets.get(start) not in (None, unit.text):
            unit = _with_note(unit, f"table of contents entry for: {toc_targets[start]}")
        parts.append(unit)
        position = end
    layout += "".join([blank.body + blank.eol for blank in lines[position:]])
    if layout:
        parts.append(layout)
    return tuple(parts)


def _blocks(lines: Sequence[SourceLine]) -> list[_Block]:
    """Runs of non-blank lines."""
    blocks: list[_Block] = []
    start: int | None = None
    for index, line in enumerate(lines):
        blank = not line.body.strip()
        if blank and start is not None:
            blocks.append(_Block(start, index))
            start = None
        elif not blank and start is None:
            start = index
    if start is not None:
        blocks.append(_Block(start, len(lines)))
    return blocks


def _is_short_line(body: str) -> bool:
    """A line short enough, and unlike a sentence enough, to be a heading."""
    text = body.strip()
    return 0 < len(text) <= HEADING_MAX_CHARS and not text.endswith(_SENTENCE_END)


def _is_heading_like(block: _Block, lines: Sequence[SourceLine]) -> bool:
    return block.size == 1 and _is_short_line(lines[block.start].body)


def _find_toc(
    body: Sequence[_Block],
    is_heading: Sequence[bool],
    heading_like: Sequence[bool],
    lines: Sequence[SourceLine],
) -> tuple[list[int], int | None, dict[int, str]]:
    """Find a table of contents before the first heading.

    Returns the TOC's line indexes, the index of a heading glued to its end (or None), and
    for each TOC line the heading text it points to.
    """
    first_heading = next((i for i, h in enumerate(is_heading) if h), len(body))
    for position in range(min(first_heading + 1, len(body))):
        block = body[position]
        if block.size < 2 or not all(
            _is_short_line(lines[i].body) for i in range(block.start, block.end)
        ):
            continue
        later = [
            lines[b.start].body.strip()
            for b, h in zip(body[position + 1 :], is_heading[position + 1 :], strict=True)
            if h
        ]
        whole = _match_headings(range(block.start, block.end), later, lines)
        if whole is not None:
            return list(range(block.start, block.end)), None, whole
        # The last line may be the first heading, glued to the TOC without a blank line.
        following = position + 1
        glued_is_heading = following < len(body) and (
            not heading_like[following] or is_heading[following]
        )
        glued = lines[block.end - 1].body.strip()
        if glued_is_heading and block.size >= 3:
            targets = _match_headings(range(block.start, block.end - 1), [glued, *later], lines)
            if targets is not None:
                return list(range(block.start, block.end - 1)), block.end - 1, targets
    return [], None, {}


def _match_headings(
    indexes: range, headings: Sequence[str], lines: Sequence[SourceLine]
) -> dict[int, str] | None:
    """Map each line to the heading it names (exactly, else loosely), or None if one names none."""
    exact = set(headings)
    loose: dict[str, str] | None = None  # built only once a line names no heading exactly
    targets: dict[int, str] = {}
    for index in indexes:
        text = lines[index].body.strip()
        if text in exact:
            targets[index] = text
            continue
        if loose is None:
            loose = {normalize_heading(h): h for h in reversed(headings)}
        target = loose.get(normalize_heading(text))
        if target is None:
            return None
        targets[index] = target
    return targets


def _unit_spans(
    title: _Block, body: Sequence[_Block], kinds: dict[int, UnitKind]
) -> list[tuple[int, int, UnitKind]]:
    """Line ranges of every unit: single lines for title, TOC and headings, blocks otherwise."""
    spans = [(title.start, title.end, UnitKind.TITLE)]
    for block in body:
        paragraph_start: int | None = None
        for index in range(block.start, block.end):
            kind = kinds.get(index)
            if kind is None:
                if paragraph_start is None:
                    paragraph_start = index
                continue
            if paragraph_start is not None:
                spans.append((paragraph_start, index, UnitKind.PARAGRAPH))
                paragraph_start = None
            spans.append((index, index + 1, kind))
        if paragraph_start is not None:
            spans.append((paragraph_start, block.end, UnitKind.PARAGRAPH))
    return spans


def _with_note(unit: Unit, note: str) -> Unit:
    return replace(unit, notes=(*unit.notes, note))
