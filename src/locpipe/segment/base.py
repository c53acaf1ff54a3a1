"""What every segmenter shares: reading source bytes, splitting lines, building units and parts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from ..errors import SourceError
from ..model import Escape, Line, Unit, UnitKind

BOM = "\ufeff"
# Compiled by re on first use: only text with CR line endings needs it.
_EOL = r"(\r\n|\r|\n)"
BLANKS = " \t"  # what moves from a line's text into its prefix and suffix
# A list item's or a definition's marker, in a prefix of markers; compiled on first use.
_LIST_MARKER = r"([-+*:~]|\d{1,9}[.)])(?=[ \t])"


def continuation_prefix(prefix: str) -> str:
    """The prefix for lines a translation adds after a line with ``prefix`` (container
    markers and indentation): list and definition markers become spaces, quote markers
    stay.

    >>> continuation_prefix("> - ")
    '>   '
    >>> continuation_prefix("  12. "), continuation_prefix(":   ")
    ('      ', '    ')
    """
    return re.sub(_LIST_MARKER, lambda m: " " * len(m.group()), prefix)


class SourceLine(NamedTuple):
    """A physical line: its text without the ending, and the ending itself ('' at end of file).

    A named tuple rather than a dataclass: one is built for every line of every article.
    """

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
    if "\r" in text:
        # body, ending, body, ending, ..., and the text after the last ending
        pieces = re.split(_EOL, text)
        bodies, endings, rest = pieces[0:-1:2], pieces[1::2], pieces[-1]
    else:  # LF only, the usual case: str.split is several times faster than the pattern
        *bodies, rest = text.split("\n")
        endings = ["\n"] * len(bodies)
    lines = list(map(SourceLine, bodies, endings))
    if rest:
        lines.append(SourceLine(rest, ""))
    return lines


def dominant_newline(lines: Sequence[SourceLine]) -> str:
    """The line ending most of the file uses, for lines a translation adds; on a tie, the
    one that comes first, so the choice never depends on the process's hash seed."""
    endings = [line.eol for line in lines if line.eol]
    if not endings:
        return "\n"
    return max(dict.fromkeys(endings), key=endings.count)


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
    rest = body.lstrip(BLANKS)
    prefix += body[: len(body) - len(rest)]
    # Most lines end in neither a space nor a backslash, so is_hard_break need not look.
    hard = hard_breaks and rest.endswith((" ", "\\")) and is_hard_break(rest)
    marker = "\\" if hard and rest.endswith("\\") else ""
    if marker:
        rest = rest[:-1]
    text = rest.rstrip(BLANKS)
    return Line(prefix, text, rest[len(text) :] + marker, eol, hard)


def make_unit(
    kind: UnitKind,
    first_line: int,
    pieces: Sequence[tuple[str, str, str]],
    *,
    newline: str,
    hard_breaks: bool = False,
    escape: Escape = Escape.NONE,
    suffix: str = "",
    section: str | None = None,
) -> tuple[Unit, str]:
    """Build a unit from ``(prefix, body, eol)`` pieces; return it and the final line ending.

    The last line's ending is returned rather than kept because it belongs to the layout
    after the unit.  A hard break on the last line is not a break (CommonMark), so the
    last line never carries one.  ``suffix`` is layout after the last line's text on the
    same line (a closing quote, an ATX closing sequence), added to that line's suffix.
    A segmenter that knows the unit's ``section`` gives it here, which spares
    :func:`assign_sections_and_contexts` placing a copy.
    """
    prefix, body, eol = pieces[-1]
    last = make_line(prefix, body, "", hard_breaks=False)
    if suffix:
        last = Line(last.prefix, last.text, last.suffix + suffix)
    if len(pieces) == 1:  # most units: one line
        unit = Unit.of_line(
            kind,
            last,
            first_line,
            section=section,
            escape=escape,
            newline=newline,
            markdown=hard_breaks,
        )
        return unit, eol
    init = [make_line(p, b, e, hard_breaks=hard_breaks) for p, b, e in pieces[:-1]]
    lines = (*init, last)
    unit = Unit(
        kind=kind,
        lines=lines,
        line=first_line,
        section=section,
        escape=escape,
        newline=newline,
        markdown=hard_breaks,
    )
    return unit, eol


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
    return any(map(str.isalpha, text))


