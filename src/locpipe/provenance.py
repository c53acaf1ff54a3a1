"""Where a translation came from, recorded where every PO editor keeps it.

GNU gettext's tools (msgcat, msgmerge, msgattrib, msguniq), Poedit on save and Weblate's
msgmerge add-on drop every flag they do not know, but all of them, Lokalize and Translate
Toolkit's PO storage (Weblate's) keep an entry's translator comments (``#``) with its
msgid and msgstr.  So locpipe writes only flags gettext knows (``fuzzy``, the format flags,
``no-wrap``) and keeps its own bookkeeping in translator comment lines that start with
``locpipe:``, one line each:

``locpipe: machine translation by ENGINE``
    machine output that passed verification; the engine's own remark may follow in
    brackets (``(3 unknown words)``).
``locpipe: machine translation by ENGINE failed verification: REASONS``
    machine output kept only for reference, never published.
``locpipe: output HASH, source HASH``
    what the machine wrote and the msgid it translated, hashed (12 hex digits of SHA-256
    each): an edit by a person, in any editor, shows (the text no longer matches its
    hash), and so does output for an older source even when a tool dropped the ``#|``
    previous msgid (``msgmerge`` without ``--previous``).
``locpipe: reviewed machine translation by ENGINE``
    machine output a person reviewed (cleared fuzzy); ``extract`` puts it in place of the
    two notes above, so the entry stays the person's if it is marked fuzzy again.
``locpipe: from translation memory (ORIGIN)`` and
``locpipe: translation memory N% match (ORIGIN)``
    a translation reused from a person's reviewed work.
``locpipe: ignore CHECK[, CHECK...]``
    a translator looked at these quality checks' findings on this entry and silenced them.

How an entry reads:

- Machine output is a fuzzy entry with a machine note whose text still matches its
  output hash (an entry written before the hash existed counts as unedited).  It is
  outdated, for pretranslate to replace, when it has a previous msgid or its source hash
  is not its msgid's.
- A person's review shows whatever editor made it: clearing fuzzy makes the entry
  translated; editing the text breaks the hash and makes it the person's (fuzzy until
  they clear it); removing the machine note makes it the person's too.
- A catalog written by an older locpipe carries the flags ``locpipe-mt``,
  ``locpipe-mt-failed`` and ``locpipe-ignore-CHECK``.  :func:`migrate_legacy_flags`
  reads them into notes when the catalog is read, so the next write keeps them as notes.

Translator comment lines that do not start with ``locpipe:`` are a person's and stay.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from .pomodel import Catalog, Entry

__all__ = [
    "Provenance",
    "failed_machine_output",
    "failed_note",
    "fingerprint",
    "ignore_note",
    "ignored_checks",
    "machine_note",
    "mark_reviewed",
    "memory_match_note",
    "memory_note",
    "migrate_legacy_flags",
    "outdated",
    "read_provenance",
    "record_note",
    "reviewed_note",
    "unreviewed_machine_output",
]

PREFIX = "locpipe:"
# How provenance is recorded: 1, locpipe-* flags; 2, these notes.  Part of extract's run
# state key, so that the first extract after an upgrade rewrites every catalog once.
NOTES_VERSION = 2
_NOTE = re.compile(r"^locpipe:\s*(.*?)\s*$")
_NOTE_LINES = re.compile(r"^locpipe:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_MACHINE = re.compile(r"machine translation(?: by (\S+))?( failed verification\b)?")
_OUTPUT = re.compile(r"output ([0-9a-f]{12})(?:, source ([0-9a-f]{12}))?")
_IGNORE = re.compile(r"ignore\s+(\S.*)")
# The flags of older locpipe versions: read as notes when a catalog is read.
_LEGACY_MACHINE = "locpipe-mt"
_LEGACY_FAILED = "locpipe-mt-failed"
_LEGACY_IGNORE = "locpipe-ignore-"
# The width an older locpipe (and polib) wrapped comments at, for notes they wrapped over
# several lines; locpipe now writes comments unwrapped, as gettext does.
_WRAP_WIDTH = 78


class Provenance(NamedTuple):
    """What an entry's translator comment says about where its translation came from."""

    machine: bool = False  # a machine note, passed or failed
    failed: bool = False  # the machine note says verification failed
    engine: str | None = None
    output: str | None = None  # the hash of what the machine wrote
    source: str | None = None  # the hash of the msgid it translated
    ignored: frozenset[str] = frozenset()  # checks a translator silenced

    @property
    def passed(self) -> bool:
        """Whether the note is of machine output that passed verification."""
        return self.machine and not self.failed


