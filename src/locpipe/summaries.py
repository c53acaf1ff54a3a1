"""What the commands over whole catalogs return: pretranslate's summaries per language and
article, stats rows with each catalog's counts, check findings, and the three stages of a
run.

They live apart from :mod:`locpipe.results` so that extract and build, which return a
:class:`~locpipe.results.StageResult` and run once per batch job step, never create these
classes: a slotted dataclass costs about half a millisecond to create at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .results import Kind, Outcome, StageResult, Status, exit_code, exit_code_for

if TYPE_CHECKING:
    from .checks import Problem

__all__ = [
    "ArticleSummary",
    "CatalogStats",
    "CheckResult",
    "LanguageSummary",
    "PretranslateResult",
    "RunResult",
    "StatsResult",
    "StatsRow",
]


@dataclass(slots=True)
class ArticleSummary:
    """What pretranslation did with one article's catalog in one language."""

    article: str
    entries: int = 0  # pending entries found
    from_memory: int = 0
    fuzzy_from_memory: int = 0
    machine: int = 0
    failed_verification: int = 0  # this run, or earlier and not sent again yet
    failed_earlier: int = 0  # of those, failed in every form before: not sent again
    uncertain: int = 0  # machine output the engine flagged (unknown words, a weak match)

    @property
    def untranslated(self) -> int:
        """Pending entries that are still not filled."""
        return (
            self.entries
            - self.from_memory
            - self.fuzzy_from_memory
            - self.machine
            - self.failed_verification
        )


class _Total:
    """A language's count: the same count of each of its articles, added up."""

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, summary: LanguageSummary | None, owner: type | None = None) -> int:
        if summary is None:
            raise AttributeError(self.name)  # a count of a language, not of the class
        return sum(int(getattr(article, self.name)) for article in summary.articles)


@dataclass(slots=True)
class LanguageSummary:
    """What pretranslation did for one language."""

    language: str
    engine: str
    cached: int = 0  # distinct texts answered by the cache
    requests: int = 0
    characters: int = 0  # characters sent to the engine (or that would be, in a dry run)
    error: str | None = None
    error_kind: Kind | None = None
    articles: list[ArticleSummary] = field(default_factory=list)  # one per catalog read

    # The language's counts are its articles' counts added up, so they cannot disagree.
    entries = _Total("Pending entries found.")
    from_memory = _Total("Entries filled as translated from an exact memory match.")
    fuzzy_from_memory = _Total("Entries filled as fuzzy from a similar memory match.")
    machine = _Total("Entries filled by machine translation that passed verification.")
    failed_verification = _Total("Machine translations kept only for reference.")
    uncertain = _Total("Machine translations the engine itself flagged as uncertain.")
    failed_earlier = _Total("Units that failed every form before, not sent again this run.")
    untranslated = _Total("Pending entries still not filled.")


@dataclass(slots=True)
class PretranslateResult:
    """Per-language summaries and per-catalog outcomes."""

    dry_run: bool
    languages: list[LanguageSummary] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    stage: str = "pretranslate"
    warnings: list[str] = field(default_factory=list)  # what went wrong but lost nothing

    @property
    def problems(self) -> tuple[Outcome, ...]:
        """Catalogs and memories that could not be read or written."""
        return tuple(o for o in self.outcomes if o.is_problem)

    @property
    def exit_code(self) -> int:
        """1 when a catalog failed or an engine failed for a language, else 0."""
        failed = bool(self.problems) or any(s.error for s in self.languages)
        return exit_code_for(failed)


