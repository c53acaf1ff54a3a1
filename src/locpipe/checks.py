"""Quality checks on translations: what a reviewer would catch, found before publishing.

Each check is a small pure function ``(source, translation, ctx) -> list[Finding]``
registered in :data:`CHECKS` with its default severity and a one-line explanation.
:func:`check_catalog` runs them over a catalog's translated, fuzzy and machine-translated
entries.  A translator silences one check on one entry with the PO flag
``locpipe-ignore-<check>``; a project changes severities in ``[check]`` of locpipe.toml.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal

from . import catalog
from .glossary import Glossary, leftover_placeholders, numbers_differ
from .model import EntryState, TermRule

Severity = Literal["error", "warning"]
SEVERITIES = ("error", "warning", "off")
IGNORE_PREFIX = "locpipe-ignore-"
# What a translator works on; untranslated and obsolete entries have nothing to check.
CHECKED_STATES = frozenset({EntryState.TRANSLATED, EntryState.FUZZY, EntryState.MACHINE})


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check found in one translation."""

    message: str


@dataclass(frozen=True, slots=True)
class LengthBounds:
    """The length check's norm: translation/source between the ratios, for long sources."""

    min_ratio: float = 0.5
    max_ratio: float = 2.0
    min_length: int = 20  # shorter sources vary too much in length to judge


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What checks know besides the two texts: the glossary, the language, the bounds."""

    glossary: Glossary = field(default_factory=Glossary)
    language: str = ""
    length: LengthBounds = LengthBounds()


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


@dataclass(frozen=True, slots=True)
class Check:
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
    for term in ctx.glossary.terms_in(source):
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
    if not (_MARKUP_CHARS.search(source) or _MARKUP_CHARS.search(translation)):
        return []  # every pattern below needs one of these characters
    findings = []
    for what, pattern in (("image", _IMAGE), ("link", _LINK), ("autolink", _AUTOLINK)):
        before, after = pattern.findall(source), pattern.findall(translation)
        if len(before) != len(after):
            findings.append(Finding(f"{len(before)} {what}s in the source, {len(after)} here"))
        elif Counter(before) != Counter(after):
            findings.append(Finding(f"{what} URLs differ: {before} became {after}"))
    codes = [m.group(2) for m in _CODE.finditer(source)]
    translated_codes = [m.group(2) for m in _CODE.finditer(translation)]
    if Counter(codes) != Counter(translated_codes):
        findings.append(Finding(f"inline code differs: {codes} became {translated_codes}"))
    # Markers inside code spans and URLs are not emphasis.
    plain_source = _URL.sub(" ", _CODE.sub(" ", source))
    plain_translation = _URL.sub(" ", _CODE.sub(" ", translation))
    strong = len(_STRONG.findall(plain_source)), len(_STRONG.findall(plain_translation))
    emphasis = (
        len(_EMPHASIS.findall(_STRONG.sub(" ", plain_source))),
        len(_EMPHASIS.findall(_STRONG.sub(" ", plain_translation))),
    )
    for what, (in_source, in_translation) in (
        ("strong (**)", strong),
        ("emphasis (* or _)", emphasis),
    ):
        if in_source != in_translation:
            findings.append(
                Finding(f"{in_source} {what} markers in the source, {in_translation} here")
            )
    return findings


def check_whitespace(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """Leading or trailing whitespace differs.

    >>> check_whitespace(" Hallo", "Hello ", CheckContext())  # doctest: +NORMALIZE_WHITESPACE
    [Finding(message="leading whitespace ' ' became ''"),
     Finding(message="trailing whitespace '' became ' '")]
    """
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
    for match in reversed(ctx.glossary.find(source)):
        if match.term.rule is TermRule.KEEP:
            rest = rest[: match.start] + " " + rest[match.end :]
    words = [w for w in _WORD.findall(rest) if any(c.isalpha() for c in w)]
    # Capitalised words after the first are names; those stay as they are.
    common = words[:1] + [w for w in words[1:] if not w[0].isupper()]
    return [Finding("identical to the source")] if len(common) >= _UNTRANSLATED_WORDS else []


def check_empty(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """The translation is only whitespace.

    >>> check_empty("Hallo", " ", CheckContext())
    [Finding(message='the translation is only whitespace')]
    """
    if translation.strip() or not source.strip():
        return []
    return [Finding("the translation is only whitespace")]


_DOUBLED = re.compile(r"(?<!\w)([^\W\d_]+)\s+\1(?!\w)", re.IGNORECASE)


def check_doubled_word(source: str, translation: str, ctx: CheckContext) -> list[Finding]:
    """A word written twice in a row, unless the source doubles it too.

    >>> check_doubled_word("De raket", "The the missile", CheckContext())
    [Finding(message="doubled word 'The the'")]
    """
    doubled_in_source = {m.group(1).casefold() for m in _DOUBLED.finditer(source)}
    return [
        Finding(f"doubled word {m.group()!r}")
        for m in _DOUBLED.finditer(translation)
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
    length: LengthBounds = LengthBounds(),
    states: Collection[EntryState] = CHECKED_STATES,
) -> list[Problem]:
    """Run every check that is not off over the entries of a catalog in ``states``.

    ``path`` is how problems name the catalog; their line is the entry's first line.
    """
    ctx = CheckContext(glossary, language, length)
    chosen = effective_severities(severities)
    active = [
        (check, severity) for check in CHECKS.values() if (severity := chosen[check.name]) != "off"
    ]
    problems = []
    for entry in catalog.entry_views(po):
        if entry.state not in states or entry.state not in CHECKED_STATES:
            continue
        blank = not entry.msgstr.strip()
        for check, severity in active:
            # A blank translation is one problem, not one per check.
            if (blank and check.name != "empty") or IGNORE_PREFIX + check.name in entry.flags:
                continue
            for finding in check.run(entry.msgid, entry.msgstr, ctx):
                problems.append(
                    Problem(path, entry.line, check.name, _severity(severity), finding.message)
                )
    return problems


def _severity(value: str) -> Severity:
    return "error" if value == "error" else "warning"
