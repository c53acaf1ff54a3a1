"""Translation memory exchange: TMX 1.4b out of the project's catalogs, and into pretranslation.

``export_memory`` gathers a language's reviewed translations (and, when asked, verified
machine output) into a :class:`TmxMemory`; ``generate_tmx`` turns it into bytes and
``parse_tmx`` turns bytes back, doing no I/O.  Imported memories are copied into the
project's ``tm/`` folder, and ``project_memory`` gives pretranslation what they hold, each
unit with the :class:`Provenance` its tool recorded (``unit_provenance``): CAT tools keep
machine output and unconfirmed drafts in their memories too, and neither may come back as
a person's reviewed translation.

TMX comes from other tools, so it is parsed as :mod:`locpipe.safexml` parses it:
entity and attribute declarations and external references are refused.  A bare
``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` is allowed, because most TMX writers put one there
and the parser never fetches it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from xml.etree import ElementTree as ET

from . import __version__, catalog
from .errors import TmxError
from .fileio import write_atomic
from .languages import pick, same_language
from .project import Project
from .safexml import parse_untrusted
from .sentences import split_sentences

TMX_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
ARTICLE_PROP = "x-locpipe-article"
CONTEXT_PROP = "x-context"
ORIGIN_PROP = "x-locpipe-origin"
ENGINE_PROP = "x-locpipe-engine"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True, slots=True)
class TmxUnit:
    """One ``<tu>``: its text per language, when it was made, and what it says of itself.

    A segment's inline tags are kept in its text as :data:`TAG_START` ``o``/``c``/``p``
    ``<id>`` :data:`TAG_END` (an opening, a closing, a standalone code): XML text can hold
    neither control character, so no text is ever taken for a tag.
    """

    variants: tuple[tuple[str, str], ...]  # (xml:lang, segment text)
    created: datetime | None = None
    props: tuple[tuple[str, str], ...] = ()  # (type, value), in document order
    changed: datetime | None = None
    notes: tuple[str, ...] = ()
    # creationid, changeid and creationtool, where the <tu> names them
    attributes: tuple[tuple[str, str], ...] = ()
    # What each <tuv> says of itself (those attributes and its dates), in the order of
    # ``variants``; empty when no <tuv> says anything.  OmegaT signs and dates only the
    # translation's <tuv>, and in a memory of several languages each may differ.
    variant_attributes: tuple[tuple[tuple[str, str], ...], ...] = ()


@dataclass(frozen=True, slots=True)
class TmxMemory:
    """A TMX document: the source language its header names, its units, and its tool."""

    source_language: str
    units: tuple[TmxUnit, ...]
    creation_tool: str = "locpipe"
    segment_type: str = "paragraph"  # or "sentence": what one unit holds


class Trust(Enum):
    """How far a unit may be trusted, from what its tool recorded about it."""

    REVIEWED = 0  # a person's confirmed translation
    DRAFT = 1  # a person's, but not confirmed: Trados' Draft
    MACHINE = 2  # machine output nobody reviewed
    REJECTED = 3  # refused by a reviewer: never used


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an imported unit's translation comes from, as its tool recorded it."""

    trust: Trust
    engine: str | None = None  # for machine output: the engine or tool that wrote it


