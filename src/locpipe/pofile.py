"""PO file syntax: reading catalogs in one checked pass, and rendering them exactly as polib
and GNU gettext lay them out.

Both work on locpipe's own :class:`~locpipe.pomodel.Catalog`.  :func:`parse_catalog` reads
what ``polib.pofile`` reads, field for field, and in the same pass refuses, with the line,
what ``msgfmt`` refuses but polib would read silently or wrongly.  It replaced polib's
parser followed by a separate syntax check over the same lines: one pass instead of two.

:func:`render_catalog` writes the same text as polib 1.2.0's ``str(po)``, byte for byte,
including polib's oddities, so that switching to it changes no existing catalog.  polib
spends most of its time in :mod:`textwrap`; here a line that fits is written as it is, and
a long one is cut where polib's ``TextWrapper`` would cut it, found with ``str.rfind``
from the end of each line instead of by splitting the text into chunks with textwrap's
word-separator regex and adding them up one by one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from .errors import CatalogError
from .pomodel import Catalog, Entry

__all__ = ["parse_catalog", "physical_lines", "render_catalog"]

# The keys polib puts first in the header entry, in this order; the others follow sorted.
_METADATA_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)
_NON_SPACE_RUNS = re.compile(r" +|[^ ]+")
_SPECIAL = re.compile(r'[\\\t\r\n\v\b\f"]')  # what polib.escape escapes
# That, and where str.splitlines cuts a line (which polib follows).
_SPECIAL_OR_BREAK = re.compile(r'[\\\t\r\n\v\b\f"\x1c\x1d\x1e\x85\u2028\u2029]')
# The character classes of textwrap's word-separator regex (TextWrapper.wordsep_re), which
# cuts words at hyphens; matched one character at a time with Pattern.match(text, pos).
_LETTER = re.compile(r"[^\d\W]")  # a word character but not a digit: "_" is one
_WORD = re.compile(r"\w")
_WORD_PUNCT = re.compile(r"[\w!\"'&.,?]")
_DIGIT_RUNS = re.compile("([0-9]+)")
# What textwrap turns into a space before wrapping a comment (ASCII whitespace only).
_TO_SPACE = {ord(char): " " for char in "\t\n\x0b\x0c\r "}
_TABSIZE = 8  # textwrap's default, used when polib wraps a comment holding a tab
_PREVIOUS_FIELDS = (
    ("previous_msgctxt", "msgctxt"),
    ("previous_msgid", "msgid"),
    ("previous_msgid_plural", "msgid_plural"),
)


def render_catalog(po: Catalog, *, width: int = 78) -> str:
    """The text of a PO or POT file, identical to polib's ``str(po)`` for the same catalog
    at a ``wrapwidth`` of ``width``: header comment, header entry, entries, then obsolete
    entries."""
    lines: list[str] = []
    for line in po.header.split("\n"):
        if not line:
            lines.append("#")
        elif line[0] in ",:":
            # polib glues a line starting with "," or ":" to the "#", so that a header
            # line can itself be a flag or reference comment.
            lines.append("#" + line)
        else:
            lines.append("# " + line)
    _render_header_entry(lines, po, width)
    parts = ["\n".join(lines)]
    obsolete = []
    for entry in po.entries:
        if entry.obsolete:
            obsolete.append(entry)
        else:
            parts.append(_entry_text(entry, width))
    parts.extend(_entry_text(entry, width) for entry in obsolete)
    return "\n\n".join(parts) + "\n"


# Entries rendered lately, by everything their text depends on.  A new catalog's entries
# are its template's, rendered just before; on a re-run, a template's entries are those of
# the template read back.  Bounded so that a long run's memory stays flat.
_RENDERED: dict[tuple[object, ...], str] = {}
_RENDERED_LIMIT = 4096


def _entry_text(entry: Entry, width: int) -> str:
    """The lines of one entry, joined; remembered, since the same entry is often rendered
    twice in a row (in a template, then in a catalog)."""
    key = (
        entry.msgid,
        entry.msgstr,
        entry.msgctxt,
        entry.msgid_plural,
        tuple(entry.msgstr_plural.items()),
        tuple(entry.flags),
        entry.tcomment,
        entry.comment,
        tuple(entry.occurrences),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        entry.obsolete,
        width,
    )
    text = _RENDERED.get(key)
    if text is None:
        lines: list[str] = []
        _render_entry(lines, entry, width)
        text = "\n".join(lines)
        if len(_RENDERED) >= _RENDERED_LIMIT:
            _RENDERED.clear()
        _RENDERED[key] = text
    return text


def _render_header_entry(lines: list[str], po: Catalog, width: int) -> None:
    """The entry with the empty msgid that carries the metadata, as polib builds it."""
    fields = _ordered_metadata(po.metadata)
    if po.metadata_is_fuzzy:
        lines.append("#, fuzzy")
    # Always 'msgid ""', but through _render_field so that a width of 2 or less fails here
    # as it does in polib.
    _render_field(lines, "", "msgid", "", width)
    # Joined and ended with "\n" like polib; a single field therefore makes a one-line
    # msgstr, which _render_field does not start with an empty "" line.
    msgstr = "\n".join("%s: %s" % field for field in fields) + "\n" if fields else ""  # noqa: UP031
    _render_field(lines, "", "msgstr", msgstr, width)


def _ordered_metadata(metadata: dict[str, str]) -> list[tuple[str, str]]:
    """The header fields in polib's order: the usual ones first, then natural sort order."""
    rest = dict(metadata)
    ordered = [(name, rest.pop(name)) for name in _METADATA_ORDER if name in rest]
    ordered.extend((name, rest[name]) for name in sorted(rest, key=_natural_key))
    return ordered


