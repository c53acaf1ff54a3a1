"""Where GNU gettext may break a line inside a PO string: libunistring's line breaking.

msgcat, msgmerge and xgettext wrap strings with libunistring's ``ulc_width_linebreaks``:
the break opportunities of Unicode's line-breaking algorithm (UAX #14, as libunistring
implements it: a table of character pairs, with spaces, combining marks and zero-width
spaces handled apart), then a greedy fill that measures characters in columns (wide CJK
characters take two, combining marks none).  This module does the same, from the frozen
tables in :mod:`locpipe.linebreak_table`, which scripts/linebreak-table.py asks of the
installed libunistring.
"""

from __future__ import annotations

import re
import sys
import threading
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any

__all__ = ["POSSIBLE", "PROHIBITED", "possible_breaks", "table_width_breaks", "width_breaks"]

# libunistring's values, so that the table script can compare them with the library's.
UNDEFINED, PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2, 3
# Classes the pair table does not cover: the algorithm handles them itself.
SPECIAL = frozenset({"BK", "SP", "ZW", "CM", "ZWJ"})
_DIRECT, _INDIRECT = "D", "I"


class _Tables:
    """The frozen tables, unpacked into lookups on first use."""

    def __init__(
        self,
        classes: Sequence[str],
        pairs: Sequence[str],
        ranges: Sequence[tuple[int, int]],
        widths: Sequence[tuple[int, int]],
    ) -> None:
        self.names = tuple(classes)
        number = {name: index for index, name in enumerate(classes)}
        self.bk, self.sp, self.zw, self.cm, self.zwj = (
            number[name] for name in ("BK", "SP", "ZW", "CM", "ZWJ")
        )
        self.al = number["AL"]
        # Which characters the algorithm must look at: all but a letter right after a
        # letter, which changes nothing when letters may break only at a space.
        # Spaces between two letters are one step: the second letter may start a line (the
        # pair rule after a space) and the state is again that of a letter.
        letter, space = re.escape(bytes([self.al])), re.escape(bytes([self.sp]))
        self.visited = re.compile(
            b"(?P<word>(?<=%s)%s+%s)|[^%s]|(?<!%s)%s"
            % (letter, space, letter, letter, letter, letter)
            if pairs[self.al][self.al] != _DIRECT
            else b"(?s:.)"
        )
        self.word_break = pairs[self.al][self.al] == _INDIRECT
        self.ri = number.get("RI", -1)
        self.pairs = tuple(pairs)
        self.range_starts = [start for start, _ in ranges]
        self.range_classes = [value for _, value in ranges]
        self.width_starts = [start for start, _ in widths]
        self.width_values = [value for _, value in widths]
        self.line_class = _Lookup(self.range_starts, self.range_classes)
        # The columns a character adds to a line (uc_width), a control character none.
        self.columns = _Lookup(self.width_starts, [max(value, 0) for value in self.width_values])


class _Lookup(dict[str, int]):
    """A character's value in a table of ranges, remembered once looked up, so that a whole
    string maps through ``map(lookup.__getitem__, text)`` at C speed."""

    def __init__(self, starts: list[int], values: list[int]) -> None:
        super().__init__()
        self.starts, self.range_values = starts, values

    def __missing__(self, char: str) -> int:
        value = self[char] = self.range_values[bisect_right(self.starts, ord(char)) - 1]
        return value


_tables: _Tables | None = None


def _parse(table: str) -> list[tuple[int, int]]:
    """The "start:value" tokens of a frozen table, start in hex."""
    pairs = (token.split(":") for token in table.split())
    return [(int(start, 16), int(value)) for start, value in pairs]


def _loaded() -> _Tables:
    global _tables
    if _tables is None:
        from . import linebreak_table as t

        _tables = _Tables(t.CLASSES, t.PAIRS, _parse(t.RANGES), _parse(t.WIDTHS))
    return _tables


