"""XLIFF 1.2 and 2.1 exchange: catalogs out to CAT tools, their translations merged back.

Agencies on Trados, memoQ, Phrase or Crowdin take XLIFF, not PO.  ``catalog_file`` turns
one catalog into an :class:`XliffFile` (one ``<file>``), ``generate_xliff`` makes a
document of such files and ``parse_xliff`` reads one back, doing no I/O; ``merge_file``
brings a file's translations into a catalog under the rules every other stage keeps: a
person's translation is never overwritten by machine output, by a fuzzy one, or by one
older than itself, and each refusal is reported.

Inline markup (code spans, links, raw HTML tags, URLs: what :mod:`locpipe.protect` masks
for engines, by the syntax of the article's format; and Markdown's emphasis) becomes XLIFF
inline codes, so a CAT tool protects it as it protects tags: in 1.2 ``<ph>``, or
``<bpt>``/``<ept>`` around a link's, a tag's or an emphasis's text, holding the markup; in
2.1 ``<ph>``, ``<sc>``/``<ec>`` whose ``dataRef`` points at ``<originalData>``.  Either way
the markup comes back byte for byte.

XLIFF comes from other tools, so it is parsed with defusedxml: entity declarations and
external references are refused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from xml.etree import ElementTree as ET

from . import __version__, catalog, provenance
from .errors import CatalogChanged, LocpipeError, XliffError
from .fileio import write_atomic
from .languages import find as find_language
from .model import EntryState
from .project import Project
from .protect import Markup, emphasis_spans, masked_spans, outside, paired_roles
from .results import Outcome, Status, exit_code_for, failed
from .runner import CatalogFile, catalog_files
from .safexml import line_of, parse_untrusted

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"  # 2.1 keeps the 2.0 core namespace
_XML = "{http://www.w3.org/XML/1998/namespace}"
VERSIONS = ("1.2", "2.1")
CONTEXT_TYPE = "x-gettext-msgctxt"
MACHINE_SUBSTATE = "locpipe:machine"
FUZZY_SUBSTATE = "locpipe:fuzzy"
EXPORTED_CATEGORY = "locpipe:exported"
# Where a unit records the entry it was exported from: 1.2's extradata, or an attribute
# of locpipe's own namespace on a 2.x unit.
EXPORTED_AS = "locpipe-exported-as:"
LOCPIPE_NS = "urn:x-locpipe:xliff"
LOCPIPE_PREFIX = "locpipe"
EXPORTED_AS_ATTRIBUTE = "exported-as"
_MINUTE = timedelta(minutes=1)
_CTYPES = {"link": "link", "strong": "bold", "em": "italic"}  # XLIFF 1.2's own names
_MACHINE_QUALIFIERS = frozenset({"mt-suggestion", "leveraged-mt"})
_PENDING_12 = frozenset({"new", "needs-translation"})
CODE_POINT = "x-locpipe-code-point"
# What XML 1.0 cannot hold, even as a character reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_XML_SPLIT = re.compile(f"({_NOT_XML.pattern})")


class Per(StrEnum):
    """How an export splits into files."""

    ARTICLE = "article"
    LANGUAGE = "language"


@dataclass(frozen=True, slots=True)
class XliffUnit:
    """One entry as a unit: its key, texts, state and notes (category, text)."""

    source: str
    target: str
    state: EntryState
    msgctxt: str | None = None
    notes: tuple[tuple[str, str], ...] = ()
    line: int = field(default=0, compare=False)  # in the file it was read from, else 0
    # What the catalog's entry was when exported (:func:`entry_version`), if the file
    # still says: an import compares it with the entry as it is now.
    exported_as: str | None = field(default=None, compare=False)
    # Of a unit a tool split into segments: (untranslated, all) when some have no target.
    untranslated: tuple[int, int] | None = field(default=None, compare=False)

    @property
    def key(self) -> catalog.Key:
        """The catalog entry this unit stands for: (msgctxt, msgid)."""
        return (self.msgctxt, self.source)

    @property
    def id(self) -> str:
        """A stable id, the same in every export of the entry, valid as an XML NMTOKEN."""
        key = f"{self.msgctxt or ''}\x04{self.source}".encode()
        return "u" + hashlib.sha256(key).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class XliffFile:
    """One article's catalog in one language: a ``<file>``."""

    original: str  # the article's name, as in locales/<lang>/<name>.po
    source_language: str
    target_language: str
    units: tuple[XliffUnit, ...]
    markup: Markup = "plain"  # the inline syntax of its texts
    exported: datetime | None = None  # when the catalog was exported, if known


@dataclass(frozen=True, slots=True)
class XliffDocument:
    """An XLIFF document: its version and its files."""

    version: str
    files: tuple[XliffFile, ...]


# Catalog -> units


def catalog_file(
    po: catalog.Catalog,
    *,
    article: str,
    source_language: str,
    target_language: str,
    markup: Markup,
    exported: datetime,
) -> XliffFile:
    """The units of a catalog's active entries, in file order (plural entries left out)."""
    units = tuple(
        _unit_from_entry(entry) for entry in po if not entry.obsolete and not entry.msgid_plural
    )
    return XliffFile(article, source_language, target_language, units, markup, exported)