def _natural_key(name: str) -> list[int | str]:
    # polib's natural_sort: digit runs compare as numbers, the rest case-insensitively.
    return [int(part) if part.isdigit() else part.lower() for part in _DIGIT_RUNS.split(name)]


def _render_entry(lines: list[str], entry: Entry, width: int) -> None:
    """One entry, as polib's ``POEntry.__unicode__`` lays it out."""
    obsolete = entry.obsolete
    # polib leaves the extracted comments and the references off obsolete entries.
    _render_comment(lines, entry.tcomment, "# ", width)
    if not obsolete:
        _render_comment(lines, entry.comment, "#. ", width)
        if entry.occurrences:
            _render_occurrences(lines, entry.occurrences, width)
    flags = entry.flags
    if flags:
        lines.append("#, " + ", ".join(flags))  # polib never wraps flags
    previous = "#~| " if obsolete else "#| "
    for attribute, keyword in _PREVIOUS_FIELDS:
        value = getattr(entry, attribute)
        if value is not None:
            # polib measures the field as "previous_msgid", not "msgid", and leaves out the
            # "#| ": previous strings are wrapped later than the same msgid would be.
            _render_field(lines, previous, keyword, value, width, counted=attribute)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        _render_field(lines, prefix, "msgctxt", entry.msgctxt, width)
    _render_field(lines, prefix, "msgid", entry.msgid, width)
    if entry.msgid_plural:
        _render_field(lines, prefix, "msgid_plural", entry.msgid_plural, width)
    plurals = entry.msgstr_plural
    if plurals:
        for index in sorted(plurals):
            keyword = "msgstr[%s]" % index  # noqa: UP031  # the same text polib makes of a key
            _render_field(lines, prefix, keyword, plurals[index], width)
    else:
        _render_field(lines, prefix, "msgstr", entry.msgstr, width)


def _render_field(
    lines: list[str], prefix: str, keyword: str, text: str, width: int, *, counted: str = ""
) -> None:
    """A keyword and its quoted string, cut into lines the way polib's ``_str_field`` does.

    polib counts the keyword (or ``counted``, when given) with a space and two quotes
    against the width, and not the prefix (``#~ ``, ``#| ``).
    """
    if _SPECIAL_OR_BREAK.search(text) is None and (
        width <= 0 or len(text) <= width - len(counted or keyword) - 3
    ):
        # The usual case: one line, nothing to escape, short enough to stand as it is.
        lines.append(f'{prefix}{keyword} "{text}"')
        return
    parts = text.splitlines(True)
    if len(parts) > 1:
        # A string of several lines (split at any of str.splitlines' boundaries, U+2028
        # included) is cut after each, and its lines are never wrapped, however long.
        lines.append(f'{prefix}{keyword} ""')
        lines.extend(f'{prefix}"{_escape(part)}"' for part in parts)
        return
    escaped = _escape(text)
    # polib subtracts the escapes from the length instead of adding them (its test is
    # len(text) - escapes > width - len(keyword) - 3), so a string with quotes or
    # backslashes can come out longer than the width without being wrapped.
    if width > 0 and 2 * len(text) - len(escaped) > width - len(counted or keyword) - 3:
        if width <= 2:
            raise ValueError(f"invalid width {width - 2!r} (must be > 0)")  # as textwrap does
        lines.append(f'{prefix}{keyword} ""')
        # polib unescapes each piece and escapes it again, which gives the piece back: the
        # cuts fall at spaces, after hyphens and before "--", never inside a "\x" escape.
        lines.extend(f'{prefix}"{piece}"' for piece in _wrap_escaped(escaped, width - 2))
    else:
        lines.append(f'{prefix}{keyword} "{escaped}"')


