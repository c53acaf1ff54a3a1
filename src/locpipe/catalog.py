"""Articles to gettext templates and catalogs, and catalogs updated like ``msgmerge`` does.

Everything here works on locpipe's own :class:`~locpipe.pomodel.Catalog` and
:class:`~locpipe.pomodel.Entry` (:mod:`locpipe.pofile` reads and writes their syntax), and
never touches a file, except :func:`read_catalog` and :func:`write_catalog`.  Other stages
read catalogs only through the functions here.

The header is chosen so that ``msgfmt --check`` accepts templates and catalogs without a
single warning: it wants ``Language`` non-empty (a template therefore names the source
language) and no field left at its ``xgettext`` placeholder (``YEAR-MO-DA HO:MI+ZONE``,
``FULL NAME <EMAIL@ADDRESS>``, ``LANGUAGE <LL@li.org>``, ``charset=CHARSET``); empty
``Last-Translator`` and ``Language-Team`` are fine.  ``PO-Revision-Date`` must be a real
date because babel's ``read_po`` fails on an empty one.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from . import __version__, provenance
from .errors import CatalogChanged, CatalogError, SourceError
from .fileio import CHANGED_MEANWHILE, read_bytes, write_atomic
from .languages import english_name, serves
from .model import Article, EntryState, Unit
from .plurals import plural_forms
from .pofile import PAGE_WIDTH, ordered_metadata, parse_catalog, physical_lines, render_catalog
from .pomodel import Catalog as Catalog
from .pomodel import Entry as Entry
from .pomodel import Key as Key
from .words import count_words

if TYPE_CHECKING:
    from difflib import SequenceMatcher

    from .summaries import CatalogStats

_T = TypeVar("_T")

SOURCE_LANGUAGE = "nl"
DATE_FORMAT = "%Y-%m-%d %H:%M%z"
FUZZY_THRESHOLD = 0.6  # the similarity msgmerge asks of a fuzzy match

_DATE_FIELDS = ("POT-Creation-Date", "PO-Revision-Date")
# Fields a catalog always takes from its template, as msgmerge does.
_TEMPLATE_FIELDS = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date")
# Fields the translator's tool owns (Poedit, Lokalize and Weblate set them on save, msgmerge
# never touches them): a new catalog gets locpipe's, an existing one keeps its own, unless
# one is missing or still xgettext's placeholder, which msgfmt --check refuses.
_TRANSLATOR_FIELDS = (
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "X-Generator",
    "Plural-Forms",
)
# What xgettext and msginit leave for a person to fill in; msgfmt --check warns about them.
_PLACEHOLDERS = frozenset(
    {
        "FULL NAME <EMAIL@ADDRESS>",
        "LANGUAGE <LL@li.org>",
        "nplurals=INTEGER; plural=EXPRESSION;",
        "YEAR-MO-DA HO:MI+ZONE",
    }
)
_CONTEXT_SEPARATOR = "\x04"  # joins msgctxt and msgid in MO files, so msgfmt refuses it


# Templates


def template_from_article(
    article: Article, *, created: datetime, source_language: str = SOURCE_LANGUAGE
) -> Catalog:
    """The template (POT) of an article: one entry per distinct unit key, in source order."""
    stamp = format_date(created)
    occurrences: dict[Key, list[Unit]] = {}
    for unit in article.units:
        if not unit.text:
            raise ValueError(f"{article.path}:{unit.line}: a unit with empty text")
        if _CONTEXT_SEPARATOR in unit.text:
            raise SourceError(
                "control character U+0004 cannot stand in a gettext message: remove it",
                path=article.path,
                line=unit.line,
            )
        occurrences.setdefault(unit.key, []).append(unit)
    po = Catalog(header=f"Translations of {article.path}.")
    po.metadata = {
        "Project-Id-Version": article.name,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": stamp,
        "PO-Revision-Date": stamp,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": source_language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"locpipe {__version__}",
    }
    for (context, msgid), units in occurrences.items():
        references = (
            [(article.path, str(units[0].line))]
            if len(units) == 1
            else _distinct((article.path, str(unit.line)) for unit in units)
        )
        po.entries.append(
            Entry(
                msgctxt=context,
                msgid=msgid,
                occurrences=references,
                comment=extracted_comment(units),
            )
        )
    return po


def extracted_comment(units: Sequence[Unit]) -> str:
    """The ``#.`` comment of an entry: its kinds and section, then the units' notes.

    >>> from locpipe.model import Line, UnitKind
    >>> def unit(kind, section=None):
    ...     return Unit(kind=kind, lines=(Line("", "Tekort"),), line=1, section=section)
    >>> extracted_comment([unit(UnitKind.TOC), unit(UnitKind.HEADING, "Tekort")])
    'table of contents, heading'
    >>> extracted_comment([unit(UnitKind.PARAGRAPH, "Inleiding")])
    'paragraph, section: Inleiding'
    """
    if len(units) == 1:  # most entries: the same, without building the lists
        unit = units[0]
        summary = str(unit.kind)
        if unit.section and unit.section != unit.text:
            summary += f", section: {unit.section}"
        return "\n".join([summary, *dict.fromkeys(unit.notes)]) if unit.notes else summary
    kinds = _distinct(str(unit.kind) for unit in units)
    # A heading's section is the heading itself: naming it again says nothing.
    sections = _distinct(
        unit.section for unit in units if unit.section and unit.section != unit.text
    )
    summary = ", ".join(kinds)
    if len(sections) == 1:
        summary += f", section: {sections[0]}"
    elif sections:
        summary += f", sections: {'; '.join(sections)}"
    notes = _distinct(note for unit in units for note in unit.notes)
    return "\n".join([summary, *notes])


def refresh_template(new: Catalog, old: Catalog | None) -> Catalog:
    """``new``, but with ``old``'s dates when nothing else differs, so the file stays as it was.

    The result shares its entries with ``new``.
    """
    if old is None or content_changed(old, new):
        return new
    metadata = dict(new.metadata)
    for name in _DATE_FIELDS:
        if name in old.metadata:
            metadata[name] = old.metadata[name]
    return Catalog(list(new.entries), new.header, metadata, new.metadata_is_fuzzy)


# Updating catalogs


def update_catalog(
    template: Catalog, existing: Catalog | None, *, language: str, now: datetime
) -> Catalog:
    """The catalog for ``language`` merged from its template and its previous state.

    Works like ``msgmerge --previous``: translations follow their msgid (exactly, or as
    fuzzy suggestions from a similar old entry), and old entries nobody matches become
    obsolete when they have a translation.  No translation is lost.  The header keeps the
    fields the translator's tool owns (see :func:`_catalog_metadata`).
    """
    old_entries = existing.entries if existing is not None else []
    active = _first_by_key(e for e in old_entries if not e.obsolete)
    obsolete = _first_by_key(e for e in old_entries if e.obsolete)
    template_entries = [e for e in template if not e.obsolete]
    exact = [active.get(_key(e), obsolete.get(_key(e))) for e in template_entries]
    consumed = {id(old) for old in exact if old is not None}  # moved into the new catalog
    matcher = _FuzzyMatcher([e for e in old_entries if e.msgstr])
    new_entries: list[Entry] = []
    for entry, old in zip(template_entries, exact, strict=True):
        if old is not None:
            new_entries.append(_carry_over(entry, old))
            continue
        source = matcher.best(entry.msgctxt, entry.msgid)
        if source is None:
            new_entries.append(_from_template(entry))
            continue
        if not source.obsolete:  # old obsolete entries stay for a later revival
            consumed.add(id(source))
        new_entries.append(_fuzzy_from(entry, source))

    keys = {_key(entry) for entry in new_entries}
    for old in old_entries:
        # msgfmt rejects a key that appears twice, even on an obsolete entry.
        if id(old) in consumed or _key(old) in keys:
            continue
        if old.obsolete:
            new_entries.append(_reviewed_if_translated(_copy_entry(old)))
        elif old.msgstr or old.msgstr_plural.get(0):
            # Only with a translation, as msgmerge: gettext writes no other obsolete entry.
            new_entries.append(_make_obsolete(old))
        else:
            continue
        keys.add(_key(old))

    # A fuzzy header means "fill me in" (xgettext); the header is filled in below, so the
    # mark is not carried over.
    basis = template if existing is None else existing
    metadata = _catalog_metadata(
        basis.metadata, template.metadata, language, new=existing is None, now=now
    )
    po = Catalog(new_entries, basis.header, metadata)
    return po


def new_catalog_bytes(
    template: Catalog, template_bytes: bytes, *, language: str, now: datetime
) -> bytes:
    """The bytes of a new catalog for ``language``, as ``update_catalog(template, None)``
    renders, made from the bytes of ``template`` itself.

    A new catalog's entries are its template's, untranslated, and render exactly as the
    template's do: only the header entry differs.  So the template's entries, rendered
    already, are taken as they are rather than copied, merged and rendered again (4% of a
    new project's extract, in pairs of runs).  That holds for a template as extract makes it:
    ``template_bytes`` must be its rendering, and it must hold no translation and no
    obsolete entry (a merge would drop or keep those).
    """
    if any(entry.obsolete or entry.msgstr or entry.msgstr_plural for entry in template):
        raise ValueError("not a template: it holds translations or obsolete entries")
    # A catalog renders as its header entry, "\n\n" before each entry, and a final "\n";
    # no line of an entry is empty, so the first blank line ends the header entry.  Its
    # header comment names the article: bytes of another template fail that check, or
    # the count of entries, without rendering the header again to compare.
    end = template_bytes.find(b"\n\n")
    entries = template_bytes[end:] if end >= 0 else template_bytes[-1:]
    title = template.header.lstrip("\n").split("\n", 1)[0]
    if entries.count(b"\n\n") != len(template.entries) or (
        title and not template_bytes.startswith(f"# {title}\n".encode())
    ):
        raise ValueError("template_bytes are not this template's rendering")
    metadata = _catalog_metadata(template.metadata, template.metadata, language, new=True, now=now)
    return catalog_bytes(Catalog([], template.header, metadata))[:-1] + entries


def _carry_over(template_entry: Entry, old: Entry) -> Entry:
    """An unchanged (or revived) entry: the translator's part from ``old``, the rest anew.

    The translator's part is everything locpipe does not derive from the source: the
    translation (plural forms and their ``msgid_plural`` included, or msgfmt would refuse
    the entry), the translator comments (with locpipe's provenance notes), and the flags a
    translator or their tool set (``no-wrap``, a format flag).
    """
    entry = _from_template(template_entry)
    entry.msgstr = old.msgstr
    entry.msgstr_plural = dict(old.msgstr_plural)
    if old.msgstr_plural and old.msgid_plural:
        entry.msgid_plural = old.msgid_plural
        entry.previous_msgid_plural = old.previous_msgid_plural if old.fuzzy else None
    # A person cleared fuzzy on machine output: recorded, so that marked fuzzy again it is
    # still theirs, whatever tool marks it.
    entry.tcomment = old.tcomment if old.fuzzy else provenance.mark_reviewed(old.tcomment)
    if old.fuzzy:
        entry.flags.insert(0, "fuzzy")
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
    entry.flags.extend(flag for flag in old.flags if flag != "fuzzy" and flag not in entry.flags)
    return entry


def _fuzzy_from(template_entry: Entry, source: Entry) -> Entry:
    """A new entry seeded with the translation of a similar old one, marked fuzzy."""
    entry = _from_template(template_entry)
    entry.msgstr = source.msgstr
    # Fuzzy machine output stays machine output, for the engine to replace.  Once a person
    # has reviewed it (cleared "fuzzy") it is theirs: marked fuzzy again here, it must not
    # read as machine output.
    entry.tcomment = source.tcomment if source.fuzzy else provenance.mark_reviewed(source.tcomment)
    entry.flags.insert(0, "fuzzy")
    # An already fuzzy translation was made for its own previous msgid, so keep that one.
    if source.fuzzy and source.previous_msgid is not None:
        entry.previous_msgctxt = source.previous_msgctxt
        entry.previous_msgid = source.previous_msgid
    else:
        entry.previous_msgctxt = source.msgctxt
        entry.previous_msgid = source.msgid
    return entry


def _from_template(template_entry: Entry) -> Entry:
    """A fresh, untranslated copy of a template entry."""
    return Entry(
        msgctxt=template_entry.msgctxt,
        msgid=template_entry.msgid,
        occurrences=list(template_entry.occurrences),
        comment=template_entry.comment,
        flags=[flag for flag in template_entry.flags if flag != "fuzzy"],
    )


def _make_obsolete(old: Entry) -> Entry:
    """An old entry as a ``#~`` entry.

    References, extracted comments and the previous msgid are dropped: they describe a
    source that is gone (an obsolete entry read from a file keeps its ``#~|`` lines).
    """
    entry = _copy_entry(old)
    entry.obsolete = True
    entry.occurrences = []
    entry.comment = ""
    entry.previous_msgctxt = None
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    return _reviewed_if_translated(entry)


def _reviewed_if_translated(entry: Entry) -> Entry:
    """An obsolete entry whose machine notes a person's review (fuzzy cleared) replaced.

    msgmerge revives an obsolete entry with its comments, as a fuzzy match of a similar
    msgid: left as machine notes, a person's translation would read as outdated machine
    output there, for pretranslate to replace.
    """
    if not entry.fuzzy:
        entry.tcomment = provenance.mark_reviewed(entry.tcomment)
    return entry


def _copy_entry(entry: Entry) -> Entry:
    """A copy of an entry that shares no list or dict with it."""
    return entry.copy()


def _sequence_matcher() -> SequenceMatcher[str]:
    """difflib's matcher, imported on first use: most updates never need it."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, autojunk=False)


class _FuzzyMatcher:
    """Finds the old translated entry most similar to a new msgid, as msgmerge does."""

    def __init__(self, candidates: Sequence[Entry]) -> None:
        self._candidates = candidates
        self._matcher: SequenceMatcher[str] | None = None  # made when first needed

    def best(self, msgctxt: str | None, msgid: str) -> Entry | None:
        """The most similar candidate at or above the threshold; same context breaks ties."""
        matcher: SequenceMatcher[str] | None = None  # set once msgid is analysed
        best: Entry | None = None
        best_score = (FUZZY_THRESHOLD, False)
        for candidate in self._candidates:
            text = candidate.msgid
            total = len(text) + len(msgid)
            if not total or 2 * min(len(text), len(msgid)) / total < best_score[0]:
                continue
            if matcher is None:
                # The expensive side, analysed once per msgid, and only when some candidate
                # passes the length test: a new catalog has no candidates at all.
                matcher = self._matcher = self._matcher or _sequence_matcher()
                matcher.set_seq2(msgid)
            matcher.set_seq1(text)
            if matcher.real_quick_ratio() < best_score[0] or matcher.quick_ratio() < best_score[0]:
                continue
            score = (matcher.ratio(), candidate.msgctxt == msgctxt)
            if score > best_score or (best is None and score == best_score):
                best, best_score = candidate, score
        return best


def _catalog_metadata(
    metadata: dict[str, str],
    template: dict[str, str],
    language: str,
    *,
    new: bool,
    now: datetime,
) -> dict[str, str]:
    """A catalog's header fields: the template's, the language's, and the translator's own.

    An existing catalog keeps its fields in their order and the translator's fields as its
    tool left them; a new one gets them in xgettext's order.
    """
    result = dict(metadata)
    for name in _TEMPLATE_FIELDS:
        if name in template:
            result[name] = template[name]
    declared = metadata.get("Language", "").strip()
    if new or not declared or not serves(declared, language):
        result["Language"] = language  # else a tool's regional code (en_US) stays
    result["MIME-Version"] = "1.0"
    result["Content-Type"] = "text/plain; charset=UTF-8"  # catalog_text is always UTF-8
    result["Content-Transfer-Encoding"] = "8bit"
    defaults = {
        "PO-Revision-Date": template.get("PO-Revision-Date") if new else format_date(now),
        "Last-Translator": "",
        "Language-Team": english_name(language),
        "X-Generator": template.get("X-Generator"),
        "Plural-Forms": plural_forms(language),
    }
    for name, default in defaults.items():
        if new:
            needed = True
        elif name in metadata:
            needed = _is_placeholder(metadata[name])
        else:
            needed = name in _REQUIRED_FIELDS
        if needed and default is not None:
            result[name] = default
    return ordered_metadata(result) if new else result


# What msgfmt --check or babel need in every catalog.
_REQUIRED_FIELDS = ("PO-Revision-Date", "Plural-Forms")


def _is_placeholder(value: str) -> bool:
    """Whether a header value is xgettext's or msginit's text for a person to replace."""
    return value.strip() in _PLACEHOLDERS


# Comparing and rendering


def same_catalog(old: Catalog | None, new: Catalog) -> bool:
    """Whether ``new`` says exactly what ``old`` (read from a file) says, dates included,
    whatever layout the file has: then the file need not be written.

    Layout includes comments wrapped over several lines, as polib-based tools wrap them.
    """
    if old is None or old.outdated_syntax:
        return False
    if catalog_text(old) == catalog_text(new):
        return True
    return catalog_text(_unwrapped(old)) == catalog_text(_unwrapped(new))


def _unwrapped(po: Catalog) -> Catalog:
    """The catalog with every comment on one line, its white space runs made one space."""
    entries = []
    for entry in po.entries:
        copy = entry.copy()
        copy.tcomment = " ".join(entry.tcomment.split())
        copy.comment = " ".join(entry.comment.split())
        entries.append(copy)
    return Catalog(entries, " ".join(po.header.split()), po.metadata, po.metadata_is_fuzzy)


def content_changed(old: Catalog | None, new: Catalog) -> bool:
    """Whether ``new`` says anything but new dates over ``old``, layout aside (see
    :func:`same_catalog`)."""
    if old is None:
        return True
    if _undated_text(old) == _undated_text(new):
        return False
    return _undated_text(_unwrapped(old)) != _undated_text(_unwrapped(new))


def catalog_text(po: Catalog, *, remember: bool = True) -> str:
    """The exact text of a PO or POT file, as GNU gettext's msgcat writes it (``remember``:
    see :func:`~locpipe.pofile.render_catalog`)."""
    return render_catalog(po, width=PAGE_WIDTH, remember=remember)


def format_date(moment: datetime) -> str:
    """A PO header date such as ``2024-05-01 09:30+0200``; the time must be timezone-aware.

    >>> from datetime import timezone
    >>> format_date(datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc))
    '2024-05-01 09:30+0000'
    """
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"a PO date needs a timezone-aware time, got {moment.isoformat()}")
    return _formatted_date(moment, offset)


@functools.lru_cache(maxsize=16)
def _formatted_date(moment: datetime, offset: timedelta) -> str:
    # A stage dates every template and new catalog with one moment, and strftime took 2%
    # of an extract.  The offset is part of the key: aware datetimes of one instant compare
    # equal whatever their offset, but do not print alike.
    return moment.strftime(DATE_FORMAT)


def _undated_text(po: Catalog) -> str:
    """The file text without the two date fields."""
    metadata = {k: v for k, v in po.metadata.items() if k not in _DATE_FIELDS}
    return catalog_text(Catalog(po.entries, po.header, metadata, po.metadata_is_fuzzy))


# What other stages read


def translations(
    po: Catalog, *, include_fuzzy: bool = False, include_machine: bool = True
) -> dict[Key, str]:
    """Key -> msgstr for what build publishes: translated entries, machine output unless
    excluded, and fuzzy ones only when asked."""
    wanted = published_states(include_fuzzy=include_fuzzy, include_machine=include_machine)
    return {
        _key(entry): entry.msgstr
        for entry in po
        if entry_state(entry) in wanted and not failed_machine_output(entry)
    }


def failed_machine_output(entry: Entry) -> bool:
    """Machine output that failed verification and no person has reviewed: never published,
    whatever the options, so a mangled term never reaches a reader.  Once a person edits
    it, it is theirs."""
    return provenance.failed_machine_output(entry)


def published_states(*, include_fuzzy: bool, include_machine: bool) -> frozenset[EntryState]:
    """The entry states build publishes with these options."""
    wanted = {EntryState.TRANSLATED}
    if include_machine:
        wanted.add(EntryState.MACHINE)
    if include_fuzzy:
        wanted |= {EntryState.FUZZY, EntryState.MACHINE}
    return frozenset(wanted)


def entry_state(entry: Entry) -> EntryState:
    """Obsolete, untranslated (empty msgstr, even if flagged fuzzy), machine, fuzzy or
    translated.  Machine output is fuzzy with a machine note (see :mod:`locpipe.provenance`);
    a reviewer clearing ``fuzzy`` in any PO editor makes it translated, and one editing
    its text makes it theirs (fuzzy)."""
    if entry.obsolete:
        return EntryState.OBSOLETE
    if not entry.msgstr:
        return EntryState.UNTRANSLATED
    if not entry.fuzzy:
        return EntryState.TRANSLATED
    machine = provenance.unreviewed_machine_output(entry)
    if machine is not None and machine.passed and not provenance.outdated(entry, machine):
        return EntryState.MACHINE
    return EntryState.FUZZY


# A named tuple rather than a frozen dataclass, for the reason model.Line gives: build
# makes one for every entry it checks.
class EntryView(NamedTuple):
    """What quality checks read of one entry: where it is, its text, its state and the
    checks a translator silenced on it."""

    # The entry's first line, where an editor should jump: its first comment line, else its
    # msgctxt or msgid (polib's linenum); 0 when the catalog was not read from a file.
    line: int
    msgid: str
    msgstr: str
    ignored: frozenset[str]
    state: EntryState
    failed: bool = False  # machine output that failed verification: never published


def entry_views(po: Catalog) -> list[EntryView]:
    """Every entry of a catalog, in file order, as quality checks see it."""
    return [
        EntryView(
            entry.linenum,
            entry.msgid,
            entry.msgstr,
            provenance.ignored_checks(entry),
            entry_state(entry),
            entry.fuzzy and failed_machine_output(entry),
        )
        for entry in po
    ]


class PendingEntry(NamedTuple):
    """An entry pretranslation may fill: untranslated, or machine output of an older source."""

    key: Key
    msgid: str
    context: str = ""  # the first line of its #. comment: kinds and section


def pending_entries(po: Catalog) -> list[PendingEntry]:
    """Entries with no translation, and machine-made ones whose source has changed since.

    A person's translation, reviewed or fuzzy, is never pending, and neither is machine
    output a person edited.
    """
    pending = []
    for entry in po:
        # An engine gives one msgstr, never the forms of a plural entry.
        if entry.obsolete or entry.msgid_plural:
            continue
        machine = provenance.unreviewed_machine_output(entry) if entry.msgstr else None
        stale = machine is not None and (machine.failed or provenance.outdated(entry, machine))
        if not entry.msgstr or stale:
            context = entry.comment.split("\n", 1)[0] if entry.comment else ""
            pending.append(PendingEntry(_key(entry), entry.msgid, context))
    return pending


def catalog_title(po: Catalog) -> str | None:
    """The article's title: the msgid of the entry its #. comment calls the title."""
    return next(
        (e.msgid for e in po if not e.obsolete and (e.comment or "").startswith("title")), None
    )


def reviewed_translations(po: Catalog) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every reviewed entry: what a translation memory may reuse."""
    return [
        (entry.msgid, entry.msgstr)
        for entry in po
        if entry_state(entry) is EntryState.TRANSLATED and not entry.msgid_plural
    ]


class MemoryEntry(NamedTuple):
    """A translation a memory exchange may share: reviewed, or machine output and its engine."""

    msgctxt: str | None
    msgid: str
    msgstr: str
    machine: bool = False
    engine: str | None = None


def memory_entries(po: Catalog, *, include_machine: bool = False) -> list[MemoryEntry]:
    """Reviewed entries, and with ``include_machine`` verified machine output, in file order."""
    wanted = (
        {EntryState.TRANSLATED, EntryState.MACHINE} if include_machine else {EntryState.TRANSLATED}
    )
    found = []
    for entry in po:
        state = entry_state(entry)
        if state not in wanted or entry.msgid_plural:
            continue
        machine = state is EntryState.MACHINE
        engine = provenance.read_provenance(entry).engine if machine else None
        found.append(MemoryEntry(entry.msgctxt, entry.msgid, entry.msgstr, machine, engine))
    return found


def revision_date(po: Catalog) -> datetime | None:
    """The catalog's PO-Revision-Date, or None while it is the template's placeholder."""
    try:
        return datetime.strptime(po.metadata.get("PO-Revision-Date", "").strip(), DATE_FORMAT)
    except ValueError:
        return None


def set_revision_date(po: Catalog, now: datetime) -> None:
    """Record that a person's translations reached the catalog now (an XLIFF import);
    machine output filled by pretranslate is no such edit and leaves the date."""
    po.metadata["PO-Revision-Date"] = format_date(now)


def fill_entry(
    po: Catalog,
    key: Key,
    msgstr: str,
    *,
    fuzzy: bool,
    note: str,
    previous_msgid: str | None = None,
    comments: Sequence[str] = (),
) -> None:
    """Fill a pending entry; ``note`` (a :mod:`locpipe.provenance` note) says from where.

    ``comments`` are translator comment lines that travel with the translation (a memory's
    notes); a line the entry has already is not added twice.
    """
    entry = po.find(key)
    if entry is None or entry.obsolete:
        raise KeyError(key)
    entry.msgstr = msgstr
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    if fuzzy:
        entry.flags.insert(0, "fuzzy")
    entry.previous_msgctxt = None
    entry.previous_msgid = previous_msgid
    provenance.record_note(entry, note, comments)


def count_catalog(po: Catalog) -> CatalogStats:
    """Count a catalog's entries and source words by state."""
    from .summaries import CatalogStats  # here: only stats counts, and no stage loads it

    entries: Counter[EntryState] = Counter()
    words: Counter[EntryState] = Counter()
    for entry in po:
        state = entry_state(entry)
        entries[state] += 1
        words[state] += count_words(entry.msgid)
    return CatalogStats(
        translated=entries[EntryState.TRANSLATED],
        translated_words=words[EntryState.TRANSLATED],
        machine=entries[EntryState.MACHINE],
        machine_words=words[EntryState.MACHINE],
        fuzzy=entries[EntryState.FUZZY],
        fuzzy_words=words[EntryState.FUZZY],
        untranslated=entries[EntryState.UNTRANSLATED],
        untranslated_words=words[EntryState.UNTRANSLATED],
    )


# Files


def read_catalog(
    path: Path, *, language: str | None = None, display_path: str | None = None
) -> Catalog:
    """Parse a PO or POT file, checking it is well formed and, if given, in ``language``.

    A missing file raises ``FileNotFoundError`` so callers can tell "no catalog yet" from a
    broken one; every other problem is a :class:`CatalogError` naming the file and line.
    """
    return read_catalog_bytes(path, language=language, display_path=display_path)[1]


def read_catalog_bytes(
    path: Path,
    *,
    language: str | None = None,
    display_path: str | None = None,
    source_comments: bool = True,
) -> tuple[bytes, Catalog]:
    """:func:`read_catalog`, and the bytes it parsed: for a caller that hashes them too
    (``source_comments``: see :func:`~locpipe.pofile.parse_catalog`)."""
    shown = display_path if display_path is not None else str(path)
    try:
        data = read_bytes(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise CatalogError(f"cannot read the catalog: {exc.strerror}", path=shown) from exc
    return data, catalog_from_bytes(
        data, shown=shown, language=language, source_comments=source_comments
    )


def catalog_from_bytes(
    data: bytes, *, shown: str, language: str | None = None, source_comments: bool = True
) -> Catalog:
    """Parse the bytes of a PO or POT file as :func:`read_catalog` does; ``shown`` names the
    file in errors.  For a caller that reads the file itself: extract's template, which it
    rebuilds whether the file is missing, unreadable or broken, and build's catalog, read
    once when its slot's key was made (without ``source_comments``: see
    :func:`~locpipe.pofile.parse_catalog`)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"invalid UTF-8 at byte offset {exc.start}: catalogs must be UTF-8",
            path=shown,
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from exc
    if not text.strip():
        # An editor saving in place may leave it empty for a moment: that is no catalog
        # without translations, and merging into it would drop every one.
        raise CatalogError("is empty: being saved by an editor? Left as it is", path=shown)
    po = parse_catalog(text, path=shown, source_comments=source_comments)
    # An older locpipe's flags are read as notes, so the next write records them as notes.
    po.outdated_syntax = provenance.migrate_legacy_flags(po)
    if language is not None:
        declared = po.metadata.get("Language", "").strip()
        # Poedit and others write a regional code (en_US) in a catalog of the language (en).
        if declared and not serves(declared, language):
            raise CatalogError(
                f"the Language header says {declared!r}, but this is the {language!r} catalog",
                path=shown,
                line=_header_line(physical_lines(text), "Language"),
            )
    return po


def catalog_bytes(po: Catalog, *, remember: bool = True) -> bytes:
    """The exact bytes of a PO or POT file: :func:`catalog_text` in UTF-8."""
    return catalog_text(po, remember=remember).encode("utf-8")


def write_catalog(path: Path, po: Catalog, *, expected: str | None = None) -> bool:
    """Write a catalog as UTF-8; return False, touching nothing, if the file already says it.

    With ``expected`` (the digest of what was read) a file changed since is left as it is,
    and :class:`CatalogChanged` raised.
    """
    try:
        return write_atomic(path, catalog_bytes(po), expected=expected)
    except OSError as exc:
        if exc.errno == CHANGED_MEANWHILE:
            raise CatalogChanged(f"{exc.strerror}; filled again next run", path=path) from exc
        raise CatalogError(f"cannot write the catalog: {exc.strerror}", path=path) from exc


# Small helpers


def _key(entry: Entry) -> Key:
    """An entry's identity: (msgctxt, msgid)."""
    return entry.key


def _first_by_key(entries: Iterable[Entry]) -> dict[Key, Entry]:
    """Entries by key, the first one winning when a file repeats a key."""
    result: dict[Key, Entry] = {}
    for entry in entries:
        result.setdefault(_key(entry), entry)
    return result


def _distinct(items: Iterable[_T | None]) -> list[_T]:
    """The items without repeats or Nones, in first-seen order."""
    return [item for item in dict.fromkeys(items) if item is not None]


def _header_line(lines: Sequence[str], name: str) -> int | None:
    """The line of a header field, looked for in the header entry only."""
    field = re.compile(rf'(?:msgstr\s+)?"{re.escape(name)}:')
    msgids = 0
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("msgid"):
            msgids += 1
            if msgids > 1:
                break
        if field.match(stripped):
            return number
    return None
