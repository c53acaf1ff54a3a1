"""The glossary: terms that machine translation must keep as they are or translate as agreed.

Terms come from CSV files (``term,rule,<lang>...,note[,case]``) and TBX termbases in the
project's glossary folder.  :func:`check_glossary` lists every problem with ``file:line``;
:class:`Glossary` finds terms in text at word boundaries, longest first, including inside
hyphenated Dutch compounds (``ATACMS-raketten``).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import languages as language_tags
from .errors import GlossaryError
from .languages import pick, serves
from .model import Article, GlossaryTerm, TermRule, Unit
from .protect import Markup, Span, blank_out, masked_spans, outside, paired_roles

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from .engines import Protection

GLOSSARY_SUFFIXES = (".csv", ".tbx")
_FIXED_COLUMNS = ("term", "rule", "note", "case", "forms", "forbidden")
# Dutch inflection and derivation a term takes without a column listing each form:
# possessive (Kyivs, Poetins, ATACMS'), plural (raketten), adjective (Koerskse, Oekraïense).
_DUTCH_SUFFIX = r"(?:'s|'|s|se|sche|e|en|er|ers|ese)?"
_CASE_VALUES = {"": True, "sensitive": True, "insensitive": False}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True, slots=True)
class GlossaryProblem:
    """Something wrong in a glossary file, at a line."""

    path: str
    line: int
    message: str
    severity: str = "error"  # or "warning": the glossary still works

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class TermMatch(NamedTuple):
    """A glossary term found in a text."""

    start: int
    end: int  # the end of the term itself
    term: GlossaryTerm
    word_end: int = -1  # the end of the word, Dutch ending included (-1: the term's end)

    @property
    def whole_end(self) -> int:
        """Where the word the term stands in ends."""
        return self.end if self.word_end < 0 else self.word_end


@dataclass(frozen=True)
class Glossary:
    """The project's glossary terms, and the problems found reading them."""

    terms: tuple[GlossaryTerm, ...] = ()
    problems: tuple[GlossaryProblem, ...] = field(default=(), compare=False)

    @property
    def errors(self) -> tuple[GlossaryProblem, ...]:
        """Problems that make the glossary unsafe to apply."""
        return tuple(p for p in self.problems if p.severity == "error")

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.terms:
            return None
        # Longest first, so "Storm Shadow" wins over a shorter term it contains.
        ordered = sorted(self.terms, key=lambda t: len(t.term), reverse=True)
        alternatives = []
        for index, term in enumerate(ordered):
            spellings = sorted({term.term, *term.forms}, key=len, reverse=True)
            body = "|".join(_words_pattern(spelling) for spelling in spellings)
            flags = "" if term.case_sensitive else "(?i:"
            alternatives.append(
                f"(?P<t{index}>{flags}(?:{body}){')' if flags else ''}){_DUTCH_SUFFIX}"
            )
        self.__dict__["_ordered"] = ordered
        return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")

    def find(self, text: str) -> list[TermMatch]:
        """Every term occurrence in text, left to right, longest term first at each place.

        >>> g = Glossary((GlossaryTerm("ATACMS", TermRule.KEEP),
        ...               GlossaryTerm("Storm Shadow", TermRule.KEEP)))
        >>> [text[m.start:m.end] for text in ["14 Storm Shadow-raketten en ATACMS."]
        ...  for m in g.find(text)]
        ['Storm Shadow', 'ATACMS']
        >>> g.find("ATACMSX en XATACMS")
        []
        >>> k = Glossary((GlossaryTerm("Kyiv", TermRule.KEEP),))
        >>> [text[m.start:m.end] for text in ["Kyivs regering en de Kyivse metro"]
        ...  for m in k.find(text)]
        ['Kyiv', 'Kyiv']
        """
        pattern = self._pattern
        if pattern is None:
            return []
        ordered: list[GlossaryTerm] = self.__dict__["_ordered"]
        matches = []
        for match in pattern.finditer(text):
            name = match.lastgroup
            assert name is not None
            # The term itself, without the Dutch ending it took here.
            term = ordered[int(name[1:])]
            matches.append(TermMatch(match.start(), match.end(name), term, match.end()))
        return matches

    def terms_in(self, text: str) -> tuple[GlossaryTerm, ...]:
        """The distinct terms a text contains, in order of first occurrence."""
        seen: dict[str, GlossaryTerm] = {}
        for match in self.find(text):
            seen.setdefault(match.term.term, match.term)
        return tuple(seen.values())


def _words_pattern(term: str) -> str:
    """A term's words as a pattern: any whitespace between them, and each accented letter
    composed or decomposed (``Oekraïne`` typed as e + combining diaeresis is the term)."""
    return r"\s+".join("".join(_letter(c) for c in word) for word in term.split())