def _unit_from_entry(entry: catalog.Entry) -> XliffUnit:
    state = catalog.entry_state(entry)
    # The #. comment: the unit's kind and section, then a line per glossary term that
    # occurs; a PO file wraps long lines, so any other line continues the one before.
    notes: list[tuple[str, str]] = []
    for line in (entry.comment or "").splitlines():
        if line.startswith("glossary: "):
            notes.append(("glossary", line.removeprefix("glossary: ")))
        elif notes:
            notes[-1] = (notes[-1][0], f"{notes[-1][1]} {line.strip()}")
        else:
            notes.append(("description", line))
    if entry.tcomment.strip():
        notes.append(("translator", entry.tcomment))
    target = entry.msgstr if state is not EntryState.UNTRANSLATED else ""
    return XliffUnit(
        entry.msgid,
        target,
        state,
        entry.msgctxt,
        tuple(notes),
        exported_as=entry_version(entry.msgstr, state),
    )


def entry_version(msgstr: str, state: EntryState) -> str:
    """A short hash of an entry's translation and state: a person's edit or review in any
    editor changes it, whatever the catalog's PO-Revision-Date says."""
    return provenance.fingerprint(f"{state}\x00{msgstr}")


# Inline codes


@dataclass(frozen=True, slots=True)
class Code:
    """A stretch of inline markup shown as an XLIFF code: standalone, or one end of a pair."""

    id: str
    data: str  # the Markdown or HTML it stands for
    role: str  # "ph", "open" or "close"
    kind: str  # the masked span's kind: "code", "link", "html", "url", ...
    start: str = ""  # of a "close": the id of its "open"


Piece = str | Code


def inline_pieces(text: str, *, markup: Markup, reuse: Sequence[Code] = ()) -> list[Piece]:
    """A text cut into plain text and codes.

    A code whose markup equals one in ``reuse`` (the source's codes, when cutting its
    translation) takes that one's id, so a CAT tool sees the same code on both sides.

    >>> [p if isinstance(p, str) else (p.role, p.data) for p in
    ...  inline_pieces("Zie `x` en [de site](https://x.nl).", markup="markdown")]
    ['Zie ', ('ph', '`x`'), ' en ', ('open', '['), 'de site', ('close', '](https://x.nl)'), '.']
    """
    spans = list(masked_spans(text, markup=markup))
    if markup == "markdown":  # emphasis is Markdown's alone; in HTML it is a tag
        emphasis = emphasis_spans(text)
        spans = sorted([*spans, *(e for e in emphasis if outside(spans, e.start, e.end))])
    roles = paired_roles(text, spans)
    ids = _CodeIds(reuse)
    pieces: list[Piece] = []
    opened: dict[int, str] = {}
    position = 0
    for index, span in enumerate(spans):
        if span.start > position:
            pieces.append(text[position : span.start])
        data = text[span.start : span.end]
        role, partner = roles[index]
        code_id = ids.take(data, role)
        start = opened.get(partner, "") if role == "close" else ""
        if role == "open":
            opened[index] = code_id
        kind = span.kind.removesuffix("_open").removesuffix("_close")
        pieces.append(Code(code_id, data, role, kind, start))
        position = span.end
    if position < len(text):
        pieces.append(text[position:])
    return pieces


class _CodeIds:
    """Code ids in order, reusing the source's for the same markup."""

    def __init__(self, reuse: Sequence[Code]) -> None:
        self._free = [(code.data, code.role, code.id) for code in reuse]
        self._used = {code.id for code in reuse}
        self._next = 1

    def take(self, data: str, role: str) -> str:
        for position, (free_data, free_role, code_id) in enumerate(self._free):
            if free_data == data and free_role == role:
                del self._free[position]
                return code_id
        while str(self._next) in self._used:
            self._next += 1
        self._used.add(str(self._next))
        return str(self._next)


# Units -> XML


def generate_xliff(document: XliffDocument) -> bytes:
    """An XLIFF document, UTF-8, indented; the same document always gives the same bytes."""
    if document.version not in VERSIONS:
        raise ValueError(f"XLIFF version {document.version!r}: locpipe writes 1.2 or 2.1")
    root = _xliff12(document) if document.version == "1.2" else _xliff21(document)
    _indent(root)
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data + b"\n"


def _xliff12(document: XliffDocument) -> ET.Element:
    # Written unqualified under a default xmlns: ElementTree's own default_namespace option
    # refuses attributes without a namespace, which XLIFF's all are.
    root = ET.Element("xliff", xmlns=XLIFF12, version="1.2")
    for xfile in document.files:
        attributes = {
            "original": xfile.original,
            "source-language": _bcp47(xfile.source_language),
            "target-language": _bcp47(xfile.target_language),
            "datatype": "po",
        }
        if xfile.exported is not None:
            attributes["date"] = _iso(xfile.exported)
        element = ET.SubElement(root, "file", attributes)
        header = ET.SubElement(element, "header")
        ET.SubElement(header, "tool", {"tool-id": "locpipe", "tool-name": "locpipe"}).set(
            "tool-version", __version__
        )
        body = ET.SubElement(element, "body")
        for unit in xfile.units:
            _unit12(body, unit, xfile.markup)
    return root


