"""Quality checks on translations: what a reviewer would catch, found before publishing.

Each check is a small pure function ``(source, translation, ctx) -> list[Finding]``
registered in :data:`CHECKS` with its default severity and a one-line explanation.
:func:`check_catalog` runs them over a catalog's translated, fuzzy and machine-translated
entries.  A translator silences one check on one entry with the translator comment
``# locpipe: ignore <check>`` (see :mod:`locpipe.provenance`), which every PO editor
keeps; a project changes severities in ``[check]`` of locpipe.toml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from . import catalog
from .glossary import Glossary, TermMatch, leftover_placeholders, numbers_differ
from .model import EntryState, GlossaryTerm, TermRule

if TYPE_CHECKING:
    from .project import CheckConfig

Severity = Literal["error", "warning"]
SEVERITIES = ("error", "warning", "off")
# What a translator works on; untranslated and obsolete entries have nothing to check.
CHECKED_STATES = frozenset({EntryState.TRANSLATED, EntryState.FUZZY, EntryState.MACHINE})


class Finding(NamedTuple):
    """One thing a check found in one translation."""

    message: str


# A named tuple rather than a frozen dataclass, for the reason model.Line gives.
class LengthBounds(NamedTuple):
    """The length check's norm: translation/source between the ratios, for long sources."""

    min_ratio: float = 0.5
    max_ratio: float = 2.0
    min_length: int = 20  # shorter sources vary too much in length to judge


DEFAULT_LENGTH = LengthBounds()


def length_bounds(config: CheckConfig) -> LengthBounds:
    """The length check's norm as ``[check]`` in locpipe.toml sets it."""
    return LengthBounds(config.min_length_ratio, config.max_length_ratio, config.min_length)


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What checks know besides the two texts: the glossary, the language, the bounds."""

    glossary: Glossary = field(default_factory=Glossary)
    language: str = ""
    length: LengthBounds = DEFAULT_LENGTH
    _found: dict[str, list[TermMatch]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def find_terms(self, text: str) -> list[TermMatch]:
        """``glossary.find(text)``, searched once for all the checks that ask about one text."""
        found = self._found.get(text)
        if found is None:
            self._found.clear()  # checks run entry by entry: an earlier text never comes back
            found = self._found[text] = self.glossary.find(text)
        return found


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding located in a catalog: ``path:line: severity: check: message``."""

    path: str
    line: int  # the entry's first line (its first comment, else msgctxt or msgid)
    check: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.check}: {self.message}"

    def as_dict(self) -> dict[str, str | int]:
        """The problem as a JSON object."""
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "check": self.check,
            "message": self.message,
        }


CheckFunction = Callable[[str, str, CheckContext], list[Finding]]


class Check(NamedTuple):
    """A registered check: its name, default severity, explanation and function."""

    name: str
    severity: Severity
    explanation: str
    run: CheckFunction


# The checks


def check_glossary(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """Keep terms and agreed translations missing, and engine placeholders left over.

    >>> from locpipe.model import GlossaryTerm
    >>> g = Glossary((GlossaryTerm("ATACMS", TermRule.KEEP),))
    >>> for f in check_glossary("ATACMS-raketten", "Atacms missiles {0}", CheckContext(g, "en")):
    ...     print(f.message)
    keep term 'ATACMS' is missing or altered
    placeholder '{0}' left over
    """
    findings = []
    # The distinct terms in order of first occurrence, as Glossary.terms_in gives them.
    terms: dict[str, GlossaryTerm] = {}
    for match in ctx.find_terms(source):
        terms.setdefault(match.term.term, match.term)
    for term in terms.values():
        target = term.target(ctx.language)
        if target is None:
            continue
        present = (
            target in translation
            if term.case_sensitive
            else target.casefold() in translation.casefold()
        )
        if not present:
            if term.rule is TermRule.KEEP:
                findings.append(Finding(f"keep term {target!r} is missing or altered"))
            else:
                findings.append(Finding(f"agreed translation {target!r} of {term.term!r} not used"))
    for residue in leftover_placeholders(source, translation):
        findings.append(Finding(f"placeholder {residue!r} left over"))
    return findings


def check_numbers(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """Numbers and dates changed, dropped or added; separators do not count.

    >>> check_numbers("op 12 maart 2024", "on 12 March 2023", CheckContext())
    [Finding(message='numbers differ from the source')]
    """
    if translation == source:
        return []  # cannot differ from itself; the common case for names and headings kept as is
    return (
        [Finding("numbers differ from the source")] if numbers_differ(source, translation) else []
    )


_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*([^)\s]*)[^)]*\)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*([^)\s]*)[^)]*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_URL = re.compile(r"\]\([^)]*\)|<https?://[^>\s]+>|https?://\S+")
_STRONG = re.compile(r"\*\*|__(?!\w)|(?<!\w)__")
_EMPHASIS = re.compile(r"\*|(?<!\w)_|_(?!\w)")
# Images and links need "[", autolinks "<", code spans "`", strong and emphasis "*" or "_".
_MARKUP_CHARS = re.compile(r"[\[<`*_]")