def _escape(text: str) -> str:
    # polib.escape, in its order (the backslash first).  Most strings hold nothing to
    # escape, and one scan for that is cheaper than eight replace passes.
    if _SPECIAL.search(text) is None:
        return text
    return (
        text.replace("\\", r"\\")
        .replace("\t", r"\t")
        .replace("\r", r"\r")
        .replace("\n", r"\n")
        .replace("\v", r"\v")
        .replace("\b", r"\b")
        .replace("\f", r"\f")
        .replace('"', r"\"")
    )


def _wrap_escaped(text: str, width: int) -> list[str]:
    """An escaped string cut like ``textwrap.wrap(text, width, drop_whitespace=False,
    break_long_words=False)``; after escaping, a space is its only whitespace.

    textwrap's chunks are the runs of spaces and the words, themselves cut after some
    hyphens (:func:`_hyphen_breaks`).  Its greedy wrap ends each line at the last chunk
    boundary within the width, or, when the line's first chunk is longer than that, after
    the whole chunk.
    """
    breaks = _hyphen_breaks(text) if "-" in text else []
    pieces: list[str] = []
    start, size = 0, len(text)
    while size - start > width:
        end = start + width
        if (text[end] == " ") != (text[end - 1] == " "):
            cut = end
        elif text[end] == " ":
            cut = end - 1  # back to where this run of spaces begins
            while cut > start and text[cut - 1] == " ":
                cut -= 1
            if cut == start:  # the spaces alone are longer than a line
                cut = end + 1
                while cut < size and text[cut] == " ":
                    cut += 1
        else:
            cut = text.rfind(" ", start, end) + 1  # the start of the word crossing the end
            after = bisect_right(breaks, end)  # breaks[:after] are at or before the end
            if after and breaks[after - 1] > cut:
                cut = breaks[after - 1]
            if cut <= start:  # a chunk longer than a line stands alone on its own
                cut = text.find(" ", end)
                if cut < 0:
                    cut = size
                if after < len(breaks) and breaks[after] < cut:
                    cut = breaks[after]
        pieces.append(text[start:cut])
        start = cut
    if start < size:
        pieces.append(text[start:])
    return pieces


def _hyphen_breaks(text: str) -> list[int]:
    """Where textwrap's ``wordsep_re`` cuts inside words, in increasing order.

    The regex cuts after a single hyphen with two letters (or a letter, a hyphen and a
    letter) before it and a letter and another letter (or a hyphen and a letter) after it,
    as in "Zeeuws-|Vlaanderen"; and on both sides of a run of two or more hyphens between
    a word or punctuation character and a word character, as in "ab|--|cd".  Letters are
    Unicode word characters other than digits.
    """
    breaks: list[int] = []
    size = len(text)
    hyphen = text.find("-")
    while hyphen >= 0:
        after = hyphen + 1
        while after < size and text[after] == "-":
            after += 1
        if after - hyphen > 1:
            if (
                hyphen
                and _WORD_PUNCT.match(text, hyphen - 1)
                and _WORD.match(text, after)  # None at the end of the text
            ):
                breaks += (hyphen, after)
        elif (
            _LETTER.match(text, after)
            and (
                _LETTER.match(text, after + 1)
                or (text.startswith("-", after + 1) and _LETTER.match(text, after + 2))
            )
            and (
                (
                    hyphen >= 2
                    and _LETTER.match(text, hyphen - 2)
                    and _LETTER.match(text, hyphen - 1)
                )
                or (
                    hyphen >= 3
                    and _LETTER.match(text, hyphen - 3)
                    and text[hyphen - 2] == "-"
                    and _LETTER.match(text, hyphen - 1)
                )
            )
        ):
            breaks.append(after)
        hyphen = text.find("-", after)
    return breaks