def _unit_element(parent: ET.Element, tag: str, unit: XliffUnit) -> ET.Element:
    """A unit's element: its id, and its whitespace kept (a hard break is a newline)."""
    element = ET.SubElement(parent, tag, id=unit.id)
    element.set(_XML + "space", "preserve")
    return element


def _unit12(body: ET.Element, unit: XliffUnit, markup: Markup) -> None:
    element = _unit_element(body, "trans-unit", unit)
    if unit.exported_as is not None:
        # XLIFF 1.2 keeps a tool's own data for a unit in extradata (its strict schema
        # refuses attributes of other namespaces there).
        element.set("extradata", f"{EXPORTED_AS}{unit.exported_as}")
    if unit.state is EntryState.TRANSLATED:
        element.set("approved", "yes")
    source_codes = _fill12(ET.SubElement(element, "source"), unit.source, markup, ())
    if unit.state is not EntryState.UNTRANSLATED:
        target = ET.SubElement(element, "target")
        if unit.state is EntryState.TRANSLATED:
            target.set("state", "final")
        else:
            target.set("state", "needs-review-translation")
            if unit.state is EntryState.MACHINE:
                target.set("state-qualifier", "mt-suggestion")
        _fill12(target, unit.target, markup, source_codes)
    if unit.msgctxt is not None:
        group = ET.SubElement(element, "context-group", purpose="information")
        context = ET.SubElement(group, "context", {"context-type": CONTEXT_TYPE})
        context.text = _readable(unit.msgctxt)
    for category, text in unit.notes:
        author = "translator" if category == "translator" else f"locpipe {category}"
        ET.SubElement(element, "note", {"from": author}).text = _readable(text)


def _fill12(element: ET.Element, text: str, markup: Markup, reuse: Sequence[Code]) -> list[Code]:
    """Write a text into a 1.2 ``<source>`` or ``<target>``; return its codes."""
    codes = []
    for piece in inline_pieces(text, markup=markup, reuse=reuse):
        if isinstance(piece, str):
            _append_text(element, piece, _char12)
            continue
        codes.append(piece)
        if piece.role == "open":
            child = ET.SubElement(element, "bpt", id=piece.id, rid=piece.id)
            child.set("ctype", _CTYPES.get(piece.kind, f"x-{piece.kind}"))
        elif piece.role == "close":
            child = ET.SubElement(element, "ept", id=piece.id, rid=piece.start)
        else:
            child = ET.SubElement(element, "ph", id=piece.id, ctype=f"x-{piece.kind}")
        # A code holds text only: a character XML cannot hold ends it, and the rest of the
        # markup follows in placeholders of its own.
        first, *rest = _NOT_XML_SPLIT.split(piece.data)
        child.text = first
        for number in range(0, len(rest), 2):
            _char12(element, rest[number])
            if rest[number + 1]:
                more = ET.SubElement(element, "ph", id=f"{piece.id}.{number}")
                more.set("ctype", f"x-{piece.kind}")
                more.text = rest[number + 1]
    return codes


def _xliff21(document: XliffDocument) -> ET.Element:
    first = document.files[0] if document.files else None
    root = ET.Element("xliff", xmlns=XLIFF2, version="2.1")
    root.set(f"xmlns:{LOCPIPE_PREFIX}", LOCPIPE_NS)
    root.set("srcLang", _bcp47(first.source_language) if first else "und")
    if first is not None:
        root.set("trgLang", _bcp47(first.target_language))
    for number, xfile in enumerate(document.files, start=1):
        element = ET.SubElement(root, "file", id=f"f{number}", original=xfile.original)
        if xfile.exported is not None:
            notes = ET.SubElement(element, "notes")
            note = ET.SubElement(notes, "note", category=EXPORTED_CATEGORY)
            note.text = _iso(xfile.exported)
        for unit in xfile.units:
            _unit21(element, unit, xfile.markup)
    return root


def _unit21(parent: ET.Element, unit: XliffUnit, markup: Markup) -> None:
    element = _unit_element(parent, "unit", unit)
    if unit.exported_as is not None:
        element.set(f"{LOCPIPE_PREFIX}:{EXPORTED_AS_ATTRIBUTE}", unit.exported_as)
    notes = list(unit.notes)
    if unit.msgctxt is not None:
        notes.insert(0, ("context", unit.msgctxt))
    if notes:
        holder = ET.SubElement(element, "notes")
        for category, text in notes:
            ET.SubElement(holder, "note", category=category).text = _readable(text)
    source = inline_pieces(unit.source, markup=markup)
    target = (
        inline_pieces(unit.target, markup=markup, reuse=[p for p in source if isinstance(p, Code)])
        if unit.state is not EntryState.UNTRANSLATED
        else []
    )
    data_ids: dict[str, str] = {}
    for piece in [*source, *target]:
        if isinstance(piece, Code):
            data_ids.setdefault(piece.data, f"d{len(data_ids) + 1}")
    if data_ids:
        original = ET.SubElement(element, "originalData")
        for data, data_id in data_ids.items():
            item = ET.SubElement(original, "data", id=data_id)
            item.set(_XML + "space", "preserve")
            _append_text(item, data, _char21)
    segment = ET.SubElement(element, "segment")
    state, substate = {
        EntryState.TRANSLATED: ("final", None),
        EntryState.MACHINE: ("translated", MACHINE_SUBSTATE),
        EntryState.FUZZY: ("initial", FUZZY_SUBSTATE),
    }.get(unit.state, ("initial", None))
    segment.set("state", state)
    if substate:
        segment.set("subState", substate)
    _fill21(ET.SubElement(segment, "source"), source, data_ids)
    if unit.state is not EntryState.UNTRANSLATED:
        _fill21(ET.SubElement(segment, "target"), target, data_ids)