@dataclass(frozen=True, slots=True)
class MemoryUnit:
    """A translation an imported memory offers for one language pair."""

    source: str
    translation: str
    origin: str  # the memory's file
    provenance: Provenance = Provenance(Trust.REVIEWED)
    notes: tuple[str, ...] = ()
    date: datetime | None = None  # its changedate, else its creationdate


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What ``tm export`` wrote."""

    path: Path
    units: int
    machine: int
    written: bool
    left_out: int = 0  # entries holding characters XML cannot carry (control characters)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What ``tm import`` copied into the project, and what the memory holds."""

    source: Path
    stored: Path
    units: int
    languages: tuple[str, ...]
    written: bool
    machine: int = 0  # units recorded as machine output: they fill entries as such
    drafts: int = 0  # units a person did not confirm: they fill entries as fuzzy
    unusable: int = 0  # rejected units, and units whose inline tags do not pair up


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
        "creationtool": memory.creation_tool,
        "creationtoolversion": __version__,
        "datatype": "plaintext",
        "segtype": memory.segment_type,
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
        tuvs = [(tuv, seg) for tuv in tu.findall("tuv") if (seg := tuv.find("seg")) is not None]
        variants = tuple(
            (tuv.get(_XML_LANG) or tuv.get("lang") or "", segment_text(seg)) for tuv, seg in tuvs
        )
        props = tuple((p.get("type", ""), p.text or "") for p in tu.findall("prop"))
        notes = tuple(text for n in tu.findall("note") if (text := " ".join(n.itertext()).strip()))
        signed = tuple(_own_attributes(tuv, (*_UNIT_ATTRIBUTES, *_DATES)) for tuv, _ in tuvs)
        units.append(
            TmxUnit(
                variants,
                _parse_date(tu.get("creationdate")),
                props,
                _parse_date(tu.get("changedate")),
                notes,
                _own_attributes(tu, _UNIT_ATTRIBUTES),
                signed if any(signed) else (),
            )
        )
    return TmxMemory(
        header.get("srclang", ""),
        tuple(units),
        header.get("creationtool", ""),
        header.get("segtype", ""),
    )


TAG_START, TAG_END = "\x01", "\x02"
_UNIT_ATTRIBUTES = ("creationid", "changeid", "creationtool")
_TAG = re.compile("\x01([ocp])([^\x02]*)\x02")
# Content markup (TMX 1.4b hi, XLIFF-style g) wraps text; bpt/ept enclose the native code.
_WRAPPING, _PLACEHOLDERS = ("hi", "g"), ("ph", "x", "ut", "bx", "ex")


_DATES = ("creationdate", "changedate")


def _own_attributes(element: ET.Element, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, value) for name in names if (value := element.get(name)))


def as_written_in(unit: TmxUnit, language: str) -> TmxUnit:
    """The unit as its variant in ``language`` was made: what that ``<tuv>`` says of its
    author, tool and dates overrides what the ``<tu>`` says, as TMX has it.

    >>> unit = TmxUnit((("nl", "Hallo"), ("en", "Hello"), ("de", "Hallo")),
    ...                variant_attributes=((), (("changeid", "MT!"),), (("changeid", "ann"),)))
    >>> dict(as_written_in(unit, "en").attributes), dict(as_written_in(unit, "de").attributes)
    ({'changeid': 'MT!'}, {'changeid': 'ann'})
    """
    index = pick(((tag, i) for i, (tag, _) in enumerate(unit.variants)), language)
    if index is None or not unit.variant_attributes:
        return unit
    own = dict(unit.variant_attributes[index])
    attributes = dict(unit.attributes)
    attributes.update((name, own[name]) for name in _UNIT_ATTRIBUTES if name in own)
    return replace(
        unit,
        attributes=tuple(attributes.items()),
        created=_parse_date(own.get("creationdate")) or unit.created,
        changed=_parse_date(own.get("changedate")) or unit.changed,
    )


def segment_text(seg: ET.Element) -> str:
    """A ``<seg>``'s text, each inline tag as a marker (the native code inside is dropped).

    >>> seg = ET.fromstring('<seg>Een <bpt i="1">&lt;b&gt;</bpt>vet<ept i="1">&lt;/b&gt;</ept>'
    ...                     ' woord<ph x="2">&lt;br/&gt;</ph></seg>')
    >>> segment_text(seg).replace(TAG_START, "{").replace(TAG_END, "}")
    'Een {o1}vet{c1} woord{p2}'
    """
    parts = [seg.text or ""]
    for counter, child in enumerate(seg, start=1):
        name = child.tag.rsplit("}", 1)[-1]
        ident = child.get("i") or child.get("x") or child.get("id") or f"#{counter}"
        if name == "bpt":
            parts.append(f"{TAG_START}o{ident}{TAG_END}")
        elif name == "ept":
            parts.append(f"{TAG_START}c{ident}{TAG_END}")
        elif name == "it":
            kind = "o" if child.get("pos") == "begin" else "c"
            parts.append(f"{TAG_START}{kind}it{child.get('x') or counter}{TAG_END}")
        elif name in _WRAPPING:
            ident = f"{name}{ident}"
            parts += [f"{TAG_START}o{ident}{TAG_END}", segment_text(child)]
            parts.append(f"{TAG_START}c{ident}{TAG_END}")
        else:  # ph, x, ut and anything unknown: a standalone code
            parts.append(f"{TAG_START}p{ident}{TAG_END}")
        parts.append(child.tail or "")
    return "".join(parts)