def _letter(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    if decomposed == char:
        return re.escape(char)
    return f"(?:{re.escape(char)}|{re.escape(decomposed)})"


def describe_term(term: GlossaryTerm) -> str:
    """The extracted comment a translator sees for a term in an entry.

    >>> describe_term(GlossaryTerm("Koersk", TermRule.TRANSLATE, (("en", "Kursk"),)))
    'glossary: Koersk: translate (en: Kursk)'
    >>> describe_term(GlossaryTerm("Kyiv", TermRule.KEEP, note="never Kiev"))
    'glossary: Kyiv: keep as is; never Kiev'
    """
    if term.rule is TermRule.KEEP:
        text = f"glossary: {term.term}: keep as is"
    else:
        agreed = ", ".join(f"{lang}: {target}" for lang, target in term.translations if target)
        text = f"glossary: {term.term}: translate ({agreed})"
    if term.forbidden:
        text += f"; never {', '.join(term.forbidden)}"
    return f"{text}; {term.note}" if term.note else text


def read_glossary(
    folder: Path,
    *,
    languages: Sequence[str],
    display: str | None = None,
    source_language: str = "nl",
) -> Glossary:
    """Read every CSV and TBX file in a glossary folder, collecting problems instead of failing.

    A missing folder is an empty glossary.  Terms from files with problems are still
    returned where they could be read; callers decide whether errors block them.
    ``source_language`` is the language of the terms (a TBX termbase names many).
    """
    if not folder.is_dir():
        return Glossary()
    terms: list[GlossaryTerm] = []
    problems: list[GlossaryProblem] = []
    root_display = display or folder.as_posix()
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in GLOSSARY_SUFFIXES or not path.is_file():
            continue
        shown = f"{root_display}/{path.relative_to(folder).as_posix()}"
        data = path.read_bytes()
        if path.suffix.lower() == ".csv":
            file_terms, file_problems = _read_csv(data, shown, tuple(languages))
        else:
            file_terms, file_problems = _read_tbx(data, shown, tuple(languages), source_language)
        terms.extend(file_terms)
        problems.extend(file_problems)
    problems.extend(_conflicts(terms))
    return Glossary(tuple(_distinct(terms)), tuple(problems))


def load_glossary(
    folder: Path,
    *,
    languages: Sequence[str],
    display: str | None = None,
    source_language: str = "nl",
) -> Glossary:
    """Read the glossary and refuse it if it has errors, since a wrong glossary misleads MT."""
    return refuse_errors(
        read_glossary(folder, languages=languages, display=display, source_language=source_language)
    )


def refuse_errors(glossary: Glossary) -> Glossary:
    """The glossary, or a GlossaryError naming its first error: a wrong one misleads MT."""
    if glossary.errors:
        first = glossary.errors[0]
        more = len(glossary.errors) - 1
        suffix = f" (and {more} more; run 'locpipe glossary check')" if more else ""
        raise GlossaryError(f"{first.message}{suffix}", path=first.path, line=first.line)
    return glossary


def _decode(data: bytes, shown: str) -> tuple[str | None, list[GlossaryProblem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [GlossaryProblem(shown, line, f"invalid UTF-8 at byte offset {exc.start}")]


def _read_csv(
    data: bytes, shown: str, languages: tuple[str, ...]
) -> tuple[list[GlossaryTerm], list[GlossaryProblem]]:
    """Terms from a CSV glossary: header ``term,rule,<lang>...,note[,case]``."""
    text, problems = _decode(data, shown)
    if text is None:
        return [], problems
    opened = _unterminated_quote(text)
    if opened is not None:
        # csv reads an unclosed quote to the end of the file as one cell, silently
        # swallowing every row after it; the file is wrong, not those terms.
        message = "unterminated quote: the quoted cell opened here never closes"
        problems.append(GlossaryProblem(shown, opened, message))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        return [], [GlossaryProblem(shown, 1, "empty file: expected a header row", "warning")]
    except csv.Error as exc:
        return [], [GlossaryProblem(shown, 1, f"not valid CSV: {exc}")]
    for required in ("term", "rule"):
        if required not in header:
            problems.append(GlossaryProblem(shown, 1, f"missing column {required!r}"))
    if problems:
        return [], problems
    language_columns = [c for c in header if c not in _FIXED_COLUMNS]
    for column in language_columns:
        if column in languages:
            continue
        # A language the project does not target (yet) is harmless; a column that is no
        # language at all is likely a misspelt "note" or "forms", whose cells would be lost.
        targeted = f"(project languages: {', '.join(languages)})"
        meant = next((code for code in languages if serves(column, code)), None)
        if meant is not None:
            # "en-GB" in a project that targets "en": a warning would quietly leave every
            # agreed translation in it unused, so the glossary is refused until renamed.
            message = f"language column {column!r} stands for the project's {meant!r}: name it so"
            problems.append(GlossaryProblem(shown, 1, message))
        elif _is_language_tag(column):
            message = f"language column {column!r} is not one of the project's {targeted}; ignored"
            problems.append(GlossaryProblem(shown, 1, message, "warning"))
        else:
            problems.append(GlossaryProblem(shown, 1, f"unknown column {column!r} {targeted}"))
    seen_columns = [c for c in header if header.count(c) > 1]
    if seen_columns:
        problems.append(GlossaryProblem(shown, 1, f"column {seen_columns[0]!r} appears twice"))

    terms: list[GlossaryTerm] = []
    while True:
        # A quoted cell can span lines: a record is reported at the line it starts on.
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(GlossaryProblem(shown, line, f"not valid CSV: {exc}"))
            break
        if not any(cell.strip() for cell in row):
            continue
        spans = reader.line_num > line
        # The record an unclosed quote opened is reported already (and holds the rest).
        if spans and (line == opened or _spans_lines(row, header, shown, line, reader, problems)):
            continue
        if len(row) > len(header):
            problems.append(
                GlossaryProblem(shown, line, f"{len(row)} cells, but the header has {len(header)}")
            )
            continue
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        term = _term_from_cells(cells, language_columns, languages, shown, line, problems)
        if term is not None:
            terms.append(term)
    return terms, problems


def _spans_lines(
    row: list[str],
    header: list[str],
    shown: str,
    line: int,
    reader: Any,
    problems: list[GlossaryProblem],
) -> bool:
    """Whether a record spanning lines is refused (recorded in ``problems``).

    Only a note may span lines.  A term, rule or translation that does is a quote left
    open that swallowed the rows up to the one closing it; a note holding what looks like
    a whole row is likely the same mistake, and is warned about.
    """
    end = reader.line_num
    for column, cell in zip(header, row, strict=False):
        if "\n" not in cell and "\r" not in cell:
            continue
        if column != "note":
            message = (
                f"the {column} cell runs on to line {end}: a missing closing quote? "
                "Only a note may span lines"
            )
            problems.append(GlossaryProblem(shown, line, message))
            return True
        if any(part.count(",") >= len(header) - 1 for part in cell.splitlines()):
            message = (
                f"the note runs on to line {end} and holds what looks like a row: "
                "a missing closing quote?"
            )
            problems.append(GlossaryProblem(shown, line, message, "warning"))
    return False


def _unterminated_quote(text: str) -> int | None:
    """The line of a quoted CSV cell that is never closed, or None (csv's own dialect).

    >>> _unterminated_quote('term,rule\\nATACMS,"keep')
    2
    >>> _unterminated_quote('a,"b ""c"" d"\\n"e",f') is None
    True
    """
    line, opened, quoted, field_start = 1, 0, False, True
    position = 0
    while position < len(text):
        char = text[position]
        if quoted:
            if char == '"':
                if text.startswith('"', position + 1):
                    position += 2  # a doubled quote stands for one
                    continue
                quoted = False
            elif char == "\n":
                line += 1
        else:
            if char == '"' and field_start:
                quoted, opened = True, line
            elif char == "\n":
                line += 1
            field_start = char in ",\r\n"
        position += 1
    return opened if quoted else None


def _term_from_cells(
    cells: dict[str, str],
    language_columns: Sequence[str],
    languages: tuple[str, ...],
    shown: str,
    line: int,
    problems: list[GlossaryProblem],
) -> GlossaryTerm | None:
    """One CSV row as a term, or None with the problem recorded."""
    source = cells.get("term", "")
    if not source:
        problems.append(GlossaryProblem(shown, line, "empty term"))
        return None
    rule_text = cells.get("rule", "").lower()
    try:
        rule = TermRule(rule_text)
    except ValueError:
        problems.append(
            GlossaryProblem(
                shown, line, f"{source}: rule must be 'keep' or 'translate', not {rule_text!r}"
            )
        )
        return None
    case = cells.get("case", "").lower()
    if case not in _CASE_VALUES:
        problems.append(
            GlossaryProblem(shown, line, f"{source}: case must be 'sensitive' or 'insensitive'")
        )
        return None
    translations = tuple(
        (lang, cells.get(lang, ""))
        for lang in language_columns
        if cells.get(lang, "") and lang in languages
    )
    if rule is TermRule.KEEP and translations:
        given = ", ".join(lang for lang, _ in translations)
        problems.append(
            GlossaryProblem(
                shown, line, f"{source}: rule 'keep' conflicts with a translation for {given}"
            )
        )
    if rule is TermRule.TRANSLATE:
        missing = [lang for lang in languages if not cells.get(lang, "")]
        if missing:
            problems.append(
                GlossaryProblem(
                    shown,
                    line,
                    f"{source}: no agreed translation for {', '.join(missing)}; "
                    "machine translation will choose there",
                    "warning",
                )
            )
    return GlossaryTerm(
        term=source,
        rule=rule,
        translations=translations,
        note=cells.get("note", ""),
        case_sensitive=_CASE_VALUES[case],
        origin=shown,
        line=line,
        forms=_listed(cells.get("forms", "")),
        forbidden=_listed(cells.get("forbidden", "")),
    )


def _is_language_tag(column: str) -> bool:
    """Whether a column's name is a language tag babel knows (``fr``, ``pt-BR``, ``pt_BR``).

    >>> _is_language_tag("fr"), _is_language_tag("pt-BR"), _is_language_tag("nte")
    (True, True, False)
    """
    return language_tags.is_known(column)


def _listed(cell: str) -> tuple[str, ...]:
    """The forms a cell lists, separated by ``|``.

    >>> _listed("Kiev | Kiew|")
    ('Kiev', 'Kiew')
    """
    return tuple(form.strip() for form in cell.split("|") if form.strip())


def _read_tbx(
    data: bytes, shown: str, languages: tuple[str, ...], source_language: str
) -> tuple[list[GlossaryTerm], list[GlossaryProblem]]:
    """Terms from a TBX termbase (TBX 2 ``martif`` or TBX 3 ``tbx``), parsed safely.

    The source term is the project's source language's preferred term (else its first
    one that is not deprecated); its other terms count as forms of it.  In a target
    language the preferred term is the agreed translation, and deprecated, superseded and
    forbidden ones are forbidden variants.  A concept whose agreed translations all equal
    the source term (or that has none) is ``keep``; otherwise ``translate``.
    """
    # Here, not at the top: a stage whose glossary holds no TBX file never loads XML.
    from .safexml import line_of, parse_untrusted

    try:
        root = parse_untrusted(data, path=shown, error=GlossaryError, what="TBX", lines=True)
    except GlossaryError as exc:
        return [], [GlossaryProblem(shown, exc.line or 1, exc.message)]

    terms: list[GlossaryTerm] = []
    problems: list[GlossaryProblem] = []
    untargeted: dict[str, int] = {}  # language -> the line it is first seen at
    entries = [e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")]
    for number, entry in enumerate(entries, start=1):
        line = line_of(entry) or 1
        by_language: dict[str, list[_TbxTerm]] = {}
        notes: list[str] = []
        elsewhere: set[Element] = set()  # what a language the project lacks says
        for element in entry.iter():
            name = _local(element.tag)
            if element in elsewhere:
                continue
            if name in ("langSet", "langSec"):
                language = element.get(_XML_LANG) or element.get("lang") or ""
                found = _tbx_terms(element)
                by_language.setdefault(language, []).extend(found)
                if not any(serves(language, code) for code in (source_language, *languages)):
                    elsewhere.update(element.iter())
                    if found:
                        untargeted.setdefault(language, line_of(element) or line)
            elif (
                name in ("descrip", "note")
                # A context is an example sentence, no note for a translator.
                and element.get("type") != "context"
                and (note := " ".join((element.text or "").split()))
            ):
                notes.append(note)
        where = entry.get("id") or f"entry {number}"
        # A deprecated source term is still the concept where the source uses it.
        in_source = _terms_for(by_language, source_language)
        source_terms = _ordered(in_source) or in_source
        if not source_terms:
            message = f"{where}: no term in the source language ({source_language})"
            problems.append(GlossaryProblem(shown, line, message, "warning"))
            continue
        source = source_terms[0].text
        targets: list[tuple[str, str]] = []
        forbidden: dict[str, None] = {}
        only_forbidden = False  # a language whose every term is forbidden: none is agreed
        for language in languages:
            found = _terms_for(by_language, language)
            usable = _ordered(found)
            if usable:
                targets.append((language, usable[0].text))
            only_forbidden |= bool(found) and not usable
            forbidden.update((t.text, None) for t in found if t.status is _Status.FORBIDDEN)
        agreed = {source, *(target for _, target in targets)}
        keep = all(target == source for _, target in targets) and not only_forbidden
        terms.append(
            GlossaryTerm(
                term=source,
                rule=TermRule.KEEP if keep else TermRule.TRANSLATE,
                translations=() if keep else tuple(targets),
                note="; ".join(dict.fromkeys(notes)),
                origin=shown,
                line=line,
                # Every other source term, deprecated ones too, names the same concept.
                forms=tuple(dict.fromkeys(t.text for t in in_source if t.text != source)),
                # A variant one language forbids may be what another agreed on.
                forbidden=tuple(variant for variant in forbidden if variant not in agreed),
            )
        )
    for language, line in untargeted.items():
        message = f"language {language!r} is not one of the project's; its terms are ignored"
        problems.append(GlossaryProblem(shown, line, message, "warning"))
    return terms, problems


class _Status(Enum):
    """What a termbase says of a term: how far a translation may use it."""

    PREFERRED = 0
    ADMITTED = 1  # also a term that says nothing of its status
    FORBIDDEN = 2


class _TbxTerm(NamedTuple):
    text: str
    status: _Status


# administrativeStatus (TBX-Basic: preferredTerm-admn-sts ...; TBX-Min and Translate
# Toolkit: preferred, admitted, notRecommended, obsolete) and normativeAuthorization
# (ISO 12620: standardizedTerm, preferredTerm, admittedTerm, deprecatedTerm,
# supersededTerm, legalTerm, regulatedTerm), compared without "Term" and "-admn-sts".
_STATUSES = {
    **dict.fromkeys(("preferred", "standardized", "legal", "regulated"), _Status.PREFERRED),
    **dict.fromkeys(("admitted", "proposed"), _Status.ADMITTED),
    **dict.fromkeys(
        ("deprecated", "superseded", "obsolete", "notrecommended", "forbidden"), _Status.FORBIDDEN
    ),
}
_STATUS_TYPES = ("administrativestatus", "normativeauthorization")


def term_status(value: str) -> _Status:
    """The status a termbase's ``administrativeStatus`` or ``normativeAuthorization`` names.

    >>> [term_status(v).name for v in ("deprecatedTerm-admn-sts", "preferred", "legalTerm")]
    ['FORBIDDEN', 'PREFERRED', 'PREFERRED']
    """
    key = value.strip().casefold().removesuffix("-admn-sts").removesuffix("term")
    return _STATUSES.get(key, _Status.ADMITTED)


def _tbx_terms(language_section: Element) -> list[_TbxTerm]:
    """The terms of a ``langSet``/``langSec``, each with the status its term group gives it."""
    found = []
    for group in language_section.iter():
        if _local(group.tag) not in ("tig", "ntig", "termSec"):
            continue
        # A term that says nothing of its status is admitted; where its notes disagree
        # (an administrativeStatus and a normativeAuthorization), a forbidding one wins.
        noted = {
            term_status(element.text or "") for element in group.iter() if _status_element(element)
        }
        if _Status.FORBIDDEN in noted:
            status = _Status.FORBIDDEN
        else:
            status = min(noted or {_Status.ADMITTED}, key=lambda s: s.value)
        found += [
            _TbxTerm(text, status)
            for term in group.iter()
            if _local(term.tag) == "term" and (text := " ".join("".join(term.itertext()).split()))
        ]
    return found


def _status_element(element: Element) -> bool:
    """Whether an element states a term's status: a ``termNote`` of that type (TBX 2, and
    TBX 3's DCA style), or an element named for it (TBX 3's DCT style,
    ``<basic:administrativeStatus>``)."""
    name = _local(element.tag)
    if name == "termNote":
        return (element.get("type") or "").casefold() in _STATUS_TYPES
    return name.casefold() in _STATUS_TYPES


def _ordered(found: list[_TbxTerm]) -> list[_TbxTerm]:
    """The terms a translation may use, preferred first, in the file's order otherwise."""
    usable = [term for term in found if term.status is not _Status.FORBIDDEN]
    return sorted(usable, key=lambda term: term.status.value)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _terms_for(by_language: dict[str, list[_TbxTerm]], language: str) -> list[_TbxTerm]:
    """A language's terms in a termbase: its own code's, else those of a code that serves it."""
    return pick(by_language.items(), language) or []


def _earlier(term: GlossaryTerm, first: dict[str, list[GlossaryTerm]]) -> GlossaryTerm | None:
    """An earlier term that matches the same text, or None (recording this one as first).

    ``Kyiv`` and ``kyiv`` are two terms when both are case-sensitive, and one when either
    is not, since then both would match the same words.
    """
    words = " ".join(term.term.split())
    group = first.setdefault(words.casefold(), [])
    for earlier in group:
        same_case = " ".join(earlier.term.split()) == words
        if same_case or not (earlier.case_sensitive and term.case_sensitive):
            return earlier
    group.append(term)
    return None


def _conflicts(terms: Iterable[GlossaryTerm]) -> list[GlossaryProblem]:
    """Duplicates and conflicting rules for the same term, across all files."""
    first: dict[str, list[GlossaryTerm]] = {}
    problems = []
    for term in terms:
        earlier = _earlier(term, first)
        if earlier is None:
            continue
        where = f"{earlier.origin}:{earlier.line}"
        # Files may list their language columns in any order.
        same = (earlier.rule, sorted(earlier.translations)) == (
            term.rule,
            sorted(term.translations),
        )
        if same:
            problems.append(
                GlossaryProblem(
                    term.origin, term.line, f"{term.term}: duplicate of {where}", "warning"
                )
            )
        else:
            problems.append(
                GlossaryProblem(term.origin, term.line, f"{term.term}: conflicts with {where}")
            )
    return problems


def _distinct(terms: Iterable[GlossaryTerm]) -> list[GlossaryTerm]:
    """The first definition of each term wins (conflicts are reported separately)."""
    first: dict[str, list[GlossaryTerm]] = {}
    return [term for term in terms if _earlier(term, first) is None]


# Protection of terms through machine translation


class ProtectedText(NamedTuple):
    """A source text as sent to an engine, with the target form of each protected term."""

    text: str
    targets: tuple[str, ...]
    # Token number of the first term: tokens below it stood in the source text itself.
    first: int = 0
    # Per term: the rest of the hyphenated compound it was cut from, or "" if none.
    compounds: tuple[str, ...] = ()


_NUMBER = re.compile(r"\d+(?:[.,\u00a0 ]\d{3})*(?:[.,]\d+)?")
_NUMBER_NO_SPACES = re.compile(r"\d+(?:[.,\u00a0]\d{3})*(?:[.,]\d+)?")
_NOT_DIGIT = re.compile(r"\D")
# Markup escaped as HTML by an engine that was sent text: in plain text any escape, in
# Markdown and HTML (where an entity is the character) one escaped a second time.
_ESCAPES = re.compile(r"&(?:amp|lt|gt|quot|apos|#39|#x27);")
_ESCAPED_TWICE = re.compile(r"&amp;(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")
# What opens an HTML block at the start of a Markdown line, even inside a paragraph
# (CommonMark's kinds 1 to 6): a masked tag or comment an engine moved there takes the rest
# of the paragraph with it.
_BLOCK_HTML = re.compile(
    r"(?im)^[ \t]{0,3}(?:<(?:script|pre|style|textarea)(?=[\s>]|$)|<!--|<\?|<![a-z]|<!\[CDATA\["
    r"|</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup"
    r"|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset"
    r"|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol"
    r"|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr"
    r"|track|ul)(?=[\s/>]|$))"
)
# What engines' markup looks like when it leaks into a translation.
_RESIDUE = re.compile(r"\{\s*\d+\s*\}|apertium-notrans|</?x>|<code>|notranslate")


def protect(
    text: str,
    glossary: Glossary,
    language: str,
    protection: Protection,
    *,
    markup: Markup = "plain",
    agreed_by_engine: bool = False,
) -> ProtectedText:
    """Replace each masked span and each term with something the engine leaves alone.

    Masked spans (:mod:`locpipe.protect`: code, link targets, tags, URLs...) come back as
    they are; a term inside one is left alone.  A keep term comes back in the spelling the
    source used.  In a hyphenated compound only the term is protected, and the hyphen
    becomes a space so the engine translates the rest as a word of its own:
    ``ATACMS-raketten`` is sent as ``<term> raketten`` and can come back as
    ``ATACMS missiles``.  With ``agreed_by_engine`` (an engine that applies a glossary of
    its own) a term with an agreed translation is left in the text for it.
    """
    out: list[str] = []
    targets: list[str] = []
    compounds: list[str] = []
    position = 0
    # A source that already holds "{3}" must get the same back, so number spans after it.
    first = 0
    if not protection.markup and not protection.plain:
        first = max((int(m.group(1)) + 1 for m in protection.pattern.finditer(text)), default=0)
    spans = masked_spans(text, markup=markup)
    # (start, end, the masked text or None, the term or None), in text order.
    events: list[tuple[int, int, str | None, GlossaryTerm | None]] = [
        (span.start, span.end, text[span.start : span.end], None) for span in spans
    ]
    # A keep term's Dutch ending travels as text after it (Kyivs: "{0}s"); an agreed
    # translation replaces the whole word, ending included, since a Dutch ending glued to
    # the translation (Putins) is no word of the target language.
    events.extend(
        (m.start, m.end if m.term.rule is TermRule.KEEP else m.whole_end, None, m.term)
        for m in glossary.find(text)
        if outside(spans, m.start, m.whole_end)
    )
    for start, end, masked, term in sorted(events, key=lambda e: e[:2]):
        if start < position:
            continue
        if term is None:
            target = masked or ""
        elif term.rule is TermRule.KEEP:
            target = text[start:end]  # as the source spells it (a case-insensitive term)
        else:
            target = term.target(language) or ""
            if not target or agreed_by_engine:
                continue  # no agreed form, or the engine's glossary applies it
        out.append(protection.escape(text[position:start]))
        out.append(protection.wrap(first + len(targets), target))
        targets.append(target)
        compounds.append("")
        position = end
        if term is None:
            continue
        if text.startswith("-", position) and text[position + 1 : position + 2].isalpha():
            out.append(" ")
            position += 1
            rest = re.match(r"\w+", text[position:])
            compounds[-1] = rest.group() if rest else ""
    out.append(protection.escape(text[position:]))
    return ProtectedText("".join(out), tuple(targets), first, tuple(compounds))


def restore(output: str, protected: ProtectedText, protection: Protection) -> tuple[str, list[str]]:
    """Put the agreed target forms back; return the text and what went wrong, if anything."""
    if protection.plain:
        # Nothing marks the spans: each must simply be there as often as it was sent.
        missing = Counter(protected.targets) - Counter(
            {t: output.count(t) for t in protected.targets}
        )
        return output, [f"the protected span {target!r} was lost" for target in sorted(missing)]
    problems: list[str] = []
    pieces: list[str] = []
    found: list[str] = []
    position = 0
    # Markup engines give back the target form, not an index: take its occurrences in order.
    unused = {t: [i for i, u in enumerate(protected.targets) if u == t] for t in protected.targets}
    for match in protection.pattern.finditer(output):
        pieces.append(protection.unescape(output[position : match.start()]))
        if protection.markup:
            value = protection.unescape(match.group(1))
            indexes = unused.get(value)
            index = indexes.pop(0) if indexes else -1
        else:
            index = int(match.group(1)) - protected.first
            if index < 0:  # it stood in the source as it is
                pieces.append(match.group())
                position = match.end()
                continue
            if index >= len(protected.targets):
                problems.append(f"the engine invented placeholder {match.group()}")
                position = match.end()
                continue
            value = protected.targets[index]
        found.append(value)
        pieces.append(value)
        position = match.end()
        rest = protected.compounds[index] if 0 <= index < len(protected.compounds) else ""
        if rest and re.match(rf" {re.escape(rest)}(?!\w)", output[position:]):
            # The engine left the compound's other half as it was (apertium does, for
            # words it does not know): it stays a Dutch compound, hyphen and all.
            pieces.append("-")
            position += 1
    pieces.append(protection.unescape(output[position:]))
    restored = "".join(pieces)
    expected, got = Counter(protected.targets), Counter(found)
    for target in sorted(expected - got):
        problems.append(f"the protected term {target!r} was lost")
    for target in sorted(got - expected):
        problems.append(f"the protected term {target!r} came back more than once or altered")
    return restored, problems


def verify_translation(
    source: str,
    translation: str,
    glossary: Glossary,
    language: str,
    protection: Protection,
    *,
    markup: Markup = "plain",
) -> list[str]:
    """Problems in a machine translation: masked spans changed, terms missing or too few,
    numbers changed, residue left."""
    problems = []
    spans, translated_spans = (
        masked_spans(source, markup=markup),
        masked_spans(translation, markup=markup),
    )
    before = [source[span.start : span.end] for span in spans]
    after = [translation[span.start : span.end] for span in translated_spans]
    if sorted(before) != sorted(after):
        changed = sorted((Counter(before) - Counter(after)).elements())
        shown = ", ".join(repr(span) for span in changed[:3]) or "the markup"
        problems.append(f"masked markup changed: {shown}")
    else:
        problems += _pairing_problems(source, spans, translation, translated_spans)
    # Terms inside masked spans (a URL, a code span) are not the prose's terms.
    prose = blank_out(source, spans)
    translated = blank_out(translation, translated_spans)
    wanted: Counter[str] = Counter()
    rules: dict[str, TermRule] = {}
    for match in glossary.find(prose):
        target = match.term.target(language)
        if target is None:
            continue
        if match.term.rule is TermRule.KEEP:
            target = source[match.start : match.end]
        wanted[target] += 1
        rules[target] = match.term.rule
    for target, count in wanted.items():
        # A whole word: a keep term may keep a Dutch ending (Kyivs), an agreed translation
        # may not (Putins is not Putin), and neither counts inside a longer word.
        ending = _DUTCH_SUFFIX if rules[target] is TermRule.KEEP else ""
        pattern = rf"(?<!\w){re.escape(target)}{ending}(?!\w)"
        found = len(re.findall(pattern, translated))
        if found < count:
            rule = "keep term" if rules[target] is TermRule.KEEP else "agreed translation"
            times = "is missing" if not found else f"occurs {found} times of {count}"
            problems.append(f"{rule} {target!r} {times}")
    for term in glossary.terms_in(prose):
        for variant in term.forbidden:
            if re.search(rf"(?<!\w){_words_pattern(variant)}", translated, re.IGNORECASE):
                problems.append(f"forbidden variant {variant!r} of {term.term!r}")
    if numbers_differ(source, translation):
        problems.append("numbers differ from the source")
    # Markers the source itself holds are text, not residue: compare how often each occurs.
    markers = [protection.open, protection.close] if protection.markup else []
    residues = [
        *(marker for marker in markers if marker in translation),
        *(m.group() for m in protection.pattern.finditer(translation) if not protection.markup),
        *(m.group() for m in _RESIDUE.finditer(translation)),
    ]
    for residue in dict.fromkeys(residues):
        if translation.count(residue) > source.count(residue):
            problems.append(f"placeholder residue {residue!r}")
    if translation.count("\n") > source.count("\n"):
        # In Markdown a line break is a hard break, a blank line a new paragraph.
        problems.append("line breaks added")
    if markup == "markdown" and len(_BLOCK_HTML.findall(translation)) > len(
        _BLOCK_HTML.findall(source)
    ):
        # An escape cannot keep it text: \< would turn the tag into words.
        problems.append("markup moved to the start of a line, where it opens an HTML block")
    escapes = _ESCAPES if markup == "plain" else _ESCAPED_TWICE
    for escaped in dict.fromkeys(m.group() for m in escapes.finditer(translation)):
        if translation.count(escaped) > source.count(escaped):
            problems.append(f"markup escaped: {escaped!r}")
    return problems


def _pairing_problems(
    source: str, spans: Sequence[Span], translation: str, translated_spans: Sequence[Span]
) -> list[str]:
    """Masked spans that are all there but no longer pair as in the source: an end tag
    before its start tag, or a link's or an element's text moved out of it."""
    problems = []
    closed, emptied = _pairs(source, spans)
    closed_after, emptied_after = _pairs(translation, translated_spans)
    if closed_after < closed:
        problems.append("masked markup out of order")
    if newly_emptied := emptied_after - emptied:
        problems.append(f"masked markup emptied: {next(iter(newly_emptied))!r}")
    return problems


def _pairs(text: str, spans: Sequence[Span]) -> tuple[int, Counter[str]]:
    """How many spans close a pair, and the pairs with nothing but spaces between them."""
    closed, emptied = 0, Counter[str]()
    for index, (role, opening) in enumerate(paired_roles(text, spans)):
        if role == "close":
            closed += 1
            start, end = spans[opening], spans[index]
            if not text[start.end : end.start].strip():
                emptied[text[start.start : start.end] + text[end.start : end.end]] += 1
    return closed, emptied


def numbers_differ(source: str, translation: str) -> bool:
    """Whether a translation changed, dropped or added a number, compared as numbers.

    The source's numbers are read the Dutch way (``14.000`` is fourteen thousand, ``2,5``
    two and a half); a translation's may be written either way, as its language does.

    >>> numbers_differ("10.000 raketten in 2024", "10,000 missiles in 2024")
    False
    >>> numbers_differ("2,5 miljard", "2.5 billion"), numbers_differ("2,5 miljard", "25 billion")
    (False, True)
    >>> numbers_differ("In 2024 200 raketten", "200 missiles")
    True
    """
    # "In 2024 200 raketten" is two numbers, "10 000" one: try spaces both ways.
    for spaces in (True, False):
        wanted = sorted(_source_value(token) for token in _numbers(source, spaces))
        candidates = [_readings(token) for token in _numbers(translation, spaces)]
        if len(wanted) == len(candidates) and _matched(wanted, candidates):
            return False
    return True


def _matched(wanted: list[float], candidates: list[set[float]]) -> bool:
    """Whether each wanted value can be paired with a number of its own that may read so
    (a bipartite matching: ``1.000`` may stand for 1 or for 1000).

    >>> _matched([1.0, 1000.0], [{1.0, 1000.0}, {1.0}])
    True
    """
    owner: dict[int, int] = {}  # candidate -> the wanted value it is paired with

    def pair(value: int, seen: set[int]) -> bool:
        for index, readings in enumerate(candidates):
            if wanted[value] in readings and index not in seen:
                seen.add(index)
                if index not in owner or pair(owner[index], seen):
                    owner[index] = value
                    return True
        return False

    return all(pair(value, set()) for value in range(len(wanted)))


# The whole part of a number, by decimal mark: digits, or groups of three after the first.
_GROUPED = {
    ",": re.compile(r"\d{1,3}(?:[.\u00a0 ]\d{3})+|\d+"),
    ".": re.compile(r"\d{1,3}(?:[,\u00a0 ]\d{3})+|\d+"),
}


def _readings(token: str) -> set[float]:
    """The values a number may have: with ``,`` as the decimal mark, and with ``.``.

    >>> sorted(_readings("1.000")), sorted(_readings("2,5")), sorted(_readings("1.000,5"))
    ([1.0, 1000.0], [2.5], [1000.5])
    """
    values = {value for decimal in (",", ".") if (value := _reading(token, decimal)) is not None}
    return values or {float(_NOT_DIGIT.sub("", token) or 0)}


def _source_value(token: str) -> float:
    """A Dutch text's number: comma decimal first, else as it otherwise reads."""
    dutch = _reading(token, ",")
    return dutch if dutch is not None else min(_readings(token))


def _reading(token: str, decimal: str) -> float | None:
    """The value with ``decimal`` as the decimal mark, or None when it cannot be read so."""
    whole, mark, fraction = token.rpartition(decimal) if decimal in token else (token, "", "")
    if (mark and not fraction.isdigit()) or not _GROUPED[decimal].fullmatch(whole):
        return None
    return float(_NOT_DIGIT.sub("", whole) + ("." + fraction if mark else ""))


def leftover_placeholders(source: str, translation: str) -> list[str]:
    """Engine markup (``{0}``, ``apertium-notrans``...) a translation holds more often than
    its source does.

    >>> leftover_placeholders("ATACMS", "{0} <apertium-notrans>")
    ['{0}', 'apertium-notrans']
    """
    if "{" not in translation and "<" not in translation and "notrans" not in translation:
        # What every residue holds, looked for first: the pattern tries its words at every
        # "a" and "n", and a translation without markup is the usual case.
        return []
    found = dict.fromkeys(m.group() for m in _RESIDUE.finditer(translation))
    return [r for r in found if translation.count(r) > source.count(r)]


def _numbers(text: str, spaces: bool = True) -> list[str]:
    """The numbers of a text as written, spaces between digit groups or not.

    >>> _numbers("1.000 of 2,5 of 10 000 in 2024"), _numbers("10 000", spaces=False)
    (['1.000', '2,5', '10 000', '2024'], ['10', '000'])
    """
    pattern = _NUMBER if spaces else _NUMBER_NO_SPACES
    return list(pattern.findall(text))


def annotate_article(article: Article, glossary: Glossary) -> Article:
    """The article with each unit's glossary terms as notes for the translator."""
    if not glossary.terms:
        return article
    parts: list[str | Unit] = []
    for part in article.parts:
        if isinstance(part, Unit):
            notes = tuple(describe_term(term) for term in glossary.terms_in(part.text))
            if notes:
                part = replace(part, notes=(*part.notes, *notes))
        parts.append(part)
    return replace(article, parts=tuple(parts))