_NONE = Provenance()


def read_provenance(entry: Entry) -> Provenance:
    """The provenance notes of an entry's translator comment.

    >>> entry = Entry(msgid="Oorlog", msgstr="War", tcomment="locpipe: machine "
    ...     "translation by libre\\nlocpipe: ignore length, numbers\\nasked Ann")
    >>> found = read_provenance(entry)
    >>> found.machine, found.failed, found.engine, sorted(found.ignored)
    (True, False, 'libre', ['length', 'numbers'])
    """
    return _parse(entry.tcomment) if PREFIX in entry.tcomment else _NONE


@functools.lru_cache(maxsize=4096)  # every stage asks of the same entries, often twice
def _parse(comment: str) -> Provenance:
    machine = failed = False
    engine = output = source = None
    ignored: set[str] = set()
    for note in _NOTE_LINES.finditer(comment):
        text = note[1]
        if text.startswith("machine") and (found := _MACHINE.match(text)):
            machine, engine, failed = True, found[1], bool(found[2])
        elif text.startswith("output") and (found := _OUTPUT.fullmatch(text)):
            output, source = found[1], found[2]
        elif text.startswith("ignore") and (found := _IGNORE.fullmatch(text)):
            ignored.update(name for name in re.split(r"[\s,]+", found[1]) if name)
    return Provenance(machine, failed, engine, output, source, frozenset(ignored))


def fingerprint(text: str) -> str:
    """The hash of a text in a note: 12 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _edited(entry: Entry, found: Provenance) -> bool:
    """Whether a person changed the text of machine output since the machine wrote it.

    Such an entry is a person's work from then on: never sent to an engine again, never
    treated as machine output.  Machine output written before the hash existed has none,
    and counts as unedited.
    """
    return found.output is not None and found.output != fingerprint(entry.msgstr)


def unreviewed_machine_output(entry: Entry) -> Provenance | None:
    """The provenance of machine output no person has reviewed or edited, else None.

    Reviewed means fuzzy cleared; edited means the text no longer matches its hash.
    """
    if not entry.fuzzy or PREFIX not in entry.tcomment:
        return None
    found = read_provenance(entry)
    return found if found.machine and not _edited(entry, found) else None


def outdated(entry: Entry, found: Provenance) -> bool:
    """Whether machine output was made for another source text than the entry's msgid."""
    return entry.previous_msgid is not None or (
        found.source is not None and found.source != fingerprint(entry.msgid)
    )


def failed_machine_output(entry: Entry) -> bool:
    """Machine output that failed verification and that no person has reviewed."""
    found = unreviewed_machine_output(entry)
    return found is not None and found.failed


def ignored_checks(entry: Entry) -> frozenset[str]:
    """The checks a translator silenced on this entry."""
    return read_provenance(entry).ignored


# Writing notes


def machine_note(engine: str | None, remark: str = "") -> str:
    """The note of machine output that passed verification (engine None: not recorded).

    >>> machine_note("apertium", "2 unknown words")
    'locpipe: machine translation by apertium (2 unknown words)'
    """
    by = f" by {engine}" if engine else ""
    return f"{PREFIX} machine translation{by}" + (f" ({remark})" if remark else "")


def failed_note(engine: str | None, reasons: str = "") -> str:
    """The note of machine output kept only for reference: it failed verification."""
    by = f" by {engine}" if engine else ""
    return f"{PREFIX} machine translation{by} failed verification" + (
        f": {reasons}" if reasons else ""
    )


