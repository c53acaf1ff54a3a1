"""Translation memory exchange: TMX 1.4b out of the project's catalogs, and into pretranslation.

``export_memory`` gathers a language's reviewed translations (and, when asked, verified
machine output) into a :class:`TmxMemory`; ``generate_tmx`` turns it into bytes and
``parse_tmx`` turns bytes back, doing no I/O.  Imported memories are copied into the
project's ``tm/`` folder, and ``project_memory`` gives pretranslation what they hold.

TMX comes from other tools, so it is parsed with defusedxml: entity declarations and
external references are refused.  A bare ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` is allowed,
because most TMX writers put one there and the parser never fetches it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from . import __version__, catalog
from .errors import TmxError
from .fileio import write_atomic
from .languages import pick
from .project import Project
from .safexml import parse_untrusted

TMX_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
ARTICLE_PROP = "x-locpipe-article"
CONTEXT_PROP = "x-context"
ORIGIN_PROP = "x-locpipe-origin"
ENGINE_PROP = "x-locpipe-engine"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True, slots=True)
class TmxUnit:
    """One ``<tu>``: its text per language, when it was made, and its properties."""

    variants: tuple[tuple[str, str], ...]  # (xml:lang, segment text)
    created: datetime | None = None
    props: tuple[tuple[str, str], ...] = ()  # (type, value), in document order


@dataclass(frozen=True, slots=True)
class TmxMemory:
    """A TMX document: the source language its header names and its units."""

    source_language: str
    units: tuple[TmxUnit, ...]


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What ``tm export`` wrote."""

    path: Path
    units: int
    machine: int
    written: bool


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What ``tm import`` copied into the project, and what the memory holds."""

    source: Path
    stored: Path
    units: int
    languages: tuple[str, ...]
    written: bool


# Pure: model <-> TMX


def format_tmx_date(moment: datetime) -> str:
    """A TMX date: UTC, ``YYYYMMDDThhmmssZ``.

    >>> from datetime import timedelta, timezone
    >>> format_tmx_date(datetime(2024, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=2))))
    '20240501T073000Z'
    """
    return moment.astimezone(UTC).strftime(TMX_DATE_FORMAT)


def units_from_entries(
    entries: Iterable[tuple[str, catalog.MemoryEntry, datetime | None]],
    *,
    source: str,
    target: str,
) -> tuple[TmxUnit, ...]:
    """One unit per distinct (source, translation), in order of first appearance.

    ``entries`` are (article, entry, catalog revision date).  A pair seen in several
    articles or contexts names each; it counts as machine output only if it is nowhere
    reviewed, and keeps the newest date.
    """
    merged: dict[tuple[str, str], _Merged] = {}
    for article, entry, created in entries:
        item = merged.setdefault((entry.msgid, entry.msgstr), _Merged())
        item.articles.setdefault(article)
        if entry.msgctxt:
            item.contexts.setdefault(entry.msgctxt)
        if created and (item.created is None or created > item.created):
            item.created = created
        if entry.machine:
            if entry.engine:
                item.engines.setdefault(entry.engine)
        else:
            item.reviewed = True
    units = []
    for (msgid, msgstr), item in merged.items():
        props = [(ARTICLE_PROP, a) for a in item.articles]
        props += [(CONTEXT_PROP, c) for c in item.contexts]
        if not item.reviewed:
            props.append((ORIGIN_PROP, "machine"))
            props += [(ENGINE_PROP, e) for e in item.engines]
        units.append(TmxUnit(((source, msgid), (target, msgstr)), item.created, tuple(props)))
    return tuple(units)


@dataclass(slots=True)
class _Merged:
    articles: dict[str, None] = field(default_factory=dict)  # ordered sets
    contexts: dict[str, None] = field(default_factory=dict)
    engines: dict[str, None] = field(default_factory=dict)
    created: datetime | None = None
    reviewed: bool = False


def generate_tmx(memory: TmxMemory) -> bytes:
    """A TMX 1.4b document, UTF-8, indented; the same memory always gives the same bytes."""
    root = ET.Element("tmx", version="1.4")
    header = {
        "creationtool": "locpipe",
        "creationtoolversion": __version__,
        "datatype": "plaintext",
        "segtype": "paragraph",
        "adminlang": "en",
        "srclang": memory.source_language,
        "o-tmf": "PO",
    }
    ET.SubElement(root, "header", header)
    body = ET.SubElement(root, "body")
    for unit in memory.units:
        tu = ET.SubElement(body, "tu")
        if unit.created is not None:
            tu.set("creationdate", format_tmx_date(unit.created))
        for kind, value in unit.props:
            ET.SubElement(tu, "prop", type=kind).text = value
        for language, text in unit.variants:
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: language})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data + b"\n"


def parse_tmx(data: bytes, *, path: str) -> TmxMemory:
    """Parse a TMX document safely; :class:`TmxError` names ``path`` and the line if known."""
    root = parse_untrusted(data, path=path, error=TmxError, what="TMX")
    if root.tag != "tmx":
        raise TmxError(f"not a TMX file: the root element is <{root.tag}>", path=path)
    header, body = root.find("header"), root.find("body")
    if header is None or body is None:
        raise TmxError("not a TMX file: <header> or <body> is missing", path=path)
    units = []
    for tu in body.iter("tu"):
        variants = tuple(
            (tuv.get(_XML_LANG) or tuv.get("lang") or "", "".join(seg.itertext()))
            for tuv in tu.findall("tuv")
            if (seg := tuv.find("seg")) is not None
        )
        props = tuple((p.get("type", ""), p.text or "") for p in tu.findall("prop"))
        units.append(TmxUnit(variants, _parse_date(tu.get("creationdate")), props))
    return TmxMemory(header.get("srclang", ""), tuple(units))


def memory_translations(memory: TmxMemory, *, source: str, target: str) -> list[tuple[str, str]]:
    """(source text, translation) of every unit holding both languages.

    >>> unit = TmxUnit((("nl-NL", "Hallo"), ("EN-GB", "Hello"), ("de", "Hallo")))
    >>> memory_translations(TmxMemory("nl-NL", (unit,)), source="nl", target="en")
    [('Hallo', 'Hello')]
    """
    found = []
    for unit in memory.units:
        source_text = _text_in(unit, source)
        target_text = _text_in(unit, target)
        if source_text and target_text:
            found.append((source_text, target_text))
    return found


def _text_in(unit: TmxUnit, language: str) -> str | None:
    return pick(unit.variants, language)


def _parse_date(value: str | None) -> datetime | None:
    try:
        return datetime.strptime(value or "", TMX_DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


# Files


def read_tmx(path: Path, *, display: str | None = None) -> TmxMemory:
    """Read and parse a TMX file."""
    shown = display if display is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TmxError(f"cannot read: {exc.strerror}", path=shown) from exc
    return parse_tmx(data, path=shown)


def write_tmx(path: Path, memory: TmxMemory) -> bool:
    """Write a TMX file atomically; False, touching nothing, if it already says the same."""
    try:
        return write_atomic(path, generate_tmx(memory))
    except OSError as exc:
        raise TmxError(f"cannot write: {exc.strerror}", path=str(path)) from exc


# The project


def export_memory(project: Project, language: str, *, include_machine: bool = False) -> TmxMemory:
    """A language's reviewed translations across the project's catalogs, as a memory."""
    entries = []
    for files in project.articles():
        path = project.catalog_path(language, files.name)
        try:
            po = catalog.read_catalog(path, language=language, display_path=project.relative(path))
        except FileNotFoundError:
            continue
        created = catalog.revision_date(po)
        entries += [
            (files.name, entry, created)
            for entry in catalog.memory_entries(po, include_machine=include_machine)
        ]
    units = units_from_entries(entries, source=project.source_language, target=language)
    return TmxMemory(project.source_language, units)


def export_tmx(
    project: Project, language: str, path: Path, *, include_machine: bool = False
) -> ExportResult:
    """Write a language's memory to a TMX file."""
    memory = export_memory(project, language, include_machine=include_machine)
    machine = sum((ORIGIN_PROP, "machine") in unit.props for unit in memory.units)
    return ExportResult(path, len(memory.units), machine, write_tmx(path, memory))