def _fill21(element: ET.Element, pieces: Iterable[Piece], data_ids: dict[str, str]) -> None:
    for piece in pieces:
        if isinstance(piece, str):
            _append_text(element, piece, _char21)
        elif piece.role == "open":
            ET.SubElement(element, "sc", id=piece.id, dataRef=data_ids[piece.data])
        elif piece.role == "close":
            ET.SubElement(element, "ec", startRef=piece.start, dataRef=data_ids[piece.data])
        else:
            ET.SubElement(element, "ph", id=piece.id, dataRef=data_ids[piece.data])


_Q = Callable[[str], str]  # a local name in the document's namespace


def _qualify(namespace: str) -> _Q:
    return lambda name: f"{{{namespace}}}{name}"


def _append_text(element: ET.Element, text: str, char: Callable[[ET.Element, str], None]) -> None:
    """Add text after an element's last child (or as its text when it has none); a
    character XML cannot hold is written by ``char``."""
    position = 0
    for found in _NOT_XML.finditer(text):
        _append_plain(element, text[position : found.start()])
        char(element, found[0])
        position = found.end()
    _append_plain(element, text[position:])


def _append_plain(element: ET.Element, text: str) -> None:
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def _char21(element: ET.Element, char: str) -> None:
    """XLIFF 2's way to carry a character XML cannot: ``<cp hex="000C"/>``."""
    ET.SubElement(element, "cp", hex=f"{ord(char):04X}")


def _char12(element: ET.Element, char: str) -> None:
    """XLIFF 1.2 has no ``<cp>``: a placeholder naming the code point, which locpipe reads
    back as the character and other tools keep as a code."""
    placeholder = ET.SubElement(element, "ph", id=f"cp{len(element)}", ctype=CODE_POINT)
    placeholder.text = f"U+{ord(char):04X}"


def _readable(text: str) -> str:
    """A note's text with what XML cannot hold shown as U+FFFD: notes are only read."""
    return _NOT_XML.sub("\ufffd", text)


# Elements whose content is text (and inline codes): indenting inside them would change it.
_TEXT_ELEMENTS = frozenset(
    {"source", "target", "note", "data", "context", "ph", "bpt", "ept", "tool"}
)


def _indent(element: ET.Element, level: int = 0) -> None:
    """Indent the structure, never the text of a source, target or note."""
    if not len(element) or element.tag.rsplit("}", 1)[-1] in _TEXT_ELEMENTS:
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        _indent(child, level + 1)
        child.tail = inner
    element[-1].tail = "\n" + "  " * level


def _bcp47(tag: str) -> str:
    """A project's language tag as BCP 47 writes it: ``pt_BR`` as ``pt-BR``."""
    return tag.strip().replace("_", "-")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# XML -> units


def parse_xliff(data: bytes, *, path: str) -> XliffDocument:
    """Parse an XLIFF 1.2 or 2.x document safely; :class:`XliffError` names the file."""
    root = parse_untrusted(data, path=path, error=XliffError, what="XLIFF", lines=True)
    if root.tag == f"{{{XLIFF12}}}xliff":
        return XliffDocument(root.get("version", "1.2"), tuple(_files(root, path, v12=True)))
    if root.tag == f"{{{XLIFF2}}}xliff":
        return XliffDocument(root.get("version", "2.0"), tuple(_files(root, path, v12=False)))
    raise XliffError(
        f"not XLIFF 1.2 or 2.x: the root element is <{root.tag}>; locpipe reads the "
        f"namespaces {XLIFF12} and {XLIFF2}",
        path=path,
    )


def _files(root: ET.Element, path: str, *, v12: bool) -> Iterator[XliffFile]:
    """The ``<file>`` elements of a 1.2 or a 2.x document."""
    q = _qualify(XLIFF12 if v12 else XLIFF2)
    for element in root.iter(q("file")):
        if v12:
            languages = (element.get("source-language", ""), element.get("target-language", ""))
            exported = _parse_iso(element.get("date"))
            units = tuple(_unit_of12(u, q, path) for u in element.iter(q("trans-unit")))
        else:
            languages = (root.get("srcLang", ""), root.get("trgLang", ""))
            exported = _parse_iso(_note(element, q, EXPORTED_CATEGORY))
            units = tuple(_unit_of2(u, q, path) for u in element.iter(q("unit")))
        original = element.get("original", "")
        yield XliffFile(original, *languages, units, exported=exported)


def _note(element: ET.Element, q: _Q, category: str) -> str | None:
    """The text of a 2.x element's first note of a category."""
    found = (
        note.text or ""
        for note in element.findall(f"{q('notes')}/{q('note')}")
        if note.get("category") == category
    )
    return next(found, None)


