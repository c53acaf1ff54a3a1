"""The segmentation cache: each Markdown, MDX and HTML article as it was last cut into
units, so that a later stage (``build`` after ``extract``, a re-run after a translator's
edit) reads the cut back rather than segmenting the source again.  Plain text is cut
again: keeping its cut costs more than it saves.

One file in the project (``.locpipe/segments.cache``, ignored by git), read once when a
stage starts and written once when it ends, a line an article: its name, its key, a
checksum, and its cut as JSON.  It is not flushed to disk: after a crash it may be old,
empty or cut short, which the checks below catch.  The cut holds the lengths of the
text, not the text: of each piece of layout and of each unit line's prefix, text, suffix
and line ending, with each unit's kind, line number, section heading, context and notes.
The source gives back the strings, so the layout and units read back always make up the
source, byte for byte.  A cut is used only when its key matches (the source's hash, the
article's path, the segmenting options, and the code that cut it: locpipe's version and
the size and time of each of its modules, Python's version, and the versions of the
Markdown and YAML parsers), its checksum matches, and its pieces add up to the source;
anything else is segmented again.  Like the run state, the file is locpipe's own: the
checks catch a damaged file, not one forged to pass them.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import sys
import zlib
from pathlib import Path

from . import __version__
from .fileio import read_bytes, write_atomic
from .model import Article, Escape, Line, Unit, UnitKind
from .segment import SegmentOptions

FORMAT = 3  # of the file; part of the key, so a file of another format never matches


# Keeping a plain-text article's cut costs more than it saves: the 250 plain-text articles
# of the 500-article benchmark took 49 ms to segment and 27 ms to read back, but 12 ms to
# write the cuts, and with the file's input and output extract and build together took
# longer with the cache than without (1.09 times as long, 15 pairs of runs).  Markdown
# took 255 ms to segment and 89 ms to read back.
_CUT_AGAIN = (".txt",)


def cache_key(reference: str, digest: str, options: SegmentOptions) -> str | None:
    """What a cut depends on, hashed; None where a cut is not worth keeping (plain text)
    or locpipe cannot tell its own code apart."""
    if reference.lower().endswith(_CUT_AGAIN):
        return None
    code = code_fingerprint()
    if code is None:
        return None
    parts = [
        FORMAT, __version__, sys.version, code, _parsers(), reference, digest,
        dataclasses.astuple(options),
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


@functools.cache
def _parsers() -> str:
    """The Markdown and YAML parsers' versions (and whether YAML's is libyaml): a new
    release may cut an article differently."""
    import markdown_it
    import mdit_py_plugins
    import yaml

    libyaml = getattr(yaml, "__with_libyaml__", False)
    return (
        f"markdown-it-py {markdown_it.__version__}; mdit-py-plugins "
        f"{mdit_py_plugins.__version__}; PyYAML {yaml.__version__} {libyaml}"
    )


def code_fingerprint() -> str | None:
    """The size and modification time of every module of locpipe and its segmenters, as
    Python's own bytecode cache tells source files apart; None where they are not files."""
    return folder_fingerprint(Path(__file__).parent)


@functools.cache
def folder_fingerprint(package: Path) -> str | None:
    """:func:`code_fingerprint` of the package in ``package``, once per process."""
    found = hashlib.sha256()
    modules = 0
    try:
        for folder in (package, package / "segment"):
            with os.scandir(folder) as entries:
                for entry in sorted(entries, key=lambda entry: entry.name):
                    if entry.name.endswith(".py"):
                        modules += 1
                        status = entry.stat()
                        found.update(
                            f"{folder.name}/{entry.name} {status.st_size} "
                            f"{status.st_mtime_ns}\n".encode()
                        )
    except OSError:  # run from an archive, or a frozen program
        return None
    return found.hexdigest() if modules else None  # compiled modules only: no telling