def has_tags(text: str) -> bool:
    """Whether a segment's text holds inline tags."""
    return TAG_START in text


def tags_pair_up(source: str, translation: str) -> bool:
    """Whether every tag of a translation is one of its source's (so it can be mapped).

    >>> o, c, p = "\x01o1\x02", "\x01c1\x02", "\x01p9\x02"
    >>> tags_pair_up(f"{o}a{c}", f"{o}b{c}"), tags_pair_up("a", f"{p}b")
    (True, False)
    """
    return set(_TAG.findall(translation)) <= set(_TAG.findall(source))


# Which Markdown (or inline HTML) a tag may stand for in an entry's msgid.
_TAG_MARKDOWN = {
    "o": r"\*\*|__|\*|_|~~|`+|\[|<[A-Za-z][^<>]*>",
    "c": r"\*\*|__|\*|_|~~|`+|\]\([^()\s]*(?:\s+\"[^\"]*\")?\)|</[A-Za-z][^<>]*>",
    "p": r"<[A-Za-z][^<>]*/?>|!\[[^\[\]]*\]\([^()\s]*\)|\\\n",
}
_MARKDOWN = re.compile("|".join(f"(?:{pattern})" for pattern in _TAG_MARKDOWN.values()))


def markup_key(text: str) -> str:
    """A text without its inline tags or Markdown delimiters: where a tagged unit and an
    entry's msgid may meet.

    >>> o, c = "\x01o1\x02", "\x01c1\x02"
    >>> markup_key("Een **vet** [woord](https://x.nl)"), markup_key(f"Een {o}vet{c} {o}woord{c}")
    ('Een vet woord', 'Een vet woord')
    """
    return " ".join(_MARKDOWN.sub("", _TAG.sub("", text)).split())


def resolve_tags(source: str, translation: str, msgid: str) -> str | None:
    """The translation with each tag replaced by the Markdown it stands for in ``msgid``,
    or None when the unit's source is not ``msgid`` with its markup as tags.

    >>> o, c = "\x01o1\x02", "\x01c1\x02"
    >>> resolve_tags(f"Een {o}vet{c} woord", f"A {o}bold{c} word", "Een **vet** woord")
    'A **bold** word'
    >>> resolve_tags(f"Een {o}vet{c} woord", f"A {o}bold{c} word", "Een vet woord") is None
    True
    """
    groups: dict[str, str] = {}
    pattern = []
    position = 0
    for match in _TAG.finditer(source):
        pattern.append(re.escape(source[position : match.start()]))
        kind, ident = match.groups()
        key = f"{kind}{ident}"
        name = f"t{len(groups)}"
        if key in groups:  # the same tag again: the same markup again
            pattern.append(f"(?P={groups[key]})")
        else:
            groups[key] = name
            # Atomic: adjacent tags over a run of "*" or "_" could otherwise split it every
            # way there is before failing (16 tags took half a minute).
            pattern.append(f"(?P<{name}>(?>{_TAG_MARKDOWN[kind]}))")
        position = match.end()
    pattern.append(re.escape(source[position:]))
    found = re.fullmatch("".join(pattern), msgid)
    if found is None:
        return None
    try:
        return _TAG.sub(lambda m: found[groups[m[1] + m[2]]], translation)
    except KeyError:  # a tag the source lacks
        return None


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


def export_memory(
    project: Project, language: str, *, include_machine: bool = False, sentences: bool = False
) -> TmxMemory:
    """A language's reviewed translations across the project's catalogs, as a memory:
    a unit per entry, or with ``sentences`` a unit per sentence where the source and the
    translation have as many sentences."""
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
    source = project.source_language
    if sentences:
        entries = list(sentence_entries(entries, source=source, target=language))
    units = units_from_entries(entries, source=source, target=language)
    segment_type = "sentence" if sentences else "paragraph"
    return TmxMemory(source, units, segment_type=segment_type)