def _chunks(text: str) -> list[str]:
    """The chunks of textwrap's ``_split``: runs of spaces, and words cut at their hyphens."""
    runs: list[str] = _NON_SPACE_RUNS.findall(text)
    if "-" not in text:
        return runs
    chunks: list[str] = []
    start = 0
    breaks = iter(_hyphen_breaks(text))
    cut = next(breaks, -1)
    for run in runs:
        end = start + len(run)
        while 0 <= cut < end:  # breaks fall inside words only
            chunks.append(text[start:cut])
            start, cut = cut, next(breaks, -1)
        chunks.append(text[start:end])
        start = end
    return chunks


def _render_comment(lines: list[str], comment: str | None, prefix: str, width: int) -> None:
    """A translator or extracted comment, one or more ``prefix`` lines per line of it."""
    if not comment:
        return
    for line in comment.split("\n"):
        # An empty line becomes "# " with its trailing space, as polib writes it.
        if width > 0 and len(line) + len(prefix) > width:
            lines.extend(_wrap_words(line, width, prefix))
        else:
            lines.append(prefix + line)


def _render_occurrences(
    lines: list[str], occurrences: Iterable[tuple[str, str]], width: int
) -> None:
    """The ``#:`` references, wrapped at spaces like polib does."""
    text = " ".join(
        "%s:%s" % (path, number) if number else path  # noqa: UP031  # str() of an int line
        for path, number in occurrences
    )
    if width > 0 and len(text) + 3 > width:
        # polib hides hyphens as "*" from textwrap so that it does not cut file names after
        # them, and turns every "*" back into "-": a "*" in a path comes out as "-".  It
        # does cut a path at its spaces, though, and its tabs become spaces.
        lines.extend(
            line.replace("*", "-") for line in _wrap_words(text.replace("-", "*"), width, "#: ")
        )
    else:
        lines.append("#: " + text)


def _wrap_words(text: str, width: int, indent: str) -> list[str]:
    """``textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent,
    break_long_words=False)``: tabs expanded, whitespace dropped around the cuts."""
    chunks = _chunks(text.expandtabs(_TABSIZE).translate(_TO_SPACE))
    room = width - len(indent)
    wrapped: list[str] = []
    index, count = 0, len(chunks)
    while index < count:
        # textwrap's test for "whitespace" is str.strip, which knows Unicode spaces: a
        # no-break space standing alone between spaces is dropped at a cut like a space.
        if wrapped and not chunks[index].strip():
            index += 1
        first, length = index, 0
        while index < count and length + len(chunks[index]) <= room:
            length += len(chunks[index])
            index += 1
        if index < count and index == first and len(chunks[index]) > room:
            index += 1  # a chunk too long for any line takes a line of its own
        last = index
        if last > first and not chunks[last - 1].strip():
            last -= 1
        if last > first:
            wrapped.append(indent + "".join(chunks[first:last]))
    return wrapped


# Reading

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "v": "\v",
    "b": "\b",
    "f": "\f",
    "\\": "\\",
    '"': '"',
}
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?:\s+(.*))?")
_PREVIOUS = re.compile(r"(?:(msgctxt|msgid_plural|msgid)\s+)?(.*)")
_CONTEXT_SEPARATOR = "\x04"  # joins msgctxt and msgid in MO files, so msgfmt refuses it


def parse_catalog(text: str, *, path: str) -> Catalog:
    """Parse the text of a PO or POT file into the catalog ``polib.pofile`` would read.

    One pass both builds the entries and refuses, with the file and line, what ``msgfmt``
    refuses but polib reads silently or wrongly: an unterminated string, a value without
    quotes, a ``msgid`` without ``msgstr``, keywords out of order, an escape polib would
    alter, U+0004, and a duplicate entry.  Lines may end in LF, CRLF or CR.
    """
    parser = _Parser(path)
    feed = parser.feed
    for number, line in enumerate(physical_lines(text), start=1):
        if stripped := line.strip():  # blank lines separate entries, and say nothing
            feed(number, stripped)
    return parser.finish()


