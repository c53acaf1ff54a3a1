"""PO file syntax: reading catalogs in one checked pass, and rendering them exactly as GNU
gettext lays them out.

Both work on locpipe's own :class:`~locpipe.pomodel.Catalog`.  :func:`parse_catalog` reads
what ``polib.pofile`` reads, field for field, and in the same pass refuses, with the line,
what ``msgfmt`` refuses but polib would read silently or wrongly.  It replaced polib's
parser followed by a separate syntax check over the same lines: one pass instead of two.

:func:`render_catalog` writes what ``msgcat`` (and msgmerge, and every gettext tool) writes
for the same catalog, byte for byte, so that a translator's tool and locpipe never rewrite
each other's layout: strings wrapped at 79 columns where libunistring's line breaking
allows (:mod:`locpipe.linebreak`), cut after each ``\\n``; comments never wrapped;
references filled up to the width; only the flags gettext writes where it writes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise
from urllib.parse import quote_plus, unquote_plus

from .errors import CatalogError
from .linebreak import width_breaks
from .pomodel import Catalog, Entry

__all__ = ["PAGE_WIDTH", "ordered_metadata", "parse_catalog", "physical_lines", "render_catalog"]

PAGE_WIDTH = 79  # gettext's default --width
# The keys xgettext and msginit put in a new header entry, in their order; others follow.
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
_DIGIT_RUNS = re.compile("([0-9]+)")
# The characters gettext writes as escapes, and how.
_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}
_SPECIAL = re.compile('[\a\b\f\n\r\t\v\\\\"]')
# The languages of gettext 0.21's format flags, in the order msgcat writes them.
_FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)  # fmt: skip
_NO_WRAP = 10**9  # what "no-wrap" makes of the width: more than any line
_PREVIOUS_FIELDS = (
    ("previous_msgctxt", "msgctxt"),
    ("previous_msgid", "msgid"),
    ("previous_msgid_plural", "msgid_plural"),
)
# Characters a reference cannot hold as they are: gettext, polib and Translate Toolkit
# split references at white space, so a path with any is written encoded as Translate
# Toolkit encodes it (urllib's quote_plus), with "%" and "+" encoded too.
_REFERENCE_UNSAFE = re.compile(r"[\s%+]")


def render_catalog(po: Catalog, *, width: int = PAGE_WIDTH, remember: bool = True) -> str:
    """The text of a PO or POT file as ``msgcat --width=WIDTH`` writes it: header entry
    (with the header comment), entries, then obsolete entries.

    Its entries' text is remembered for the next catalog that has them, unless
    ``remember`` is false: for a catalog whose entries no other rendering will have (a new
    article's template).
    """
    lines: list[str] = []
    _render_comment(lines, po.header, "#")
    msgstr = "".join(f"{name}: {value}\n" for name, value in po.metadata.items())
    if po.metadata_is_fuzzy and msgstr:  # as on any entry, only with a translation
        lines.append("#, fuzzy")
    _render_field(lines, "", "msgid", "", width)
    _render_field(lines, "", "msgstr", msgstr, width)
    parts = ["\n".join(lines)]
    obsolete = []
    text_of = _entry_text if remember else _entry_text_once
    for entry in po.entries:
        if entry.obsolete:
            obsolete.append(entry)
        else:
            parts.append(text_of(entry, width))
    # gettext keeps no obsolete entry without a translation.
    parts.extend(text_of(entry, width) for entry in obsolete if _first_msgstr(entry))
    return "\n\n".join(parts) + "\n"


def ordered_metadata(metadata: dict[str, str]) -> dict[str, str]:
    """Header fields in the order xgettext and msginit write them, the others after them in
    natural order."""
    rest = dict(metadata)
    ordered = {name: rest.pop(name) for name in _METADATA_ORDER if name in rest}
    ordered.update((name, rest[name]) for name in sorted(rest, key=_natural_key))
    return ordered


def _natural_key(name: str) -> list[int | str]:
    # Digit runs compare as numbers, the rest case-insensitively.
    return [int(part) if part.isdigit() else part.lower() for part in _DIGIT_RUNS.split(name)]


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
        text = _entry_text_once(entry, width)
        if len(_RENDERED) >= _RENDERED_LIMIT:
            _RENDERED.clear()
        _RENDERED[key] = text
    return text


def _entry_text_once(entry: Entry, width: int) -> str:
    """The lines of one entry, joined, not remembered."""
    lines: list[str] = []
    _render_entry(lines, entry, width)
    return "\n".join(lines)


def _first_msgstr(entry: Entry) -> str:
    """The msgstr, or the first plural form's: gettext's test of "translated"."""
    if entry.msgid_plural and entry.msgstr_plural:
        return entry.msgstr_plural.get(min(entry.msgstr_plural), "")
    return entry.msgstr


def entry_flags(entry: Entry) -> list[str]:
    """The flags in the order gettext writes them: ``fuzzy`` (only on a translated entry),
    the format flags in gettext's order of languages, ``range:``, ``no-wrap``; then any
    others, which gettext itself would drop."""
    fuzzy = entry.fuzzy and bool(_first_msgstr(entry))
    rest = sorted((flag for flag in dict.fromkeys(entry.flags) if flag != "fuzzy"), key=_flag_rank)
    return ["fuzzy", *rest] if fuzzy else rest


def _flag_rank(flag: str) -> int:
    """Where gettext 0.21 writes a flag after ``fuzzy``; unknown flags last, as they are."""
    if flag.endswith("-format"):
        language = flag.removesuffix("-format").removeprefix("no-").removeprefix("possible-")
        if language in _FORMAT_LANGUAGES:
            return _FORMAT_LANGUAGES.index(language)
    if flag.startswith("range:"):
        return len(_FORMAT_LANGUAGES)
    if flag == "no-wrap":
        return len(_FORMAT_LANGUAGES) + 1
    return len(_FORMAT_LANGUAGES) + 2


def _render_entry(lines: list[str], entry: Entry, width: int) -> None:
    """One entry, as gettext's ``message_print`` (or ``message_print_obsolete``) lays it out."""
    obsolete = entry.obsolete
    if entry.tcomment:
        _render_comment(lines, entry.tcomment, "#")
    if entry.comment:
        _render_comment(lines, entry.comment, "#.")
    if entry.occurrences:
        _render_references(lines, entry.occurrences, width)
    if entry.flags:  # most template entries have none
        # gettext keeps no flag but fuzzy on an obsolete entry.
        flags = (["fuzzy"] if entry.fuzzy else []) if obsolete else entry_flags(entry)
        if flags:
            lines.append("#, " + ", ".join(flags))
        if "no-wrap" in flags:
            width = _NO_WRAP
    if (
        entry.previous_msgid is not None
        or entry.previous_msgctxt is not None
        or entry.previous_msgid_plural is not None
    ):
        previous = "#~| " if obsolete else "#| "
        for attribute, keyword in _PREVIOUS_FIELDS:
            value = getattr(entry, attribute)
            if value is not None:
                _render_field(lines, previous, keyword, value, width)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        _render_field(lines, prefix, "msgctxt", entry.msgctxt, width)
    _render_field(lines, prefix, "msgid", entry.msgid, width)
    if entry.msgid_plural:
        _render_field(lines, prefix, "msgid_plural", entry.msgid_plural, width)
    plurals = entry.msgstr_plural
    if entry.msgid_plural and plurals:
        for index in sorted(plurals):
            _render_field(lines, prefix, f"msgstr[{index}]", plurals[index], width)
    else:
        _render_field(lines, prefix, "msgstr", entry.msgstr, width)


# Fields rendered lately: a msgid is wrapped once for its template and every catalog, and
# again when a catalog read back is compared with its update.  Bounded like _RENDERED.
_FIELDS: dict[tuple[str, str, str, int], tuple[str, ...]] = {}


def _render_field(lines: list[str], prefix: str, keyword: str, text: str, width: int) -> None:
    """A keyword and its quoted string, as gettext's ``wrap`` cuts it into lines.

    The string is cut after each newline into portions; a portion that does not fit is
    broken where libunistring allows, and never inside an escape or right before a final
    ``\\n``.  A string of several portions, or one that is broken, starts with an empty
    ``""`` on the keyword's line.
    """
    if (
        len(prefix) + len(keyword) + len(text) + 3 <= width  # fits, with the quotes
        and text.isascii()
        and text.isprintable()  # so one column a character, and no escape but these:
        and '"' not in text
        and "\\" not in text
    ):
        lines.append(f'{prefix}{keyword} "{text}"')
        return
    key = (prefix, keyword, text, width)
    found = _FIELDS.get(key)
    if found is None:
        found = tuple(_field_lines(prefix, keyword, text, width))
        if len(_FIELDS) >= _RENDERED_LIMIT:
            _FIELDS.clear()
        _FIELDS[key] = found
    lines.extend(found)


def _field_lines(prefix: str, keyword: str, text: str, width: int) -> list[str]:
    """The lines of :func:`_render_field`, computed."""
    room = width - 2 - len(prefix)  # after a continuation line's quotes
    if "\n" in text and text.isascii() and '"' not in text and "\\" not in text:
        whole = _whole_portions(text, room)
        if whole is not None:
            return [f'{prefix}{keyword} ""', *(f'{prefix}"{portion}"' for portion in whole)]
    return _wrapped_lines(prefix, keyword, text, width)


def _whole_portions(text: str, room: int) -> list[str] | None:
    """The escaped portions of a string of several, when each is printable ASCII but for
    its newline and fits on a line: then none is broken, and each stands on a line of its
    own after an empty ``""`` (every header entry, most multi-line msgids).  None otherwise.
    """
    *bodies, last = text.split("\n")
    escaped = [body + "\\n" for body in bodies]
    if last:
        escaped.append(last)
    if len(escaped) < 2:  # one portion: it may fit on the keyword's line
        return None
    for portion in escaped:
        if len(portion) > room or not portion.isprintable():
            return None
    return escaped


def _wrapped_lines(prefix: str, keyword: str, text: str, width: int) -> list[str]:
    """The lines of :func:`_render_field` for any string: cut into portions, each broken
    where libunistring breaks it."""
    lines: list[str] = []
    after_break = len(prefix) + 1  # the column after a continuation line's opening quote
    room = width - 1 - after_break  # the closing quote takes one column
    first_start = len(prefix) + len(keyword) + 2 - after_break
    portions = _newline_portions(text) if "\n" in text else [text]
    first = True
    for number, portion in enumerate(portions):
        escaped = _escape(portion)
        breaks = _breaks(portion, escaped, room, 0)
        # On the keyword's line, the string starts further right than on a line of its
        # own; libunistring's fill breaks a string at least as soon as it starts further
        # right, so one that breaks from the line's start breaks there too, and only one
        # that does not needs the second look.
        if (
            first
            and escaped
            and (
                number < len(portions) - 1
                or first_start > room
                or breaks
                or _breaks(portion, escaped, room, first_start)
            )
        ):
            lines.append(f'{prefix}{keyword} ""')
            first = False
        lead = f"{prefix}{keyword} " if first else prefix
        first = False
        if not breaks:
            lines.append(f'{lead}"{escaped}"')
            continue
        cuts = [0, *breaks, len(escaped)]
        lines.append(f'{lead}"{escaped[cuts[0] : cuts[1]]}"')
        lines.extend(f'{prefix}"{escaped[a:b]}"' for a, b in pairwise(cuts[1:]))
    return lines


def _newline_portions(text: str) -> list[str]:
    """``text`` cut after each ``\\n``, as gettext cuts it (and at nothing else)."""
    portions = [line + "\n" for line in text.split("\n")]
    last = portions.pop()[:-1]
    if last:
        portions.append(last)
    return portions


def _breaks(portion: str, escaped: str, room: int, start: int) -> list[int]:
    """Where gettext starts a new line inside an escaped portion, in increasing order."""
    if escaped.isascii() and escaped.isprintable() and start + len(escaped) <= room:
        return []  # it fits whole, and libunistring breaks only what does not fit
    prohibited = []
    if len(escaped) != len(portion):
        index = 0
        for char in portion:
            if char in _ESCAPES:
                prohibited.append(index + 1)  # never inside an escape
                index += 2
            else:
                index += 1
    if portion.endswith("\n"):
        prohibited.append(len(escaped) - 2)  # nor right before the "\\n" that ends it
    return width_breaks(escaped, room, start, prohibited)


def _escape(text: str) -> str:
    # Most strings hold nothing to escape, and one scan for that is cheaper than replacing.
    if _SPECIAL.search(text) is None:
        return text
    return _SPECIAL.sub(lambda match: _ESCAPES[match.group()], text)


def _render_comment(lines: list[str], comment: str | None, marker: str) -> None:
    """A translator (``#``) or extracted (``#.``) comment, one line per line of it; gettext
    never wraps them.  Empty lines before the first text are left out: no reader keeps
    them."""
    comment = comment.lstrip("\n") if comment else comment
    if not comment:
        return
    lines.extend(f"{marker} {line}" if line else marker for line in comment.split("\n"))


def _render_references(
    lines: list[str], occurrences: Sequence[tuple[str, str]], width: int
) -> None:
    """The ``#:`` references, as many on a line as fit in the width (counted in bytes, as
    gettext counts them); a reference longer than a line stands alone, and one that
    repeats an earlier one is left out, as gettext reads it."""
    if len(occurrences) == 1:  # most entries: one place in one article
        lines.append(f"#: {_reference(*occurrences[0])}")
        return
    line, column = "#:", 2
    for reference in dict.fromkeys(_reference(path, number) for path, number in occurrences):
        size = len(reference.encode("utf-8")) + 1
        if column > 2 and column + size > width:
            lines.append(line)
            line, column = "#:", 2
        line += " " + reference
        column += size
    lines.append(line)


def _reference(path: str, number: str) -> str:
    """One reference as a ``#:`` line writes it: the path, and ``:line`` if it has one."""
    return reference_text(path) + (f":{number}" if number else "")


def reference_text(path: str) -> str:
    """A path as a reference writes it: without a leading ``./`` (gettext drops it), and
    when it holds white space, ``%`` or ``+``, those encoded as Translate Toolkit (and so
    Weblate) encodes and decodes references, a space as ``+``.  gettext, polib and babel
    read that as one path, where gettext 0.20's U+2068/U+2069 brackets around a path with
    spaces make two of it in polib and Translate Toolkit.

    >>> reference_text("./articles/nl/mijn stuk.md"), reference_text("a+b 100%.md")
    ('articles/nl/mijn+stuk.md', 'a%2Bb+100%25.md')
    """
    while path.startswith("./"):
        path = path[2:]
    if _REFERENCE_UNSAFE.search(path) is None:
        return path
    return _REFERENCE_UNSAFE.sub(lambda match: quote_plus(match.group()), path)


def reference_path(text: str) -> str:
    """The path a reference names, from either form: encoded or between gettext's U+2068
    and U+2069.

    >>> reference_path("articles/nl/mijn+stuk%25.md"), reference_path("\u2068a b.md\u2069")
    ('articles/nl/mijn stuk%.md', 'a b.md')
    """
    if text.startswith("\u2068") and text.endswith("\u2069"):
        return text[1:-1]
    return unquote_plus(text) if "%" in text or "+" in text else text


# Reading

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPES = {
    "a": "\a",
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
# A reference: up to white space, unless it starts with gettext's U+2068 bracket (rare:
# compiled by re on first use).
_REFERENCE = "\u2068[^\u2069]*\u2069\\S*|\\S+"
_CONTEXT_SEPARATOR = "\x04"  # joins msgctxt and msgid in MO files, so msgfmt refuses it


def parse_catalog(text: str, *, path: str, source_comments: bool = True) -> Catalog:
    """Parse the text of a PO or POT file into the catalog ``polib.pofile`` would read.

    One pass both builds the entries and refuses, with the file and line, what ``msgfmt``
    refuses but polib reads silently or wrongly: an unterminated string, a value without
    quotes, a ``msgid`` without ``msgstr``, keywords out of order, an escape polib would
    alter, U+0004, and a duplicate entry.  Lines may end in LF, CRLF or CR.

    With ``source_comments`` false the extracted comments (``#.``) and references (``#:``)
    are left out: extract makes both from the source, and a reader that only publishes
    translations (build) never looks at them.  Everything else, line numbers and errors
    included, is read as it is with them.
    """
    text = text.removeprefix("\ufeff")
    parser = _Parser(path, source_comments=source_comments)
    position, first = _read_common_entries(text, parser)
    feed = parser.feed
    for number, line in enumerate(_split_lines(text[position:]), start=first):
        if stripped := line.strip():  # blank lines separate entries, and say nothing
            feed(number, stripped)
    return parser.finish()


# Most entries, a whole entry at a time: comments, then msgctxt, msgid and msgstr, each
# keyword at the start of its line followed by one space and its strings, one string to a
# line, with only the escapes gettext writes.  From the first entry that has any other
# form (an obsolete entry, previous strings, a plural, white space around a line) or an
# error, the state machine reads on, from the state these entries leave it in; a file
# with CR line endings is all its.  A hypothesis property holds the two ways to the same
# catalogs and errors, line numbers included.  250 catalogs as build reads them: 28 ms,
# where the state machine alone, with its call a line, took 35.
_QUOTED = r'"[^"\\\n]*(?:\\[abfnrtv\\"][^"\\\n]*)*"'
_STRINGS = rf"{_QUOTED}(?:\n{_QUOTED})*"
_ENTRY = re.compile(
    rf"(\n*)((?:#[ .:,][^\n]*\n)*)(?:msgctxt ({_STRINGS})\n)?"
    rf"msgid ({_STRINGS})\nmsgstr ({_STRINGS})(?:\n|\Z)"
)


def _read_common_entries(text: str, parser: _Parser) -> tuple[int, int]:
    """Read the entries of the common form at the start of ``text`` (no BOM) into
    ``parser``, as its :meth:`_Parser.feed` would; return where they end: the position
    in ``text`` and its line number."""
    if "\r" in text:
        return 0, 1
    entries = parser.po.entries
    skipped = () if parser.source_comments else (".", ":")
    seen: dict[tuple[str | None, str], int] = {}  # as the state machine's: the msgid line
    header = ""
    in_header = True  # as in the state machine: leading "# " lines are the header comment
    number = 1  # the line the next match starts on
    position = 0
    match_entry = _ENTRY.match
    while match := match_entry(text, position):
        blank, comments, msgctxt, msgid, msgstr = match.groups()
        at = number + len(blank)
        entry = Entry()
        if comments:
            for line in comments[:-1].split("\n"):
                # What _Parser.comment_line does with the same line, stripped as feed has it.
                line = line.rstrip()
                second = line[1:2]
                at += 1
                if second in (".", ":", ",") and not line[2:].strip():
                    continue
                if in_header:
                    in_header = second in ("", " ")
                    if in_header:
                        header += ("\n" if header else "") + line[2:]
                        continue
                entry.linenum = entry.linenum or at - 1
                if second not in skipped:
                    _add_comment(entry, line, second)
        if msgctxt is not None:
            entry.linenum = entry.linenum or at
            entry.msgctxt = _unquote(msgctxt)
            at += msgctxt.count("\n") + 1
        entry.linenum = entry.linenum or at
        entry.msgid = _unquote(msgid)
        entry.msgstr = _unquote(msgstr)
        if entry.key in seen or _CONTEXT_SEPARATOR in f"{entry.msgctxt}{entry.msgid}{entry.msgstr}":
            break  # the state machine reports it, with its line
        seen[entry.key] = at
        entries.append(entry)
        in_header = False
        number = at + msgid.count("\n") + msgstr.count("\n") + 2
        position = match.end()
    if entries:
        # The state the state machine would be in: the last entry read and not yet ended.
        parser.po.header = header
        parser.entry = entries.pop()
        parser.msgid_line = seen.pop(parser.entry.key)
        parser.seen = seen
        parser.state = "msgstr"
        parser.in_header = False
    return position, number


def _unquote(strings: str) -> str:
    """The value of a keyword's strings as ``_ENTRY`` found them: quoted, one to a line."""
    value = strings[1:-1].replace('"\n"', "") if "\n" in strings else strings[1:-1]
    return _ESCAPE.sub(_unescape, value) if "\\" in value else value


def _unescape(escape: re.Match[str]) -> str:
    return _UNESCAPES[escape.group(1)]


def physical_lines(text: str) -> list[str]:
    """Lines split the way polib splits a file (LF, CRLF or CR), without a leading BOM."""
    return _split_lines(text.removeprefix("\ufeff"))


def _split_lines(text: str) -> list[str]:
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

    def __init__(self, path: str, *, source_comments: bool = True) -> None:
        self.path = path
        self.source_comments = source_comments
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
                if line[:1] == "|" and line[1:].strip():
                    # An obsolete entry's previous msgid, as msgmerge keeps it (polib
                    # drops it).
                    self.comment_line(number, "#" + line, "|")
                    return
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
        if second == "|":
            self.previous_line(number, line[2:].strip())
        elif self.source_comments or second not in (".", ":"):
            _add_comment(self.entry, line, second)

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


def _references(text: str) -> Iterator[tuple[str, str]]:
    """The (path, line) references of a ``#:`` line; a path between U+2068 and U+2069 may
    hold spaces."""
    # Without gettext's bracket a reference ends at white space, where str.split cuts:
    # str.isspace and the pattern's \s agree on every character.
    for reference in re.findall(_REFERENCE, text) if "\u2068" in text else text.split():
        path, colon, number = reference.rpartition(":")
        if colon and number.isdigit():
            yield reference_path(path), number
        else:
            yield reference_path(reference), ""


def _add_comment(entry: Entry, line: str, second: str) -> None:
    """Add a stripped comment line to its field of ``entry``: extracted comment (``#.``),
    references (``#:``), flags (``#,``) or translator comment; ``second`` is its second
    character."""
    rest = line[2:]
    if second == ".":
        entry.comment = _add_line(entry.comment, rest[1:] if rest[:1] in " \t" else rest)
    elif second == ":":
        entry.occurrences.extend(_references(rest))
    elif second == ",":
        entry.flags.extend(flag.strip() for flag in rest.split(","))
    else:
        text = line.lstrip("#")
        entry.tcomment = _add_line(entry.tcomment, text[1:] if text[:1] == " " else text)


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
