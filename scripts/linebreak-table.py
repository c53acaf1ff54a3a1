"""Write src/locpipe/linebreak_table.py: the line-breaking classes and character widths that
GNU gettext's PO writer (through libunistring) uses to wrap strings.

Run it only to change the table on purpose (see "PO conventions" in the README).  The
classes come from the Unicode Character Database of the installed Perl (``Unicode::UCD``,
Line_Break); the rest is asked of the installed libunistring itself, the library msgcat
wraps with: every character's column width (``uc_width``), and for every pair of classes
whether a line may break between them, directly or only after a space
(``u8_possible_linebreaks`` on one character of each).  Then every code point is checked
against libunistring in a few contexts, and a code point whose class disagrees is given the
class that agrees; the script fails if none does.

    .venv/bin/python scripts/linebreak-table.py > src/locpipe/linebreak_table.py
    .venv/bin/ruff format src/locpipe/linebreak_table.py
"""

from __future__ import annotations

import ctypes
import subprocess
import sys
import unicodedata

LIBRARY = "libunistring.so.2"
# Classes libunistring folds into others before looking a pair up (UAX #14, LB1 and its own
# choices): ambiguous and unknown as alphabetic, complex-context scripts too, conditional
# Japanese starters as non-starters, line feeds of every kind as mandatory breaks.
FOLDED = {
    "AI": "AL",
    "XX": "AL",
    "SA": "AL",
    "SG": "AL",
    "CJ": "NS",
    "CB": "ID",
    "LF": "BK",
    "CR": "BK",
    "NL": "BK",
}
PROHIBITED, POSSIBLE, MANDATORY = 1, 2, 3
# Classes libunistring tells apart although Line_Break does not, by one of their characters:
# opening punctuation of East Asian width, before which a letter or digit does not hold on
# (UAX #14, LB30).
EXTRA = {"OPW": "\u3008"}


def ucd_classes() -> list[tuple[int, str]]:
    """(first code point, Line_Break class) ranges from Perl's Unicode::UCD."""
    script = (
        'use Unicode::UCD qw(prop_invmap); my ($l, $m) = prop_invmap("Line_Break");'
        'for my $i (0 .. $#$l) { print "$$l[$i] $$m[$i]\\n" }'
    )
    output = subprocess.run(["perl", "-e", script], capture_output=True, text=True, check=True)
    ranges = []
    for line in output.stdout.splitlines():
        start, name = line.split()
        short = {"Unknown": "XX"}.get(name, name)
        ranges.append((int(start), FOLDED.get(short, short)))
    return ranges


class Libunistring:
    """The two functions of the installed libunistring this script asks."""

    def __init__(self) -> None:
        self.lib = ctypes.CDLL(LIBRARY)
        self.lib.u8_possible_linebreaks.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_char_p,
            ctypes.c_char_p,
        ]
        self.lib.uc_width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
        self.lib.uc_width.restype = ctypes.c_int
        self.version = ctypes.c_int.in_dll(self.lib, "_libunistring_version").value

    def breaks(self, text: str) -> list[int]:
        """libunistring's break value before each character of ``text``."""
        data = text.encode("utf-8", "surrogatepass")
        out = ctypes.create_string_buffer(len(data))
        self.lib.u8_possible_linebreaks(data, len(data), b"UTF-8", out)
        values, offset = [], 0
        for char in text:
            values.append(out.raw[offset])
            offset += len(char.encode("utf-8", "surrogatepass"))
        return values

    def width(self, code: int) -> int:
        return int(self.lib.uc_width(code, b"UTF-8"))


def merge(values: list[tuple[int, str]]) -> list[tuple[int, str]]:
    merged: list[tuple[int, str]] = []
    for start, value in values:
        if not merged or merged[-1][1] != value:
            merged.append((start, value))
    return merged