# The rule for units that are not prose: a number has no letter, so it never is a unit; a
# web or e-mail address alone is layout; a name that reads as code (camelCase, snake_case,
# dotted.names) is offered, since "iPhone" or "McDonald" look the same, with a note.
_ADDRESS = re.compile(r"(?:(?:https?|ftp)://|www\.|mailto:)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
_CODE_SHAPE = re.compile(r"[a-z][A-Z]|_|\.")
IDENTIFIER_NOTE = "looks like an identifier (a property or code name): keep it unless it is prose"


def is_address(text: str) -> bool:
    """Whether a text is only a web or e-mail address.

    >>> is_address("https://example.org/a?b=1"), is_address("info@example.org")
    (True, True)
    >>> is_address("Zie https://example.org")
    False
    """
    return bool(_ADDRESS.fullmatch(text))


def looks_like_identifier(text: str) -> bool:
    """Whether a text is one name shaped like code rather than a word.

    >>> [looks_like_identifier(t) for t in ["alcoholPercentage", "sidebar_label", "os.path"]]
    [True, True, True]
    >>> [looks_like_identifier(t) for t in ["Koersk", "ATACMS", "o.a.", "Noord-Holland", "H2O"]]
    [False, False, False, False, False]
    """
    return bool(_NAME.fullmatch(text) and _CODE_SHAPE.search(text))


def screen_units(parts: Iterable[str | Unit]) -> tuple[str | Unit, ...]:
    """Parts with the rule for units that are not prose applied: an address becomes layout,
    an identifier carries :data:`IDENTIFIER_NOTE`."""
    parts = tuple(parts)
    if not any(_needs_screening(part) for part in parts if isinstance(part, Unit)):
        return parts  # most articles: every unit prose, nothing to rebuild
    builder = PartsBuilder()
    for part in parts:
        if isinstance(part, str):
            builder.layout(part)
        elif is_address(part.text):
            builder.layout(part.source)
        elif looks_like_identifier(part.text):
            builder.unit(replace(part, notes=(*part.notes, IDENTIFIER_NOTE)))
        else:
            builder.unit(part)
    return builder.parts()


def _needs_screening(unit: Unit) -> bool:
    """Whether the rule for units that are not prose changes ``unit``."""
    text = unit.text
    # Neither an address nor a name holds a space: most units are done with at once.
    return " " not in text and (is_address(text) or looks_like_identifier(text))


# The title and the table of contents come before any section.
_OUTSIDE_SECTIONS = frozenset({UnitKind.TITLE, UnitKind.TOC})


def assign_sections_and_contexts(parts: Iterable[str | Unit]) -> tuple[str | Unit, ...]:
    """Record each unit's section and set msgctxt where equal texts must stay apart.

    A heading and a body text with the same words get separate entries (msgctxt
    ``heading``) because headline style differs from sentence style in many target
    languages (English title case, for one).  Units of the same class with the same text
    stay one entry.
    """
    parts = tuple(parts)
    heading_texts: set[str] = set()
    body_texts: set[str] = set()
    for part in parts:
        if isinstance(part, Unit):
            (heading_texts if part.kind.is_heading else body_texts).add(part.text)
    shared = heading_texts & body_texts
    section: str | None = None
    result: list[str | Unit] = []
    for part in parts:
        if isinstance(part, Unit):
            kind = part.kind
            if kind is UnitKind.HEADING:
                section = part.text
            own_section = part.section
            if own_section is None and kind not in _OUTSIDE_SECTIONS:
                own_section = section
            context = "heading" if part.text in shared and kind.is_heading else None
            if own_section != part.section or context != part.context:
                part = part.placed(own_section, context)
        result.append(part)
    return tuple(result)