def _unit_of12(unit: ET.Element, q: _Q, path: str) -> XliffUnit:
    source = unit.find(q("source"))
    if source is None:
        raise XliffError(f"unit {unit.get('id')!r} has no <source>", path=path, line=line_of(unit))
    target = unit.find(q("target"))
    text = _text12(target, q, path) if target is not None else ""
    contexts = (c for c in unit.iter(q("context")) if c.get("context-type") == CONTEXT_TYPE)
    context = next((c.text or "" for c in contexts), None)
    state = _state12(unit, target, text)
    source_text = _text12(source, q, path)
    extradata = unit.get("extradata", "")
    return XliffUnit(
        source_text,
        text,
        state,
        context,
        line=line_of(unit),
        exported_as=extradata.removeprefix(EXPORTED_AS)
        if extradata.startswith(EXPORTED_AS)
        else None,
    )


def _text12(element: ET.Element, q: _Q, path: str) -> str:
    """The text of a 1.2 source or target, each inline code given back as its markup."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == q("ph") and child.get("ctype") == CODE_POINT:
            parts.append(_character(_code_point(child.text or ""), child, path))
        elif tag in (q("ph"), q("bpt"), q("ept"), q("it")):
            parts.append("".join(child.itertext()))
        elif tag in (q("g"), q("mrk")):
            # Their content is text; the tag is not.  A <g> a tool put in place of a
            # link's codes loses its Markdown, which the import then refuses.
            parts.append(_text12(child, q, path))
        parts.append(child.tail or "")
    return "".join(parts)


def _code_point(text: str) -> int | None:
    """The code point a 1.2 placeholder (``U+000C``) or a 2.x ``<cp hex>`` names, if any.

    >>> _code_point("U+000C"), _code_point("zz")
    (12, None)
    """
    try:
        return int(text.strip().removeprefix("U+"), 16)
    except ValueError:
        return None


def _character(code: int | None, element: ET.Element, path: str) -> str:
    """The character of a code point, or :class:`XliffError` at the element's line: a
    catalog cannot hold NUL (gettext's strings end there) or a lone surrogate (no UTF-8)."""
    if code is None or not 0 < code < 0x110000 or 0xD800 <= code <= 0xDFFF:
        raise XliffError(
            "a code point no catalog can hold (not one, NUL or a surrogate)",
            path=path,
            line=line_of(element),
        )
    return chr(code)


def _state12(unit: ET.Element, target: ET.Element | None, text: str) -> EntryState:
    """What a 1.2 target is to locpipe.

    ``final`` and ``signed-off`` are a person's word; so is ``translated``, or no state,
    with ``approved="yes"``, which tools set when a person confirms, leaving a machine
    ``state-qualifier`` behind.  Otherwise a machine qualifier means machine output, and
    ``translated`` a person's translation; what needs review or adaptation is fuzzy.
    """
    if target is None or not text:
        return EntryState.UNTRANSLATED
    state = target.get("state", "")
    machine = target.get("state-qualifier") in _MACHINE_QUALIFIERS
    approved = unit.get("approved") == "yes"
    if state in _PENDING_12:
        return EntryState.UNTRANSLATED
    if state in ("final", "signed-off") or (state in ("translated", "") and approved):
        return EntryState.TRANSLATED
    if machine:
        return EntryState.MACHINE
    return EntryState.TRANSLATED if state == "translated" else EntryState.FUZZY


def _unit_of2(unit: ET.Element, q: _Q, path: str) -> XliffUnit:
    data = {
        item.get("id", ""): _text2(item, {}, q, path)  # its only children are <cp>
        for item in unit.findall(f"{q('originalData')}/{q('data')}")
    }
    sources: list[str] = []
    targets: dict[int, str] = {}  # position -> target text
    states, untranslated = [], 0
    parts = [part for part in unit if part.tag in (q("segment"), q("ignorable"))]
    for position, part in enumerate(parts, start=1):
        source, target = part.find(q("source")), part.find(q("target"))
        if source is None:
            where = line_of(part)
            raise XliffError(f"unit {unit.get('id')!r}: no <source>", path=path, line=where)
        sources.append(_text2(source, data, q, path))
        if target is not None:
            # A translator may reorder sentences: "order" is the target's position.
            targets[_order(target, position, len(parts), targets, path)] = _text2(
                target, data, q, path
            )
        elif part.tag == q("ignorable"):
            targets.setdefault(position, sources[-1])  # what lies between keeps its source
        elif sources[-1].strip():
            untranslated += 1
        if part.tag == q("segment"):
            states.append((part.get("state", "initial"), part.get("subState", "")))
    text = "".join(targets[position] for position in sorted(targets))
    if untranslated == len(states):
        text = ""  # only what lies between sentences: nothing translated
    context = _note(unit, q, "context")
    return XliffUnit(
        "".join(sources),
        text,
        _state2(states, text),
        context,
        line=line_of(unit),
        exported_as=unit.get(f"{{{LOCPIPE_NS}}}{EXPORTED_AS_ATTRIBUTE}"),
        untranslated=(untranslated, len(states)) if text and untranslated else None,
    )


def _order(target: ET.Element, position: int, count: int, taken: dict[int, str], path: str) -> int:
    """A 2.x target's position among its unit's segments and ignorables: its ``order``, else
    its own."""
    order = target.get("order")
    if order is None:
        return position
    if not order.isdigit() or not 1 <= int(order) <= count or int(order) in taken:
        raise XliffError(
            f"target order {order!r}: not a free position from 1 to {count}",
            path=path,
            line=line_of(target),
        )
    return int(order)


def _text2(element: ET.Element, data: dict[str, str], q: _Q, path: str) -> str:
    """The text of a 2.x source or target, each inline code given back as its original data."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag in (q("ph"), q("sc"), q("ec")):
            parts.append(_data(child, "dataRef", data, path))
        elif tag == q("pc"):
            # A tool may join an <sc>/<ec> pair into one <pc>: the same two codes.
            parts.append(_data(child, "dataRefStart", data, path))
            parts.append(_text2(child, data, q, path))
            parts.append(_data(child, "dataRefEnd", data, path))
        elif tag == q("mrk"):
            parts.append(_text2(child, data, q, path))
        elif tag == q("cp"):
            parts.append(_character(_code_point(child.get("hex", "")), child, path))
        parts.append(child.tail or "")
    return "".join(parts)


def _data(code: ET.Element, attribute: str, data: dict[str, str], path: str) -> str:
    reference = code.get(attribute)
    if reference is None:
        return ""  # a code with no original data stands for nothing in the text
    if reference not in data:
        raise XliffError(
            f"inline code refers to missing original data {reference!r}",
            path=path,
            line=line_of(code),
        )
    return data[reference]


def _state2(states: Sequence[tuple[str, str]], text: str) -> EntryState:
    """The entry state of a unit's segments: the least advanced one decides."""
    if not text or not states:
        return EntryState.UNTRANSLATED
    order = [EntryState.UNTRANSLATED, EntryState.FUZZY, EntryState.MACHINE, EntryState.TRANSLATED]
    found = []
    for state, substate in states:
        if state in ("reviewed", "final"):
            found.append(EntryState.TRANSLATED)
        elif substate == MACHINE_SUBSTATE:
            found.append(EntryState.MACHINE)
        elif state == "translated":
            found.append(EntryState.TRANSLATED)
        else:
            found.append(EntryState.FUZZY)
    return min(found, key=order.index)


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# Merging into a catalog


class Verdict(StrEnum):
    """What became of one unit of an imported file."""

    FILLED = "filled"  # a translation, state or both changed
    SAME = "same"  # the catalog already says this
    CONFLICT = "conflict"  # left as it is: a person's translation would have been replaced
    STALE = "stale"  # no active entry with this source text (it changed, or went obsolete)
    CODES = "codes"  # left as it is: the target dropped or added an inline code
    INCOMPLETE = "incomplete"  # left as it is: a segment of the unit has no translation yet


@dataclass(frozen=True, slots=True)
class UnitVerdict:
    """A unit's verdict, and why when it was not filled."""

    unit: XliffUnit
    verdict: Verdict
    reason: str = ""


def merge_file(
    po: catalog.Catalog, xfile: XliffFile, *, shown: str, revised: datetime | None
) -> list[UnitVerdict]:
    """Merge a file's translations into a catalog, in place; return each unit's verdict.

    ``shown`` names the file in the provenance notes of the entries it fills.
    A person's translation gives way only to a reviewed one made after it: from a unit
    whose entry has not changed since it was exported (each unit locpipe writes records
    its entry's translation and state).  A unit that does not say is judged by the file's
    date against ``revised``, when the catalog last changed (its PO-Revision-Date), which
    only some editors set (msgcat, msgmerge and a text editor do not).
    """
    verdicts = []
    for unit in xfile.units:
        if unit.state is EntryState.UNTRANSLATED:
            continue
        if unit.untranslated is not None:
            missing, segments = unit.untranslated
            why = f"{missing} of its {segments} segments {'has' if missing == 1 else 'have'}"
            verdicts.append(UnitVerdict(unit, Verdict.INCOMPLETE, f"{why} no translation"))
            continue
        entry = po.find(unit.key)
        if entry is None or entry.obsolete:
            verdicts.append(
                UnitVerdict(unit, Verdict.STALE, "no such entry (its source text changed?)")
            )
            continue
        current = catalog.entry_state(entry)
        if unit.exported_as == entry_version(unit.target, unit.state):
            # Still as exported: it brings nothing, whatever became of the entry since.
            verdicts.append(UnitVerdict(unit, Verdict.SAME))
            continue
        if (
            unit.state is EntryState.MACHINE
            and current is EntryState.MACHINE
            and unit.exported_as == entry_version(entry.msgstr, current)
        ):
            # The machine output exported, its text edited under its machine mark (a CAT
            # tool does not know locpipe's subState; a 1.2 one may keep the qualifier): a
            # person's edit, as the same edit in a PO editor is.
            unit = dataclasses.replace(unit, state=EntryState.FUZZY)
        if unit.exported_as is not None:
            unchanged = unit.exported_as == entry_version(entry.msgstr, current)
        else:
            unchanged = _exported_after(xfile.exported, revised)
        verdict = _judge(unit, current, entry.msgstr, unchanged=unchanged)
        if verdict.verdict is Verdict.FILLED and unit.target != entry.msgstr:
            verdict = _check_codes(unit, entry, xfile.markup) or verdict
        if verdict.verdict is Verdict.FILLED:
            _fill(po, entry, unit, shown)
        verdicts.append(verdict)
    return verdicts


def _exported_after(exported: datetime | None, revised: datetime | None) -> bool:
    """For a file that does not say what each entry was: whether it was exported after the
    catalog last changed.  PO-Revision-Date counts minutes: a change in the minute of the
    export may follow it."""
    return exported is not None and revised is not None and revised + _MINUTE <= exported


def _judge(unit: XliffUnit, current: EntryState, msgstr: str, *, unchanged: bool) -> UnitVerdict:
    """Whether a unit may replace what the catalog holds; ``unchanged``: whether the
    entry is still as it was exported."""
    persons = (EntryState.TRANSLATED, EntryState.FUZZY)
    if unit.target == msgstr:
        promoted = unit.state is EntryState.TRANSLATED and current is not EntryState.TRANSLATED
        return UnitVerdict(unit, Verdict.FILLED if promoted else Verdict.SAME)
    if current in (EntryState.UNTRANSLATED, EntryState.MACHINE):
        return UnitVerdict(unit, Verdict.FILLED)
    if unit.state is EntryState.MACHINE:
        return UnitVerdict(unit, Verdict.CONFLICT, "machine output never replaces a person's")
    if current is EntryState.TRANSLATED and unit.state is not EntryState.TRANSLATED:
        return UnitVerdict(
            unit, Verdict.CONFLICT, "an unreviewed translation never replaces a reviewed one"
        )
    if current in persons and not unchanged:
        why = (
            "the entry changed after this file was exported"
            if unit.exported_as is not None
            else "the catalog changed after this file was exported (or the file has no date)"
        )
        return UnitVerdict(unit, Verdict.CONFLICT, why)
    return UnitVerdict(unit, Verdict.FILLED)


def _check_codes(unit: XliffUnit, entry: catalog.Entry, markup: Markup) -> UnitVerdict | None:
    """A refusal when the target's inline Markdown is not that of the source (or of the
    translation the file was exported with), in any order; else None.

    Each code holds Markdown a reader's page needs: one a tool dropped loses a link or a
    code span, one it added (or whose markup it changed) puts text locpipe never protected
    into the page.  The target's text is judged, not its code elements: a tool that saves
    codes as the text they hold (Translate Toolkit's plain XLIFF, so Weblate's) keeps the
    Markdown intact, and one that keeps the old codes beside new text doubles it.
    """
    found = _codes(unit.target, markup)
    allowed = [_codes(entry.msgid, markup)]
    if entry.msgstr:
        allowed.append(_codes(entry.msgstr, markup))
    if any(found == codes for codes in allowed):
        return None
    missing = sorted((allowed[0] - found).elements())
    invented = sorted((found - allowed[0]).elements())
    reasons = [
        f"{label} {', '.join(map(repr, codes))}"
        for label, codes in (("missing", missing), ("not in the source", invented))
        if codes
    ]
    return UnitVerdict(unit, Verdict.CODES, f"inline codes {'; '.join(reasons)}")


def _codes(text: str, markup: Markup) -> Counter[str]:
    """The markup of a text's inline codes, as locpipe exports them."""
    return Counter(p.data for p in inline_pieces(text, markup=markup) if isinstance(p, Code))


def _fill(po: catalog.Catalog, entry: catalog.Entry, unit: XliffUnit, shown: str) -> None:
    if unit.state is EntryState.MACHINE:
        catalog.fill_entry(
            po,
            unit.key,
            unit.target,
            fuzzy=True,
            note=provenance.machine_note("xliff", f"imported from {shown}"),
        )
    elif unit.state is EntryState.TRANSLATED:
        catalog.fill_entry(
            po, unit.key, unit.target, fuzzy=False, note=f"reviewed in XLIFF ({shown})"
        )
    else:
        catalog.fill_entry(
            po,
            unit.key,
            unit.target,
            fuzzy=True,
            note=f"needs review, from XLIFF ({shown})",
            previous_msgid=entry.previous_msgid,
        )


# Files and the project


@dataclass(frozen=True, slots=True)
class XliffExportResult:
    """What ``xliff export`` wrote: each file and whether it changed, and the unit count."""

    files: tuple[tuple[Path, bool], ...]
    units: int
    problems: tuple[Outcome, ...] = ()

    @property
    def exit_code(self) -> int:
        """1 when a catalog could not be exported, else 0."""
        return exit_code_for(bool(self.problems))


@dataclass(slots=True)
class XliffImportResult:
    """What ``xliff import`` did to each catalog, and every unit it could not take."""

    outcomes: list[Outcome] = field(default_factory=list)
    filled: int = 0
    same: int = 0
    refused: list[tuple[str, UnitVerdict]] = field(default_factory=list)  # (file, verdict)

    @property
    def exit_code(self) -> int:
        """1 when a catalog failed or a unit was refused, else 0."""
        failed_any = any(o.status is Status.FAILED for o in self.outcomes)
        return exit_code_for(failed_any or bool(self.refused))


def export_xliff(
    project: Project,
    language: str,
    folder: Path,
    *,
    version: str = "2.1",
    per: Per = Per.ARTICLE,
    now: datetime,
) -> XliffExportResult:
    """Write a language's catalogs as XLIFF: ``<article>.<lang>.xlf`` each, or ``<lang>.xlf``."""
    files: list[XliffFile] = []
    problems: list[Outcome] = []
    for found in catalog_files(project, language):
        try:
            po = catalog.read_catalog(found.path, language=language, display_path=found.shown)
        except FileNotFoundError:
            continue
        except LocpipeError as exc:
            problems.append(failed(found.article, language, found.shown, exc))
            continue
        files.append(
            catalog_file(
                po,
                article=found.article,
                source_language=project.source_language,
                target_language=language,
                markup=found.markup,
                exported=now,
            )
        )
    files = [xfile for xfile in files if xfile.units]  # XLIFF 2 wants a unit in every file
    if per is Per.LANGUAGE:
        documents = [(folder / f"{language}.xlf", files)] if files else []
    else:
        documents = [(folder / f"{xfile.original}.{language}.xlf", [xfile]) for xfile in files]
    written = []
    for path, content in documents:
        data = generate_xliff(XliffDocument(version, tuple(content)))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            written.append((path, write_atomic(path, data)))
        except OSError as exc:
            raise XliffError(f"cannot write: {exc.strerror}", path=str(path)) from exc
    units = sum(len(xfile.units) for xfile in files)
    return XliffExportResult(tuple(written), units, tuple(problems))


def read_xliff(path: Path) -> XliffDocument:
    """Read and parse an XLIFF file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise XliffError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    return parse_xliff(data, path=str(path))


def import_xliff(project: Project, paths: Sequence[Path], *, now: datetime) -> XliffImportResult:
    """Merge the translations of XLIFF files into the project's catalogs.

    Every file is read, and the catalog of each of its ``<file>`` found, before any catalog
    is written.  A catalog is written only when an entry changed, by compare-and-swap: a
    translator's save since it was read is left as saved and reported.
    """
    catalogs = _Catalogs(project)
    planned = [
        (str(path), xfile, catalogs.named(xfile, str(path)))
        for path in paths
        for xfile in read_xliff(path).files
    ]
    result = XliffImportResult()
    for shown, xfile, found in planned:
        _import_file(xfile, shown, found, now, result)
    return result


class _Catalogs:
    """The project's catalogs by language and article, found as the runner finds them, so
    that a name in a file can never lead out of the project."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._by_language: dict[str, dict[str, CatalogFile]] = {}

    def named(self, xfile: XliffFile, shown: str) -> CatalogFile:
        """The catalog a ``<file>`` names: its article's, in its target language.

        ``original`` is the article's name, as locpipe writes it, or its catalog's file
        (``atacms.po``, ``locales/en/atacms.po``), as a PO-to-XLIFF converter writes it.
        """
        project = self.project
        source = find_language(xfile.source_language, (project.source_language,))
        language = find_language(xfile.target_language, project.languages)
        if source is None or language is None:
            raise XliffError(
                f"file {xfile.original!r} is {xfile.source_language or '?'} to "
                f"{xfile.target_language or '?'}; this project translates "
                f"{project.source_language} to {', '.join(project.languages)}",
                path=shown,
            )
        if language not in self._by_language:
            found = {f.article: f for f in catalog_files(project, language)}
            found.update({f.shown: f for f in found.values()})
            self._by_language[language] = found
        catalogs = self._by_language[language]
        name = xfile.original
        match = catalogs.get(name) or catalogs.get(name.removesuffix(".po"))
        if match is None:
            raise XliffError(
                f"file {name!r}: no such article, or it has no {language} catalog yet",
                path=shown,
            )
        return match


def _import_file(
    xfile: XliffFile, shown: str, found: CatalogFile, now: datetime, result: XliffImportResult
) -> None:
    from . import state

    language = found.language
    digest = state.file_digest(found.path)
    try:
        po = catalog.read_catalog(found.path, language=language, display_path=found.shown)
    except FileNotFoundError:
        gone = XliffError("the catalog was removed during the import", path=found.shown)
        result.outcomes.append(failed(found.article, language, found.shown, gone))
        return
    except LocpipeError as exc:
        result.outcomes.append(failed(found.article, language, found.shown, exc))
        return
    # Which texts hold inline Markdown is the project's to say, not the file's.
    xfile = dataclasses.replace(xfile, markup=found.markup)
    verdicts = merge_file(po, xfile, shown=Path(shown).name, revised=catalog.revision_date(po))
    for verdict in verdicts:
        if verdict.verdict is Verdict.FILLED:
            result.filled += 1
        elif verdict.verdict is Verdict.SAME:
            result.same += 1
        else:
            result.refused.append((shown, verdict))
    if not any(v.verdict is Verdict.FILLED for v in verdicts):
        result.outcomes.append(Outcome(found.article, language, Status.UNCHANGED, found.shown))
        return
    catalog.set_revision_date(po, now)
    try:
        written = catalog.write_catalog(found.path, po, expected=digest)
    except CatalogChanged as exc:
        result.outcomes.append(failed(found.article, language, found.shown, exc))
        return
    status = Status.WRITTEN if written else Status.UNCHANGED
    result.outcomes.append(Outcome(found.article, language, status, found.shown))