def main() -> int:
    lib = Libunistring()
    sys.path.insert(0, "src")
    from locpipe import linebreak  # the algorithm the table feeds, checked against the library

    ranges = merge(ucd_classes())
    classes = sorted(
        {name for _, name in ranges} | {"BK", "SP", "ZW", "CM", "ZWJ", "ID", "AL"} | set(EXTRA)
    )
    representative = dict(EXTRA)
    for (start, name), nxt in zip(ranges, [*ranges[1:], (0x110000, "")], strict=True):
        for code in range(start, nxt[0]):
            if 0xD800 <= code < 0xE000 or unicodedata.category(chr(code)) == "Cn":
                continue
            representative.setdefault(name, chr(code))
            break
    ordinary = [name for name in classes if name not in linebreak.SPECIAL]
    pairs = {}
    for before in ordinary:
        row = ""
        for after in ordinary:
            a, b = representative[before], representative[after]
            direct = lib.breaks(a + b)[1] == POSSIBLE
            spaced = lib.breaks(a + " " + b)[2] == POSSIBLE
            row += "D" if direct else "I" if spaced else "P"
        pairs[before] = row
    widths = merge([(code, lib.width(code)) for code in range(0x110000)])
    table = {
        "classes": ordinary + sorted(linebreak.SPECIAL),
        "ranges": ranges,
        "pairs": pairs,
        "widths": widths,
    }
    linebreak.install(table["classes"], [pairs[n] for n in ordinary], ranges, widths)
    # Every code point, between letters and after spaces, as libunistring breaks it.
    overrides = check_all(lib, linebreak, classes)
    if overrides is None:
        return 1
    if overrides:
        fixed = dict(ranges_to_points(ranges))
        fixed.update(overrides)
        table["ranges"] = merge(sorted(fixed.items()))
    emit(table, lib.version)
    return 0


def ranges_to_points(ranges):  # type: ignore[no-untyped-def]
    ends = [start for start, _ in ranges[1:]] + [0x110000]
    for (start, name), end in zip(ranges, ends, strict=True):
        yield from ((code, name) for code in range(start, end))


CONTEXTS = ("a{}a", "a {}a", "a{} a", "1{}1", "({})", "\u4e00{}\u4e00", '"{}"', "-{}-")


def check_all(lib, linebreak, classes):  # type: ignore[no-untyped-def]
    """Code point -> class for every code point the table gets wrong; None if unfixable."""
    wrong = {}
    failures = []
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        if all(
            linebreak.possible_breaks(c.format(char)) == lib.breaks(c.format(char))
            for c in CONTEXTS
        ):
            continue
        tables = linebreak._loaded()
        for name in classes:
            tables.line_class[char] = tables.names.index(name)
            linebreak._opportunities.cache_clear()  # it remembers the classes it saw
            if all(
                linebreak.possible_breaks(c.format(char)) == lib.breaks(c.format(char))
                for c in CONTEXTS
            ):
                wrong[code] = name
                break
        else:
            print(f"U+{code:04X}: no class breaks as libunistring does", file=sys.stderr)
            failures.append(code)
            if len(failures) > 40:
                return None
    return None if failures else wrong


def emit(table, version) -> None:  # type: ignore[no-untyped-def]
    major, minor = version >> 16, (version >> 8) & 0xFF
    print('"""Line-breaking classes and column widths of Unicode characters, as libunistring')
    print(f"{major}.{minor} (which GNU gettext wraps PO strings with) has them.")
    print()
    print('Written by scripts/linebreak-table.py; do not edit by hand.\n"""')
    print()
    print("# The _libunistring_version of the library the table was read from: linebreak.py")
    print("# calls that library itself where it is this very version, and this table elsewhere.")
    print(f"LIBUNISTRING = {version:#x}")
    print(f"CLASSES = {tuple(table['classes'])!r}")
    print("# Rows and columns in CLASSES order, ordinary classes only: D a direct break,")
    print("# I a break only after a space, P none.")
    print("PAIRS = (")
    for name in table["classes"]:
        if name in table["pairs"]:
            print(f"    {table['pairs'][name]!r},  # {name}")
    print(")")
    index = {name: number for number, name in enumerate(table["classes"])}
    emit_ranges(
        "RANGES",
        "class index",
        [f"{start:x}:{index[name]}" for start, name in table["ranges"]],
    )
    emit_ranges(
        "WIDTHS",
        "width (-1, 0, 1 or 2)",
        [f"{start:x}:{width}" for start, width in table["widths"]],
    )


def emit_ranges(name: str, what: str, tokens: list[str]) -> None:
    """One table of ranges, as a single string cut into lines."""
    print(f"# First code point (hex) and {what} of each range, one string.")
    print(f"{name} = (")
    for line in chunk(tokens):
        print(f"    {line!r}")
    print(")")


def chunk(tokens: list[str]) -> list[str]:
    lines, line = [], ""
    for token in tokens:
        if len(line) + len(token) + 1 > 86:
            lines.append(line)
            line = ""
        line += token + " "
    lines.append(line)
    return lines


if __name__ == "__main__":
    sys.exit(main())