def check_markdown(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """Inline Markdown broken: links, images, code spans and emphasis markers.

    >>> check_markdown("Zie [de site](https://a.nl) en `x`", "See [the site](https://b.nl) and x",
    ...                CheckContext())  # doctest: +NORMALIZE_WHITESPACE
    [Finding(message="link URLs differ: ['https://a.nl'] became ['https://b.nl']"),
     Finding(message="inline code differs: ['x'] became []")]
    """
    if translation == source or not (
        _MARKUP_CHARS.search(source) or _MARKUP_CHARS.search(translation)
    ):
        return []  # nothing changed, or every pattern below needs one of these characters
    before, after = _inline_markup(source), _inline_markup(translation)
    findings = []
    for what, urls, new_urls in zip(_URL_KINDS, before.urls, after.urls, strict=True):
        if len(urls) != len(new_urls):
            findings.append(Finding(f"{len(urls)} {what}s in the source, {len(new_urls)} here"))
        elif sorted(urls) != sorted(new_urls):  # the same URLs in any order are fine
            findings.append(Finding(f"{what} URLs differ: {urls} became {new_urls}"))
    if sorted(before.code) != sorted(after.code):
        findings.append(Finding(f"inline code differs: {before.code} became {after.code}"))
    for what, in_source, in_translation in (
        ("strong (**)", before.strong, after.strong),
        ("emphasis (* or _)", before.emphasis, after.emphasis),
    ):
        if in_source != in_translation:
            findings.append(
                Finding(f"{in_source} {what} markers in the source, {in_translation} here")
            )
    return findings


_URL_KINDS = ("image", "link", "autolink")


class _InlineMarkup(NamedTuple):
    """What :func:`check_markdown` compares between a source and its translation."""

    urls: tuple[list[str], list[str], list[str]]  # of images, links and autolinks
    code: list[str]  # the contents of code spans
    strong: int  # strong markers outside code spans and URLs
    emphasis: int  # emphasis markers outside code spans, URLs and strong markers


def _inline_markup(text: str) -> _InlineMarkup:
    """The inline Markdown of one text.

    Each pattern runs only on a text that holds a string every match of it holds: most
    texts hold few of them, and a pattern that finds nothing costs a scan of the text.
    """
    links = "](" in text
    urls = (
        _IMAGE.findall(text) if links else [],
        _LINK.findall(text) if links else [],
        _AUTOLINK.findall(text) if "<http" in text else [],
    )
    code = [m.group(2) for m in _CODE.finditer(text)] if "`" in text else []
    if "*" not in text and "_" not in text:
        return _InlineMarkup(urls, code, 0, 0)
    # Markers inside code spans and URLs are not emphasis.
    plain = _CODE.sub(" ", text) if code else text
    if links or "http" in text:
        plain = _URL.sub(" ", plain)
    strong = len(_STRONG.findall(plain))
    if strong:
        plain = _STRONG.sub(" ", plain)
    return _InlineMarkup(urls, code, strong, len(_EMPHASIS.findall(plain)))


def check_whitespace(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """Leading or trailing whitespace differs.

    >>> check_whitespace(" Hallo", "Hello ", CheckContext())  # doctest: +NORMALIZE_WHITESPACE
    [Finding(message="leading whitespace ' ' became ''"),
     Finding(message="trailing whitespace '' became ' '")]
    """
    if not (
        source[:1].isspace()
        or source[-1:].isspace()
        or translation[:1].isspace()
        or translation[-1:].isspace()
    ):
        return []  # no whitespace at either end of either text: nothing to compare
    findings = []
    for where, cut in (("leading", str.lstrip), ("trailing", str.rstrip)):
        before = _difference(source, cut(source))
        after = _difference(translation, cut(translation))
        if before != after:
            findings.append(Finding(f"{where} whitespace {before!r} became {after!r}"))
    return findings


def _difference(text: str, stripped: str) -> str:
    """The whitespace a strip removed from text."""
    if text.startswith(stripped):
        return text[len(stripped) :]
    return text[: len(text) - len(stripped)]


_FINAL = ".?!:"
# Closing quotes, brackets and emphasis may stand after the final mark in either language.
_CLOSERS = "\"'\u201d\u2019\u00bb)]*_"


def check_punctuation(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """The final ``.``, ``?``, ``!`` or ``:`` differs.

    >>> check_punctuation("Wat nu?", "What now.", CheckContext())
    [Finding(message="ends with '.' where the source ends with '?'")]
    >>> check_punctuation('Hij zei "ja."', 'He said "yes".', CheckContext())
    []
    """
    if translation == source:
        return []  # it ends as the source does
    before, after = _final_mark(source), _final_mark(translation)
    if before == after:
        return []
    if not after:
        return [Finding(f"the source ends with {before!r}, this does not")]
    if not before:
        return [Finding(f"ends with {after!r}, the source does not")]
    return [Finding(f"ends with {after!r} where the source ends with {before!r}")]


def _final_mark(text: str) -> str:
    """The final sentence mark of a text, looking through closing quotes and brackets."""
    end = text.rstrip().rstrip(_CLOSERS).rstrip()
    return end[-1] if end and end[-1] in _FINAL else ""


_WORD = re.compile("\\w+(?:[-'\u2019]\\w+)*")
_UNTRANSLATED_WORDS = 3


def check_untranslated(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """The translation is the source itself, and the source is more than names and terms.

    Only sources with at least three words besides keep terms and names count: a short
    heading can be right as it is in a close language (Dutch "Tekort aan ATACMS" is
    Afrikaans too), a sentence hardly.

    >>> check_untranslated("Meer voor jou", "Meer voor jou", CheckContext())
    [Finding(message='identical to the source')]
    >>> check_untranslated("Wat is Storm Shadow?", "Wat is Storm Shadow?", CheckContext())
    []
    """
    if translation.strip() != source.strip():
        return []
    rest = source
    for match in reversed(ctx.find_terms(source)):
        if match.term.rule is TermRule.KEEP:
            rest = rest[: match.start] + " " + rest[match.end :]
    # Count words with a letter up to the threshold: a sentence reaches it in a few words.
    # Capitalised words after the first are names; those stay as they are.
    common = 0
    first = True
    for word in _WORD.findall(rest):
        if not any(map(str.isalpha, word)):
            continue
        if first or not word[0].isupper():
            common += 1
            if common >= _UNTRANSLATED_WORDS:
                return [Finding("identical to the source")]
        first = False
    return []


def check_empty(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """The translation is only whitespace.

    >>> check_empty("Hallo", " ", CheckContext())
    [Finding(message='the translation is only whitespace')]
    """
    if translation.strip() or not source.strip():
        return []
    return [Finding("the translation is only whitespace")]


# Possessive (++): giving back letters or spaces could never make a match, and not trying
# makes this check a quarter faster.
_DOUBLED = re.compile(r"(?<!\w)([^\W\d_]++)\s++\1(?!\w)", re.IGNORECASE)


def check_doubled_word(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """A word written twice in a row, unless the source doubles it too.

    >>> check_doubled_word("De raket", "The the missile", CheckContext())
    [Finding(message="doubled word 'The the'")]
    """
    if translation == source:
        return []  # every word it doubles, the source doubles too
    doubled = list(_DOUBLED.finditer(translation))
    if not doubled:
        return []  # the source needs looking at only when the translation doubles a word
    doubled_in_source = {m.group(1).casefold() for m in _DOUBLED.finditer(source)}
    return [
        Finding(f"doubled word {m.group()!r}")
        for m in doubled
        if m.group(1).casefold() not in doubled_in_source
    ]


def check_length(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """The translation is far shorter or longer than the source.

    >>> check_length("Een vrij lange Nederlandse zin.", "A sentence.", CheckContext())
    [Finding(message='0.35 times as long as the source (expected 0.5 to 2.0)')]
    """
    bounds = ctx.length
    if len(source.strip()) <= bounds.min_length or not translation.strip():
        return []
    ratio = len(translation.strip()) / len(source.strip())
    if bounds.min_ratio <= ratio <= bounds.max_ratio:
        return []
    return [
        Finding(
            f"{ratio:.2f} times as long as the source "
            f"(expected {bounds.min_ratio} to {bounds.max_ratio})"
        )
    ]


CHECKS: dict[str, Check] = {
    check.name: check
    for check in (
        Check(
            "glossary",
            "error",
            "a keep term altered, an agreed translation unused, or a placeholder left over",
            check_glossary,
        ),
        Check("numbers", "error", "numbers or dates changed, dropped or added", check_numbers),
        Check(
            "markdown",
            "error",
            "links, images, inline code or emphasis markers broken",
            check_markdown,
        ),
        Check("empty", "error", "the translation is only whitespace", check_empty),
        Check("whitespace", "warning", "leading or trailing whitespace differs", check_whitespace),
        Check("punctuation", "warning", "the final . ? ! or : differs", check_punctuation),
        Check(
            "untranslated",
            "warning",
            "the translation is the source text, which is more than names and terms",
            check_untranslated,
        ),
        Check("doubled-word", "warning", "a word written twice in a row", check_doubled_word),
        Check("length", "warning", "far shorter or longer than the source", check_length),
    )
}


def effective_severities(overrides: Mapping[str, str] = {}) -> dict[str, str]:
    """Each check's severity: its default, unless the project set another (or ``off``).

    >>> effective_severities({"length": "error"})["length"], effective_severities()["empty"]
    ('error', 'error')
    """
    return {name: overrides.get(name, check.severity) for name, check in CHECKS.items()}


def check_catalog(
    po: catalog.Catalog,
    *,
    path: str,
    glossary: Glossary,
    language: str,
    severities: Mapping[str, str] = {},
    length: LengthBounds = DEFAULT_LENGTH,
    states: Collection[EntryState] = CHECKED_STATES,
    errors_only: bool = False,
    published: bool = False,
) -> list[Problem]:
    """Run every check that is not off over the entries of a catalog in ``states``.

    ``path`` is how problems name the catalog; their line is the entry's first line.
    ``errors_only`` runs only the checks whose severity is error, for callers that
    report nothing else (``build``): warnings are not worked out only to be dropped.
    ``published`` leaves out machine output that failed verification, which build never
    publishes whatever its options: what build checks is what it publishes.
    An ignore mark that names no check is a warning (check ``ignore``): a typo in it
    would otherwise silence nothing, unseen.
    """
    ctx = CheckContext(glossary, language, length)
    chosen = effective_severities(severities)
    active = [
        (check, _severity(severity))
        for check in CHECKS.values()
        if (severity := chosen[check.name]) != "off" and not (errors_only and severity != "error")
    ]
    # A blank translation is one problem, not one per check.
    active_if_blank = [item for item in active if item[0].name == "empty"]
    problems = []
    for entry in catalog.entry_views(po):
        if entry.state not in states or entry.state not in CHECKED_STATES:
            continue
        if published and entry.failed:
            continue
        unknown = sorted(entry.ignored - CHECKS.keys()) if entry.ignored else None
        if unknown and not errors_only:
            named = ", ".join(repr(name) for name in unknown)
            message = f"no check named {named}: the ignore mark silences nothing"
            problems.append(Problem(path, entry.line, "ignore", "warning", message))
        ignored = entry.ignored
        for check, severity in active if entry.msgstr.strip() else active_if_blank:
            if ignored and check.name in ignored:
                continue
            for finding in check.run(entry.msgid, entry.msgstr, ctx):
                problems.append(Problem(path, entry.line, check.name, severity, finding.message))
    return problems


def _severity(value: str) -> Severity:
    return "error" if value == "error" else "warning"