def install(
    classes: Sequence[str],
    pairs: Sequence[str],
    ranges: Sequence[tuple[int, str]],
    widths: Sequence[tuple[int, int]],
) -> None:
    """Use these tables instead of the frozen ones (for the script that writes them)."""
    global _tables
    number = {name: index for index, name in enumerate(classes)}
    _tables = _Tables(classes, pairs, [(start, number[name]) for start, name in ranges], widths)
    _opportunities.cache_clear()


def possible_breaks(text: str) -> list[int]:
    """libunistring's ``u8_possible_linebreaks``, one value per character: whether a line
    may (or must) break before it."""
    breaks = [PROHIBITED] * len(text)
    for index, value in _opportunities(text):
        breaks[index] = value
    return breaks


@lru_cache(maxsize=16)  # gettext tries a string at two start columns; classify it once
def _opportunities(text: str) -> tuple[tuple[int, int], ...]:
    """The characters a line may (or must) break before, with the value, in order.

    Only characters that can change the algorithm's state are visited: a letter right after
    a letter can neither be a break opportunity (the pair table prohibits it) nor change
    anything the next character looks at, and in prose most characters are such letters.
    """
    tables = _loaded()
    pairs, word_break = tables.pairs, tables.word_break
    bk, sp, zw, cm, zwj, ri, al = (
        tables.bk,
        tables.sp,
        tables.zw,
        tables.cm,
        tables.zwj,
        tables.ri,
        tables.al,
    )
    classes = bytes(map(tables.line_class.__getitem__, text))
    found: list[tuple[int, int]] = []
    last = bk  # the class of the last character that was not a space
    seen_space = False  # whether spaces came after it
    after_zwj = False  # whether it was a zero-width joiner, right before
    ri_run = 0  # regional indicators in a row, up to this one
    for match in tables.visited.finditer(classes):
        if match.lastgroup == "word":
            if word_break:
                found.append((match.end() - 1, POSSIBLE))
            last, seen_space, after_zwj, ri_run = al, False, False, 0
            continue
        index = match.start()
        prop = classes[index]
        if prop == bk:
            found.append((index, MANDATORY))
            last, seen_space, after_zwj = bk, False, False
            continue
        if prop == sp:
            seen_space = True
            continue
        if prop == zw:
            last, seen_space, after_zwj = zw, False, False
            continue
        if prop in (cm, zwj):
            if last != bk and last != zw and not seen_space:
                # A combining mark takes the class of the character it combines with.
                after_zwj = prop == zwj
                continue
            prop = al  # alone (at the start, after a space), it counts as a letter
            # and, after a space, libunistring lets a line start with it whatever came
            # before (even an opening bracket, which forbids a break before a letter).
            if seen_space and last != bk:
                found.append((index, POSSIBLE))
                last, seen_space, after_zwj, ri_run = al, False, False, 0
                continue
        if last == zw:
            found.append((index, POSSIBLE))
        elif last != bk and not (after_zwj and not seen_space):
            rule = pairs[last][prop]
            if rule == _DIRECT or (rule == _INDIRECT and seen_space):
                found.append((index, POSSIBLE))
            elif prop == ri and last == ri and not seen_space and ri_run % 2 == 0:
                found.append((index, POSSIBLE))  # a flag is a pair of regional indicators
        ri_run = ri_run + 1 if prop == ri and last == ri and not seen_space else int(prop == ri)
        last, seen_space, after_zwj = prop, False, False
    return tuple(found)