@dataclass(frozen=True, slots=True)
class CatalogStats:
    """Entries and source words per state of a catalog; obsolete entries do not count."""

    translated: int = 0
    translated_words: int = 0
    machine: int = 0
    machine_words: int = 0
    fuzzy: int = 0
    fuzzy_words: int = 0
    untranslated: int = 0
    untranslated_words: int = 0

    @property
    def entries(self) -> int:
        """All entries that count."""
        return self.translated + self.machine + self.fuzzy + self.untranslated

    @property
    def words(self) -> int:
        """All source words that count."""
        return (
            self.translated_words + self.machine_words + self.fuzzy_words + self.untranslated_words
        )

    @property
    def percent_translated(self) -> float:
        """The share of translated entries, 0 to 100 (100 for an empty catalog)."""
        return 100.0 * self.translated / self.entries if self.entries else 100.0

    def as_dict(self) -> dict[str, int | float]:
        """The counts and the percentage, for JSON output."""
        return {
            "translated": self.translated,
            "translated_words": self.translated_words,
            "machine": self.machine,
            "machine_words": self.machine_words,
            "fuzzy": self.fuzzy,
            "fuzzy_words": self.fuzzy_words,
            "untranslated": self.untranslated,
            "untranslated_words": self.untranslated_words,
            "entries": self.entries,
            "words": self.words,
            "percent_translated": self.percent_translated,
        }


@dataclass(frozen=True, slots=True)
class StatsRow:
    """Translation progress of one article in one language."""

    language: str
    article: str
    stats: CatalogStats | None  # None: no catalog, or it cannot be read
    path: str = ""  # the catalog, relative to the project root
    error: str | None = None  # why the catalog cannot be read
    kind: Kind | None = None
    prose_free: bool = False  # no catalog because the article has nothing to translate

    @property
    def published_percent(self) -> float:
        """The percentage of entries build publishes by default: translated and machine."""
        if self.stats is None:
            return 0.0
        done = self.stats.translated + self.stats.machine
        return 100 * done / self.stats.entries if self.stats.entries else 100.0

    def publishable(self, min_translated: float) -> bool:
        """Whether build, with default options, would publish it at this percentage."""
        if self.prose_free:
            return True
        return self.stats is not None and self.published_percent >= min_translated


@dataclass(frozen=True, slots=True)
class StatsResult:
    """Per language and article: entries and words translated, fuzzy, untranslated."""

    rows: tuple[StatsRow, ...]
    stage: str = "stats"

    @property
    def problems(self) -> tuple[Outcome, ...]:
        """The catalogs that cannot be read, as failed outcomes."""
        return tuple(
            Outcome(row.article, row.language, Status.FAILED, row.path, row.error, row.kind)
            for row in self.rows
            if row.error
        )

    @property
    def exit_code(self) -> int:
        """1 when a catalog cannot be read, else 0."""
        return exit_code_for(bool(self.problems))


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Quality check problems, and the catalogs that could not be checked at all."""

    findings: tuple[Problem, ...]
    outcomes: tuple[Outcome, ...] = ()  # failed catalogs
    strict: bool = False  # whether warnings count as failures
    stage: str = "check"

    @property
    def errors(self) -> int:
        """Findings of error severity."""
        return sum(1 for p in self.findings if p.severity == "error")

    @property
    def warnings(self) -> int:
        """Findings of warning severity."""
        return len(self.findings) - self.errors

    @property
    def problems(self) -> tuple[Outcome, ...]:
        """Catalogs that could not be read."""
        return tuple(o for o in self.outcomes if o.is_problem)

    @property
    def exit_code(self) -> int:
        """1 when a catalog cannot be read or an error is found (with ``strict``, a
        warning), else 0."""
        failed = bool(self.problems or self.errors or (self.strict and self.warnings))
        return exit_code_for(failed)


@dataclass(frozen=True, slots=True)
class RunResult:
    """What ``locpipe run`` did: each stage's result and how long it took."""

    extracted: StageResult
    pretranslated: PretranslateResult
    built: StageResult
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def stages(self) -> tuple[StageResult | PretranslateResult, ...]:
        """The three results, in the order they ran."""
        return (self.extracted, self.pretranslated, self.built)

    @property
    def exit_code(self) -> int:
        """The run's exit code (see :func:`exit_code`)."""
        return exit_code(*self.stages)