# Characters XML 1.0 cannot carry, not even as references: one would make the whole file
# unreadable to every TMX reader, so its unit is left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_can_carry(text: str) -> bool:
    """Whether a text can stand in an XML document.

    >>> xml_can_carry("Een\tregel"), xml_can_carry("Een\x0cpagina")
    (True, False)
    """
    return _NOT_XML.search(text) is None


def sentence_entries(
    entries: Iterable[tuple[str, catalog.MemoryEntry, datetime | None]], *, source: str, target: str
) -> Iterable[tuple[str, catalog.MemoryEntry, datetime | None]]:
    """Each entry cut into its sentences, paired in order, where the source and the
    translation have as many and each pair's lengths agree with the entry's; otherwise the
    entry stays whole, since its sentences cannot be paired with confidence.

    >>> entry = catalog.MemoryEntry(None, "Het regent. Wij blijven thuis.", "It rains. We stay.")
    >>> [e.msgid for _, e, _ in sentence_entries([("a", entry, None)], source="nl", target="en")]
    ['Het regent.', 'Wij blijven thuis.']
    """
    for article, entry, created in entries:
        originals = split_sentences(entry.msgid, source)
        translated = split_sentences(entry.msgstr, target)
        if len(originals) != len(translated) or not _lengths_agree(originals, translated):
            yield article, entry, created
            continue
        for original, translation in zip(originals, translated, strict=True):
            if original.strip() and translation.strip():
                piece = entry._replace(msgid=original.strip(), msgstr=translation.strip())
                yield article, piece, created


def _lengths_agree(originals: list[str], translated: list[str]) -> bool:
    """Whether every sentence's translation is about as long as the entry's translation is
    relative to its source (as Gale and Church align sentences by length).  A translator who
    split one sentence and joined two others leaves as many sentences, in pairs that would
    become wrong "reviewed" units in every memory the export reaches.

    >>> _lengths_agree(["Het regent al dagen en de rivier treedt buiten haar oevers. ", "Thuis."],
    ...                ["It rains. ", "For days the river has flooded, so we stay home."])
    False
    """
    ratio = sum(map(len, translated)) / max(1, sum(map(len, originals)))
    for original, translation in zip(originals, translated, strict=True):
        expected = ratio * len(original.strip())
        # Some slack for short sentences: "Ja." may well be "Yes, indeed."
        if abs(len(translation.strip()) - expected) > 12 + expected / 2:
            return False
    return True


def export_tmx(
    project: Project,
    language: str,
    path: Path,
    *,
    include_machine: bool = False,
    sentences: bool = False,
) -> ExportResult:
    """Write a language's memory to a TMX file."""
    memory = export_memory(project, language, include_machine=include_machine, sentences=sentences)
    carried = tuple(
        unit
        for unit in memory.units
        if all(xml_can_carry(text) for _, text in (*unit.variants, *unit.props))
    )
    left_out = len(memory.units) - len(carried)
    memory = replace(memory, units=carried)
    machine = sum((ORIGIN_PROP, "machine") in unit.props for unit in memory.units)
    return ExportResult(path, len(memory.units), machine, write_tmx(path, memory), left_out)