def physical_lines(text: str) -> list[str]:
    """Lines split the way polib splits a file (LF, CRLF or CR), without a leading BOM."""
    text = text.removeprefix("\ufeff")
    lines = re.split(r"\r\n|\r|\n", text) if "\r" in text else text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class _Parser:
    """A state machine over stripped PO lines.

    ``state`` is ``between`` outside an entry's keywords, else the keyword whose strings
    are being read (``msgstr[]`` for any plural form).  The entry being read is filled in
    place and added to the catalog once complete; comments after a complete entry start
    the next one, as polib attaches them.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.po = Catalog()
        self.state = "between"
        self.in_header = True  # leading translator comments are the file's header comment
        self.after_comment = False
        self.seen: dict[tuple[str | None, str], int] = {}
        self._new_entry(0)

    def _new_entry(self, number: int) -> None:
        self.entry = Entry(linenum=number)
        self.msgid_line = 0
        self.previous_key = ""
        self.plural_index = 0

    def error(self, message: str, line: int) -> CatalogError:
        return CatalogError(message, path=self.path, line=line)

    def feed(self, number: int, line: str) -> None:
        """Read one stripped, non-empty line."""
        obsolete = False
        if line[0] == "#":
            second = line[1:2]
            if second == "~":
                line = line[2:].lstrip()
                if not line or line[0] == "|":
                    return
                obsolete = True
            else:
                self.comment_line(number, line, second)
                return
        if line[0] == '"':
            if self.state == "between" or self.after_comment:
                raise self.error("a string continues no msgid, msgstr or msgctxt", number)
            self.add_string(self.state, self.string(number, line))
            return
        # Most keyword lines are these two, which need no pattern to take apart.
        if line.startswith('msgid "'):
            self.keyword(number, "msgid", None, line[6:], obsolete)
            return
        if line.startswith('msgstr "'):
            self.keyword(number, "msgstr", None, line[7:], obsolete)
            return
        match = _KEYWORD.fullmatch(line)
        if match is None:
            word = line.split(None, 1)[0]
            raise self.error(f"unknown keyword {word!r}: expected msgid, msgstr or msgctxt", number)
        keyword, index, rest = match.groups()
        self.keyword(number, keyword, index, rest or "", obsolete)

    def comment_line(self, number: int, line: str, second: str) -> None:
        """A ``#`` line: translator or extracted comment, reference, flags, previous msgid."""
        if second in (".", ":", ",") and not line[2:].strip():
            return  # polib skips an empty one as if it were not there
        self.in_header = self.in_header and second in ("", " ", "\t", "#")
        if self.in_header:
            # polib keeps the header comment's lines minus their first two characters.
            self.po.header += ("\n" if self.po.header else "") + line[2:]
            return
        if self.state in ("msgstr", "msgstr[]"):
            self.end_entry()
            self._new_entry(number)
        elif self.state == "between" and not self.entry.linenum:
            self.entry.linenum = number
        self.after_comment = True
        entry = self.entry
        rest = line[2:]
        if second == ".":
            entry.comment = _add_line(entry.comment, rest[1:] if rest[:1] in " \t" else rest)
        elif second == ":":
            for occurrence in rest.split():
                file, colon, lineno = occurrence.rpartition(":")
                if colon and lineno.isdigit():
                    entry.occurrences.append((file, lineno))
                else:
                    entry.occurrences.append((occurrence, ""))
        elif second == ",":
            entry.flags.extend(flag.strip() for flag in rest.split(","))
        elif second == "|":
            self.previous_line(number, rest.strip())
        else:
            text = line.lstrip("#")
            entry.tcomment = _add_line(entry.tcomment, text[1:] if text[:1] == " " else text)

    def previous_line(self, number: int, rest: str) -> None:
        """A ``#|`` line: a previous msgctxt, msgid or msgid_plural, or its continuation."""
        match = _PREVIOUS.fullmatch(rest)
        if match is None or not match.group(2).startswith('"'):
            raise self.error("malformed previous-msgid comment (#|)", number)
        keyword, value = match.group(1), self.string(number, match.group(2))
        if keyword:
            self.previous_key = keyword
            setattr(self.entry, "previous_" + keyword, value)
        elif self.previous_key:
            name = "previous_" + self.previous_key
            setattr(self.entry, name, getattr(self.entry, name) + value)
        else:
            raise self.error("malformed previous-msgid comment (#|)", number)

    def keyword(
        self, number: int, keyword: str, index: str | None, rest: str, obsolete: bool
    ) -> None:
        """A keyword line: it must come in the order msgctxt, msgid, msgid_plural, msgstr."""
        self.in_header = False
        state = self.state
        if keyword == "msgctxt" or keyword == "msgid":
            if state in ("msgid", "msgid_plural"):
                raise self.error("msgid without msgstr", self.msgid_line)
            if state == "msgctxt" and keyword == "msgctxt":
                raise self.error("msgctxt without msgid", self.entry.linenum)
            if state in ("msgstr", "msgstr[]"):
                self.end_entry()
                self._new_entry(number)
            elif not self.entry.linenum:
                self.entry.linenum = number
            if keyword == "msgid":
                self.msgid_line = number
                self.entry.obsolete = obsolete
        elif keyword == "msgid_plural":
            if state != "msgid":
                raise self.error("msgid_plural without msgid", number)
        elif index is None:
            if state != "msgid":
                raise self.error("msgstr without msgid", number)
        else:
            if state not in ("msgid_plural", "msgstr[]"):
                raise self.error(f"{keyword} without msgid_plural", number)
            self.plural_index = int(index)
            self.entry.msgstr_plural[self.plural_index] = ""
        self.state = keyword if index is None else "msgstr[]"
        self.after_comment = False
        if not rest:
            raise self.error("missing string", number)
        self.add_string(self.state, self.string(number, rest))

    def add_string(self, state: str, value: str) -> None:
        entry = self.entry
        if state == "msgid":
            entry.msgid += value
        elif state == "msgstr":
            entry.msgstr += value
        elif state == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif state == "msgstr[]":
            entry.msgstr_plural[self.plural_index] += value
        else:
            entry.msgid_plural += value

    def string(self, number: int, text: str) -> str:
        """The value of one quoted string, which must be all that is left on the line."""
        if text[0] != '"':
            raise self.error("missing opening quote", number)
        # Most strings hold neither a backslash nor an inner quote: no escapes to check or undo.
        if "\\" not in text and text.find('"', 1) == len(text) - 1:
            body = text[1:-1]
        else:
            match = _STRING.match(text)
            if match is None:
                raise self.error("unterminated string", number)
            if text[match.end() :].strip():
                raise self.error("unexpected text after the closing quote", number)
            body = match.group(1)
            if "\\" in body:
                for escape in _ESCAPE.finditer(body):
                    if escape.group(1) not in _UNESCAPES:
                        raise self.error(
                            f"unsupported escape sequence '\\{escape.group(1)}'", number
                        )
                body = _ESCAPE.sub(lambda m: _UNESCAPES[m.group(1)], body)
        if _CONTEXT_SEPARATOR in body:
            raise self.error("control character U+0004 in a string", number)
        return body

    def end_entry(self) -> None:
        """Add the entry just read, refusing a key seen before."""
        entry = self.entry
        key = (entry.msgctxt, entry.msgid)  # obsolete entries too, as msgfmt counts them
        if key in self.seen:
            raise self.error(
                f"duplicate entry (first defined at line {self.seen[key]})", self.msgid_line
            )
        self.seen[key] = self.msgid_line
        self.po.entries.append(entry)
        self.state = "between"

    def finish(self) -> Catalog:
        if self.state == "msgctxt":
            raise self.error("msgctxt without msgid", self.entry.linenum)
        if self.state in ("msgid", "msgid_plural"):
            raise self.error("msgid without msgstr", self.msgid_line)
        if self.state != "between":
            self.end_entry()
        _take_metadata(self.po)
        return self.po


def _add_line(comment: str, line: str) -> str:
    """A comment with one more line; empty lines before the first text are lost, as in polib
    (keeping them would change the file the next time it is written)."""
    return f"{comment}\n{line}" if comment else line


def _take_metadata(po: Catalog) -> None:
    """Move the header entry (``msgid ""``) into ``po.metadata``, as polib does."""
    entry = next((e for e in po if e.msgid == "" and e.msgctxt is None and not e.obsolete), None)
    if entry is None:
        return
    po.remove(entry)
    # polib keeps the header's flags, whatever they are, and writes any of them as "fuzzy".
    po.metadata_is_fuzzy = bool(entry.flags)
    key = None
    for line in entry.msgstr.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            key = name
            po.metadata[key] = value.strip()
        elif key is not None:
            po.metadata[key] += "\n" + line.strip()