class SegmentCache:
    """The cuts of a project's articles: read when a stage starts, consulted by its work
    (in worker processes too, which inherit it), added to as articles are segmented, and
    written back when the stage ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # By article name: the key, the checksum and the cut (JSON, as bytes: a project's
        # cuts are held for the whole stage), parsed only when asked for.
        self._cuts: dict[str, tuple[str, str, bytes]] = {}
        self._changed = False

    @classmethod
    def read(cls, path: Path) -> SegmentCache:
        """The cache at ``path``; empty where it is missing or unreadable."""
        cache = cls(path)
        try:
            data = read_bytes(path)
        except OSError:
            return cache
        lines = data.split(b"\n")
        if lines.pop():  # the file does not end in a line break: cut short
            cache._changed = True
        for line in lines:
            fields = line.split(b"\t", 3)
            try:
                name, key, checksum = (field.decode("utf-8") for field in fields[:3])
                cache._cuts[name] = (key, checksum, fields[3])
            except (ValueError, IndexError):  # left out, and the file written without it
                cache._changed = True
        return cache

    def holds(self, name: str, key: str) -> bool:
        """Whether the cache has a cut of ``name`` under ``key`` (not yet checked)."""
        found = self._cuts.get(name)
        return found is not None and found[0] == key

    def article(self, *, name: str, key: str, text: str, path: str, bom: bool) -> Article | None:
        """The article cut as the cache holds it for ``name`` and ``key``, from ``text``."""
        found = self._cuts.get(name)
        if found is None or found[0] != key or found[1] != _checksum(found[2]):
            return None
        try:
            parts = _cut(json.loads(found[2]), text)
        except Exception:  # whatever a damaged cut raises (a parser, recursion): not used
            return None
        if parts is None:
            return None
        return Article(path=path, name=name, parts=parts, bom=bom)

    def add(self, name: str, key: str, cut: bytes) -> None:
        """Keep an article's cut (see :func:`encode`)."""
        kept = (key, _checksum(cut), cut)
        if self._cuts.get(name) != kept:
            self._cuts[name] = kept
            self._changed = True

    def save(self, names: set[str]) -> None:
        """Write the cuts of the articles ``names`` if anything changed."""
        for name in set(self._cuts) - names:
            del self._cuts[name]
            self._changed = True
        if not self._changed:
            return
        # Joined from the cuts themselves: one copy of them at a time, not three.
        data = b"".join(
            piece
            for name, (key, checksum, cut) in sorted(self._cuts.items())
            for piece in (f"{name}\t{key}\t{checksum}\t".encode(), cut, b"\n")
        )
        write_atomic(self.path, data, durable=False)  # which makes .locpipe/ if need be
        self._changed = False


def encode(article: Article) -> bytes:
    """An article's cut, as JSON on one line: the section headings its units name, then
    for each piece of layout its length, and for each unit its kind, line, section (by
    number), context, escape, line ending, whether it is Markdown, its notes, and five
    numbers a line (the lengths of its prefix, text, suffix and line ending, and 1 where
    it ends in a hard break)."""
    sections: dict[str | None, int | None] = {None: None}
    parts: list[object] = []
    for part in article.parts:
        if isinstance(part, str):
            parts.append(len(part))
            continue
        lengths: list[int] = []
        for line in part.lines:
            lengths += (len(line.prefix), len(line.text), len(line.suffix), len(line.eol))
            lengths.append(1 if line.hard_break else 0)
        section = sections.setdefault(part.section, len(sections) - 1)
        # The kind and the escape are strings (StrEnum): JSON writes their values.
        parts.append((
            part.kind, part.line, section, part.context, part.escape, part.newline,
            1 if part.markdown else 0, part.notes, lengths,
        ))  # fmt: skip
    headings = [section for section in sections if section is not None]
    # JSON escapes tabs and line breaks inside strings, so a cut stays on one line.
    return json.dumps([headings, parts], ensure_ascii=False, separators=(",", ":")).encode()


def _checksum(cut: bytes) -> str:
    """A damaged cut's tell: CRC-32 is enough against accident, and costs next to nothing."""
    return f"{zlib.crc32(cut):08x}"


def _cut(document: object, text: str) -> tuple[str | Unit, ...] | None:
    """``text`` cut as a cut's ``document`` says; None unless it cuts all of it, in order."""
    if not isinstance(document, list) or len(document) != 2:
        raise TypeError("not a cut")
    headings, pieces = document
    if not isinstance(headings, list) or not isinstance(pieces, list):
        raise TypeError("not a cut")
    sections = [_text(heading) for heading in headings]
    parts: list[str | Unit] = []
    at = 0
    for piece in pieces:
        if type(piece) is int:
            if piece < 0:
                return None
            parts.append(text[at : at + piece])
            at += piece
            continue
        if not isinstance(piece, list):
            raise TypeError("neither layout nor a unit")
        kind, number, section, context, escape, newline, markdown, notes, lengths = piece
        if not isinstance(notes, list) or not isinstance(lengths, list) or len(lengths) % 5:
            return None
        lines = []
        for index in range(0, len(lengths), 5):
            prefix, body, suffix, eol, hard = lengths[index : index + 5]
            if min(prefix, body, suffix, eol) < 0:
                return None
            a = at + prefix
            b = a + body
            c = b + suffix
            d = c + eol
            lines.append(Line(text[at:a], text[a:b], text[b:c], text[c:d], _flag(hard)))
            at = d
        parts.append(
            Unit(
                kind=_KINDS[kind],
                lines=tuple(lines),
                line=_number(number),
                section=None if section is None else sections[_index(section, sections)],
                context=_optional_text(context),
                escape=_ESCAPES[escape],
                newline=_text(newline),
                markdown=_flag(markdown),
                notes=tuple(map(_text, notes)),
            )
        )
    # No piece is longer than what is left, or the next would start past the end; so
    # pieces that add up to the source's length, none of them negative, are the source.
    return tuple(parts) if at == len(text) else None


_KINDS = {kind.value: kind for kind in UnitKind}
_ESCAPES = {escape.value: escape for escape in Escape}


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _number(value: object) -> int:
    if type(value) is not int:
        raise TypeError("not a number")
    return value


def _index(value: object, items: list[str]) -> int:
    if type(value) is not int or not 0 <= value < len(items):
        raise TypeError("not an index")
    return value


def _flag(value: object) -> bool:
    if value != 0 and value != 1:
        raise TypeError("not a flag")
    return bool(value)