def import_tmx(project: Project, path: Path, *, replace: bool = False) -> ImportResult:
    """Check a TMX file and copy it into the project's ``tm/`` folder as ``<stem>.tmx``.

    A different memory already stored under that name is replaced only with ``replace``:
    two memories from different clients or agencies often share a name (``memory.tmx``).
    """
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TmxError(f"cannot read: {exc.strerror}", path=shown) from exc
    memory = parse_tmx(data, path=shown)
    stored = project.tm_dir / f"{path.stem}.tmx"
    if not replace and stored.is_file() and stored.read_bytes() != data:
        raise TmxError(
            f"{project.relative(stored)} already holds another memory; import it under "
            "another name, or replace that one with --replace",
            path=shown,
        )
    try:
        written = write_atomic(stored, data)
    except OSError as exc:
        raise TmxError(f"cannot write: {exc.strerror}", path=project.relative(stored)) from exc
    languages = sorted({code for unit in memory.units for code, _ in unit.variants if code})
    trust = [_least_trusted(unit, memory) for unit in memory.units]
    unusable = sum(
        t is Trust.REJECTED or not _tags_pair_up_in(unit, memory.source_language)
        for unit, t in zip(memory.units, trust, strict=True)
    )
    return ImportResult(
        path,
        stored,
        len(memory.units),
        tuple(languages),
        written,
        machine=trust.count(Trust.MACHINE),
        drafts=trust.count(Trust.DRAFT),
        unusable=unusable,
    )


def _least_trusted(unit: TmxUnit, memory: TmxMemory) -> Trust:
    """How far the least trusted of a unit's translations may be trusted."""
    source = memory.source_language
    targets = [tag for tag, _ in unit.variants if not same_language(tag, source)] or [source]
    found = (unit_provenance(as_written_in(unit, tag), memory.creation_tool) for tag in targets)
    return max((p.trust for p in found), key=lambda trust: trust.value)


def _tags_pair_up_in(unit: TmxUnit, source_language: str) -> bool:
    """Whether every variant's tags are among the source's (the header's source language)."""
    source = _text_in(unit, source_language) or ""
    return all(tags_pair_up(source, text) for _, text in unit.variants)


def project_memory(project: Project, language: str) -> tuple[list[MemoryUnit], list[TmxError]]:
    """What every ``tm/*.tmx`` offers for a language, newest first, and the files that could
    not be read.  Rejected units and units whose inline tags cannot pair up are left out."""
    units: list[MemoryUnit] = []
    problems: list[TmxError] = []
    for path in sorted(project.tm_dir.glob("*.tmx")):
        shown = project.relative(path)
        try:
            memory = read_tmx(path, display=shown)
        except TmxError as exc:
            problems.append(exc)
            continue
        units += usable_units(memory, source=project.source_language, target=language, origin=shown)
    # The newest unit wins: the memory keeps the first one it is given for a source.
    units.sort(key=lambda unit: unit.date or _NEVER, reverse=True)
    return units, problems


_NEVER = datetime.min.replace(tzinfo=UTC)


def usable_units(memory: TmxMemory, *, source: str, target: str, origin: str) -> list[MemoryUnit]:
    """The units of a memory that hold both languages and may be used, with their provenance.

    >>> unit = TmxUnit((("nl-NL", "Hallo"), ("EN-GB", "Hello"), ("de", "Hallo")))
    >>> [(u.source, u.translation, u.provenance.trust.name)
    ...  for u in usable_units(TmxMemory("nl-NL", (unit,)), source="nl", target="en", origin="m")]
    [('Hallo', 'Hello', 'REVIEWED')]
    """
    found = []
    for unit in memory.units:
        source_text, target_text = _text_in(unit, source), _text_in(unit, target)
        if not (source_text and target_text):
            continue
        unit = as_written_in(unit, target)
        provenance = unit_provenance(unit, memory.creation_tool)
        if provenance.trust is Trust.REJECTED or not tags_pair_up(source_text, target_text):
            continue
        date = unit.changed or unit.created
        found.append(MemoryUnit(source_text, target_text, origin, provenance, unit.notes, date))
    return found


# What CAT tools record about where a unit comes from.  Trados Studio: x-Origin
# (TM, Alignment, MachineTranslation, AdaptiveMachineTranslation, ...) and
# x-ConfirmationLevel (Draft, Translated, ApprovedTranslation, ApprovedSignOff,
# RejectedTranslation, RejectedSignOff); other tools name the writer in creationid or
# changeid ("MT!", "MT") or creationtool.  locpipe writes x-locpipe-origin.
_MACHINE_VALUES = frozenset({"mt", "nmt", "amt", "machine", "machinetranslation"})
_TRUE_VALUES = frozenset({"1", "true", "yes", "y"})
_MACHINE_PROPS = frozenset({"x-mt", "x-machinetranslation", "x-machine-translation"})
_MACHINE_IDS = re.compile(r"^(?:MT|NMT)(?:[!:/ _-]|$)", re.IGNORECASE)
_ENGINES = (
    "apertium",
    "libretranslate",
    "deepl",
    "google translate",
    "google cloud translation",
    "microsoft translator",
    "azure translator",
    "bing translator",
    "amazon translate",
    "modernmt",
    "systran",
    "yandex translate",
    "mymemory",
)