def width_breaks(
    text: str, width: int, start_column: int, prohibited: Iterable[int] = ()
) -> list[int]:
    """libunistring's ``u32_width_linebreaks``: where a new line starts in ``text`` (indexes
    of characters, increasing) so that its lines fit in ``width`` columns, the first
    starting at ``start_column``; never before the characters at ``prohibited``.

    Where the installed libunistring is the version the frozen table was read from, it is
    asked itself (the same answer, many times faster); elsewhere the table answers, so
    every machine writes the same files.
    """
    native = _native()
    try:
        # One code point in four bytes: libunistring's breaks then fall at the indexes of
        # characters, with no counting of UTF-8 bytes back into characters.
        data = text.encode(_UTF32)
    except UnicodeEncodeError:  # a lone surrogate: no PO file holds one, but never crash
        native = None
    if native is None:
        return table_width_breaks(text, width, start_column, prohibited)
    size = len(text)
    overrides = None
    if prohibited:
        forced = bytearray(size)  # UNDEFINED: no override
        for index in prohibited:
            forced[index] = PROHIBITED
        overrides = bytes(forced)
    out = _out_buffer(size)
    native(data, size, width, start_column, 0, overrides, b"UTF-8", out.array)
    chosen = out.bytes
    # A few breaks a string: found in C.
    found: list[int] = []
    offset = chosen.find(POSSIBLE, 0, size)
    while offset >= 0:
        found.append(offset)
        offset = chosen.find(POSSIBLE, offset + 1, size)
    return found


class _OutBuffer:
    """Where libunistring writes its breaks: one buffer, seen as bytes and by ctypes.

    Allocating a ctypes buffer for each string cost more than the line breaking itself.
    Each thread has its own: the library runs without the GIL.
    """

    def __init__(self, size: int) -> None:
        import ctypes  # loaded by _native, which ran first

        self.bytes = bytearray(size)
        self.array = (ctypes.c_char * size).from_buffer(self.bytes)


_OUT = threading.local()


def _out_buffer(size: int) -> _OutBuffer:
    """This thread's buffer, grown to hold at least ``size`` bytes."""
    out: _OutBuffer | None = getattr(_OUT, "buffer", None)
    if out is None or len(out.bytes) < size:
        out = _OUT.buffer = _OutBuffer(max(size, 4096))
    return out


_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"  # as uint32_t holds it


@cache
def _native() -> Any:
    """libunistring's ``u32_width_linebreaks``, or None where it is missing or another
    version than the table's (its Unicode data, so its breaks, may differ).

    The UTF-32 form, not ``u8_``: the same breaks (the tests hold both to the table), at
    indexes of characters rather than of bytes."""
    import ctypes  # here: a stage that wraps no string (build) never loads it

    from . import linebreak_table

    try:
        library = ctypes.CDLL("libunistring.so.2")
        version = ctypes.c_int.in_dll(library, "_libunistring_version").value
        function = library.u32_width_linebreaks
    except (OSError, ValueError, AttributeError):
        return None
    if version != linebreak_table.LIBUNISTRING:
        return None
    function.argtypes = [
        ctypes.c_char_p,  # the text, one uint32_t a character
        ctypes.c_size_t,  # its length in characters
        ctypes.c_int,  # width
        ctypes.c_int,  # start column
        ctypes.c_int,  # columns taken at the end
        ctypes.c_char_p,  # overrides, one a byte, or NULL
        ctypes.c_char_p,  # encoding
        ctypes.c_char_p,  # out: one value a byte
    ]
    function.restype = ctypes.c_int
    return function


def table_width_breaks(
    text: str, width: int, start_column: int, prohibited: Iterable[int] = ()
) -> list[int]:
    """:func:`width_breaks` from the frozen table, in Python.

    libunistring walks every character; only the break opportunities change its state, so
    this walks those and measures the text between them by a running sum of widths.
    """
    refused = set(prohibited)
    if text.isascii() and text.isprintable():
        columns: Sequence[int] = range(len(text) + 1)  # one column a character
    else:
        columns = [0, *accumulate(map(_loaded().columns.__getitem__, text))]
    found: list[int] = []
    last_break = -1
    last_column, piece_start = start_column, 0
    for index, value in _opportunities(text):
        if index in refused:
            continue
        if last_break >= 0 and last_column + columns[index] - columns[piece_start] > width:
            found.append(last_break)  # the piece before this break is past the width
            last_column = 0
        if value == MANDATORY:
            last_break, last_column, piece_start = -1, 0, index + 1
        else:
            last_column += columns[index] - columns[piece_start]
            last_break, piece_start = index, index
    if last_break >= 0 and last_column + columns[len(text)] - columns[piece_start] > width:
        found.append(last_break)
    return found
