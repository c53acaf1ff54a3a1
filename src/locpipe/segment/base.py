"""What every segmenter shares: reading source bytes, splitting lines, building units and parts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..errors import SourceError
from ..model import Escape, Line, Unit, UnitKind

BOM = "\ufeff"
_EOL = re.compile(r"\r\n|\r|\n")
_TRAILING_WS = re.compile(r"[ \t]+$")
_LEADING_WS = re.compile(r"^[ \t]+")


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A physical line: its text without the ending, and the ending itself ('' at end of file)."""

    body: str
    eol: str


def decode_source(data: bytes, path: str) -> tuple[str, bool]:
    """Decode an article's bytes as UTF-8, returning the text and whether it began with a BOM."""
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise SourceError(
            f"binary file (NUL byte at offset {offset}), not a text article",
            path=path,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"invalid UTF-8 at byte offset {exc.start} (line {line}): articles must be UTF-8",
            path=path,
            line=line,
        ) from exc
    if text.startswith(BOM):
        return text[1:], True
    return text, False


def split_lines(text: str) -> list[SourceLine]:
    """Split text into physical lines, keeping each line's own ending (LF, CRLF or CR).

    >>> [(line.body, line.eol) for line in split_lines("a\\r\\nb\\nc")]
    [('a', '\\r\\n'), ('b', '\\n'), ('c', '')]
    """
    lines: list[SourceLine] = []
    start = 0
    for match in _EOL.finditer(text):
        lines.append(SourceLine(text[start : match.start()], match.group()))
        start = match.end()
    if start < len(text):
        lines.append(SourceLine(text[start:], ""))
    return lines


def dominant_newline(lines: Sequence[SourceLine]) -> str:
    """The line ending most of the file uses, for lines a translation adds."""
    endings = [line.eol for line in lines if line.eol]
    if not endings:
        return "\n"
    return max(set(endings), key=endings.count)


def is_hard_break(body: str) -> bool:
    """Whether a Markdown line ends in a hard line break (two spaces or a backslash)."""
    if body.endswith("  "):
        return True
    stripped = body.rstrip("\\")
    return (len(body) - len(stripped)) % 2 == 1


def make_line(prefix: str, body: str, eol: str, *, hard_breaks: bool) -> Line:
    """A unit line from the layout before it and the rest of the source line.

    Leading whitespace moves into the prefix, trailing whitespace (and a hard-break
    backslash) into the suffix, so the unit's text holds only what a translator translates.
    """
    lead = _LEADING_WS.match(body)
    if lead:
        prefix += lead.group()
        body = body[lead.end() :]
    hard = hard_breaks and is_hard_break(body)
    if hard and body.endswith("\\"):
        text, suffix = body[:-1], "\\"
        trail = _TRAILING_WS.search(text)
        if trail:
            text, suffix = text[: trail.start()], trail.group() + suffix
    else:
        trail = _TRAILING_WS.search(body)
        text, suffix = (body[: trail.start()], trail.group()) if trail else (body, "")
    return Line(prefix=prefix, text=text, suffix=suffix, eol=eol, hard_break=hard)


def make_unit(
    kind: UnitKind,
    first_line: int,
    pieces: Sequence[tuple[str, str, str]],
    *,
    newline: str,
    hard_breaks: bool = False,
    escape: Escape = Escape.NONE,
) -> tuple[Unit, str]:
    """Build a unit from ``(prefix, body, eol)`` pieces; return it and the final line ending.

    The last line's ending is returned rather than kept because it belongs to the layout
    after the unit.  A hard break on the last line is not a break (CommonMark), so the
    last line never carries one.
    """
    lines = [
        make_line(prefix, body, eol, hard_breaks=hard_breaks and i < len(pieces) - 1)
        for i, (prefix, body, eol) in enumerate(pieces)
    ]
    last = lines[-1]
    lines[-1] = replace(last, eol="")
    unit = Unit(
        kind=kind,
        lines=tuple(lines),
        line=first_line,
        escape=escape,
        newline=newline,
        markdown=hard_breaks,
    )
    return unit, last.eol


class PartsBuilder:
    """Collects an article's layout and units in order, merging adjacent layout."""

    def __init__(self) -> None:
        self._parts: list[str | Unit] = []

    def layout(self, text: str) -> None:
        """Append untranslatable text."""
        if not text:
            return
        if self._parts and isinstance(self._parts[-1], str):
            self._parts[-1] += text
        else:
            self._parts.append(text)

    def unit(self, unit: Unit) -> None:
        """Append a translation unit."""
        self._parts.append(unit)

    def parts(self) -> tuple[str | Unit, ...]:
        """The parts collected so far."""
        return tuple(self._parts)


def has_words(text: str) -> bool:
    """Whether text holds anything a translator could translate (a letter)."""
    return any(ch.isalpha() for ch in text)


def assign_sections_and_contexts(parts: Iterable[str | Unit]) -> tuple[str | Unit, ...]:
    """Record each unit's section and set msgctxt where equal texts must stay apart.

    A heading and a body text with the same words get separate entries (msgctxt
    ``heading``) because headline style differs from sentence style in many target
    languages (English title case, for one).  Units of the same class with the same text
    stay one entry.
    """
    parts = tuple(parts)
    heading_texts = {p.text for p in parts if isinstance(p, Unit) and p.kind.is_heading}
    body_texts = {p.text for p in parts if isinstance(p, Unit) and not p.kind.is_heading}
    shared = heading_texts & body_texts
    section: str | None = None
    result: list[str | Unit] = []
    for part in parts:
        if isinstance(part, Unit):
            if part.kind is UnitKind.HEADING:
                section = part.text
            own_section = part.section if part.section is not None else section
            if part.kind in (UnitKind.TITLE, UnitKind.TOC):
                own_section = part.section
            context = "heading" if part.kind.is_heading and part.text in shared else None
            part = replace(part, section=own_section, context=context)
        result.append(part)
    return tuple(result)