def unit_provenance(unit: TmxUnit, creation_tool: str = "") -> Provenance:
    """What a unit's properties and attributes say of where its translation comes from.

    >>> unit_provenance(TmxUnit((), props=(("x-Origin", "MachineTranslation"),)))
    Provenance(trust=<Trust.MACHINE: 2>, engine='MachineTranslation')
    >>> unit_provenance(TmxUnit((), props=(("x-ConfirmationLevel", "Draft"),))).trust.name
    'DRAFT'
    >>> unit_provenance(TmxUnit((), attributes=(("creationid", "MT!"),))).trust.name
    'MACHINE'
    >>> unit_provenance(TmxUnit((), attributes=(("creationid", "MT!"), ("changeid", "ann"))))
    Provenance(trust=<Trust.REVIEWED: 0>, engine=None)
    >>> [unit_provenance(TmxUnit(()), tool).trust.name
    ...  for tool in ("DeepL", "Google Translator Toolkit", "OmegaT")]
    ['MACHINE', 'REVIEWED', 'REVIEWED']
    >>> [unit_provenance(TmxUnit((), props=props)).trust.name
    ...  for props in ((("aligned", "yes"),), (("x-Origin", "Alignment"),),
    ...                (("x-Origin", "Alignment"), ("x-ConfirmationLevel", "ApprovedTranslation")))]
    ['DRAFT', 'DRAFT', 'REVIEWED']
    """
    props = {kind.casefold(): value.strip() for kind, value in unit.props}
    attributes = dict(unit.attributes)
    level = props.get("x-confirmationlevel", "").casefold()
    if level.startswith("rejected"):
        return Provenance(Trust.REJECTED)
    engine = props.get(ENGINE_PROP)
    if props.get(ORIGIN_PROP) == "machine":
        return Provenance(Trust.MACHINE, engine or "unknown")
    for kind, value in props.items():
        squeezed = re.sub(r"[^a-z]", "", value.casefold())
        if kind.endswith("origin") and (squeezed in _MACHINE_VALUES or "machine" in squeezed):
            return Provenance(Trust.MACHINE, _engine_name(value))
        if kind in _MACHINE_PROPS and value.casefold() in _TRUE_VALUES:
            return Provenance(Trust.MACHINE, _engine_name(attributes.get("creationtool") or "mt"))
    # The last writer decides: a person's change to machine output makes it theirs.
    writer = attributes.get("changeid") or attributes.get("creationid") or ""
    if _MACHINE_IDS.match(writer):
        return Provenance(Trust.MACHINE, _engine_name(writer))
    tool = attributes.get("creationtool") or ("" if writer else creation_tool)
    folded = tool.casefold()
    # Google Translator Toolkit was a CAT tool for people, despite its name.
    if any(name in folded for name in _ENGINES) and "toolkit" not in folded:
        return Provenance(Trust.MACHINE, _engine_name(tool))
    # Alignment pairs a person's translations with their sources by machine (memoQ's
    # aligned=yes, Trados' x-Origin Alignment): the text is a person's, the pairing is
    # unconfirmed until a reviewer approves it.
    aligned = props.get("aligned", "").casefold() in _TRUE_VALUES or any(
        kind.endswith("origin") and "alignment" in value.casefold() for kind, value in props.items()
    )
    if level in ("draft", "unspecified") or (aligned and not level.startswith("approved")):
        return Provenance(Trust.DRAFT)
    return Provenance(Trust.REVIEWED)


def _engine_name(text: str) -> str:
    """An engine's name as one word, as locpipe's provenance notes write it."""
    return "-".join(text.split()) or "unknown"