def memory_note(origin: str) -> str:
    """The note of a person's translation of the same text, reused from memory."""
    return f"{PREFIX} from translation memory ({origin})"


def memory_match_note(score: float, origin: str) -> str:
    """The note of a person's translation of a similar text, offered as fuzzy."""
    return f"{PREFIX} translation memory {score:.0f}% match ({origin})"


def memory_draft_note(origin: str) -> str:
    """The note of a person's translation a memory holds as an unconfirmed draft."""
    return f"{PREFIX} unconfirmed draft from translation memory ({origin})"


def memory_sentences_note(count: int, origin: str) -> str:
    """The note of a paragraph put together from a memory's sentences, offered as fuzzy."""
    return f"{PREFIX} {count} sentences from translation memory ({origin})"


def ignore_note(checks: Iterable[str]) -> str:
    """The note that silences these checks on one entry.

    >>> ignore_note(["length", "numbers"])
    'locpipe: ignore length, numbers'
    """
    return f"{PREFIX} ignore {', '.join(checks)}"


def record_note(entry: Entry, note: str, comments: Sequence[str] = ()) -> None:
    """Replace the entry's provenance notes by ``note`` (one of the ``*_note`` lines).

    A note without its ``locpipe:`` prefix gets it.  A machine note gets the hashes of the
    entry's msgstr and msgid after it.  A person's lines and the ignore marks stay;
    ``comments`` (a memory's notes) are added before the note, unless the comment has
    them already.
    """
    if not _NOTE.match(note):
        note = f"{PREFIX} {note}"
    notes = [note]
    if _is_machine(note):
        hashes = f"{fingerprint(entry.msgstr)}, source {fingerprint(entry.msgid)}"
        notes.append(f"{PREFIX} output {hashes}")
    kept = _without_notes(entry.tcomment, keep=_is_ignore)
    # A comment line written before may have been wrapped over several lines since.
    present = " ".join(" ".join(kept).split())
    kept += [line for line in comments if " ".join(line.split()) not in present]
    entry.tcomment = "\n".join([*kept, *notes])


def reviewed_note(engine: str | None) -> str:
    """The note that replaces the machine notes of machine output a person has reviewed."""
    return f"{PREFIX} reviewed machine translation" + (f" by {engine}" if engine else "")


def mark_reviewed(comment: str) -> str:
    """A translator comment whose machine notes become a reviewed note, in their place.

    For an entry a person reviewed (cleared fuzzy): marked fuzzy again, by the person or
    by a merge whose source changed, it is theirs, not machine output.  A person's lines
    and the ignore marks stay.

    >>> mark_reviewed("Ann\\nlocpipe: machine translation by libre\\n"
    ...     "locpipe: output 0123456789ab, source 0123456789ab\\nlocpipe: ignore length")
    'Ann\\nlocpipe: reviewed machine translation by libre\\nlocpipe: ignore length'
    """
    found = _parse(comment) if PREFIX in comment else _NONE
    if not found.machine:
        return comment
    lines = comment.splitlines()
    first = next(index for index, line in enumerate(lines) if _is_machine(line))
    before = _without_notes("\n".join(lines[:first]), keep=_not_of_machine)
    after = _without_notes("\n".join(lines[first:]), keep=_not_of_machine)
    return "\n".join([*before, reviewed_note(found.engine), *after])


def _is_machine(line: str) -> bool:
    found = _NOTE.match(line)
    return bool(found and _MACHINE.match(found[1]))


def _not_of_machine(line: str) -> bool:
    return not (_is_machine(line) or _is_output(line))


def _is_ignore(line: str) -> bool:
    found = _NOTE.match(line)
    return bool(found and _IGNORE.fullmatch(found[1]))


def _is_output(line: str) -> bool:
    found = _NOTE.match(line)
    return bool(found and _OUTPUT.fullmatch(found[1]))