def import_tmx(project: Project, path: Path) -> ImportResult:
    """Check a TMX file and copy it into the project's ``tm/`` folder as ``<stem>.tmx``."""
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TmxError(f"cannot read: {exc.strerror}", path=shown) from exc
    memory = parse_tmx(data, path=shown)
    stored = project.tm_dir / f"{path.stem}.tmx"
    try:
        written = write_atomic(stored, data)
    except OSError as exc:
        raise TmxError(f"cannot write: {exc.strerror}", path=project.relative(stored)) from exc
    languages = sorted({code for unit in memory.units for code, _ in unit.variants if code})
    return ImportResult(path, stored, len(memory.units), tuple(languages), written)


def project_memory(
    project: Project, language: str
) -> tuple[list[tuple[str, str, str]], list[TmxError]]:
    """(source, translation, origin) from every ``tm/*.tmx`` for a language, and the files
    that could not be read."""
    units: list[tuple[str, str, str]] = []
    problems: list[TmxError] = []
    for path in sorted(project.tm_dir.glob("*.tmx")):
        shown = project.relative(path)
        try:
            memory = read_tmx(path, display=shown)
        except TmxError as exc:
            problems.append(exc)
            continue
        found = memory_translations(memory, source=project.source_language, target=language)
        units += [(source, target, shown) for source, target in found]
    return units, problems