def _without_notes(comment: str, *, keep: Callable[[str], bool]) -> list[str]:
    """The lines of a translator comment without locpipe's notes, but those ``keep`` takes.

    polib wraps a long note over several ``#`` lines when it writes the file (and older
    locpipe did too), so a line after the note's first one belongs to it when its first
    word would not have fitted on the line before (textwrap's rule); anything else is a
    person's and stays.

    >>> _without_notes("checked by Ann\\nlocpipe: machine translation by libre "
    ...     "failed verification: the protected\\nterm 'ATACMS' was lost\\nsee ticket 7\\n"
    ...     "locpipe: ignore length", keep=_is_ignore)
    ['checked by Ann', 'see ticket 7', 'locpipe: ignore length']
    """
    kept: list[str] = []
    in_note, previous = False, ""
    for line in comment.splitlines():
        note = _NOTE.match(line) is not None
        if note and not keep(line):
            in_note = True
        elif (
            not note
            and in_note
            and line.strip()
            and len(previous) + 2 <= _WRAP_WIDTH
            and len(previous) + len(line.split()[0]) + 3 > _WRAP_WIDTH
        ):
            # "# " + previous fitted the wrap width, and "# " + previous + " " + word would
            # have passed it.  A longer line was never wrapped (gettext's tools and layout
            # leave comments whole), so the line after it is a person's.
            pass
        else:
            in_note = False
            kept.append(line)
        previous = line
    return kept


# Catalogs of older locpipe versions


def migrate_legacy_flags(po: Catalog) -> bool:
    """Turn the ``locpipe-*`` flags of an older locpipe into notes; True if there were any.

    In such a catalog the flags decided: a fuzzy entry with a machine note but without
    ``locpipe-mt`` was a person's (machine output reviewed, then its source changed), so
    its machine notes go.  Nothing changes for the user: every entry reads as it did.
    """
    if not any(_legacy(flag) for entry in po for flag in entry.flags):
        return False
    for entry in po:
        _migrate_entry(entry)
    return True


def _legacy(flag: str) -> bool:
    return flag in (_LEGACY_MACHINE, _LEGACY_FAILED) or flag.startswith(_LEGACY_IGNORE)


def _migrate_entry(entry: Entry) -> None:
    """One entry's legacy flags as notes; an output hash already there stays as it is,
    and machine output without one gets one."""
    flags = entry.flags
    found = read_provenance(entry)
    note = None
    if not entry.fuzzy:
        pass  # reviewed: it reads as translated whatever its notes say
    elif _LEGACY_FAILED in flags:
        note = None if found.failed else failed_note(found.engine)
    elif _LEGACY_MACHINE in flags:
        note = None if found.machine and not found.failed else machine_note(found.engine)
    elif found.machine:
        entry.tcomment = mark_reviewed(entry.tcomment)
    if note is not None:
        kept = _without_notes(entry.tcomment, keep=lambda line: not _is_machine(line))
        lines = [line for line in kept if not _is_output(line)]
        entry.tcomment = "\n".join([*lines, note, *(line for line in kept if _is_output(line))])
    if entry.fuzzy and found.output is None and {_LEGACY_MACHINE, _LEGACY_FAILED} & set(flags):
        # The flag vouched for the text as the machine's; without the hashes a person's
        # later edit (fuzzy left set) and a later change of its source would not show.
        # What it translated is the previous msgid when msgmerge left one.
        translated = entry.previous_msgid if entry.previous_msgid is not None else entry.msgid
        hashes = f"{fingerprint(entry.msgstr)}, source {fingerprint(translated)}"
        entry.tcomment = "\n".join(filter(None, [entry.tcomment, f"{PREFIX} output {hashes}"]))
    ignored = [
        flag.removeprefix(_LEGACY_IGNORE) for flag in flags if flag.startswith(_LEGACY_IGNORE)
    ]
    new = [name for name in dict.fromkeys(ignored) if name not in found.ignored]
    if new:
        entry.tcomment = "\n".join(filter(None, [entry.tcomment, ignore_note(new)]))
    entry.flags = [flag for flag in flags if not _legacy(flag)]
