"""What the stages return: typed results that the CLI prints and reports turn into JSON.

Every stage result says what happened to each article (and language) as an
:class:`Outcome`.  A failed or skipped outcome keeps the *kind* of problem, not just its
message, so a batch job can tell an unreadable catalog from an article below the threshold.
The exit code of any combination of results is computed in one place, :func:`exit_code`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from . import errors
from .errors import LocpipeError

if TYPE_CHECKING:
    from .catalog import CatalogStats
    from .checks import Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class Status(StrEnum):
    """What happened to one file."""

    WRITTEN = "written"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"
    # Nothing in it to translate: extract makes no catalog, build copies it as it is.
    PROSE_FREE = "prose-free"


class Kind(StrEnum):
    """Why an article, a catalog or a language was skipped or failed."""

    CONFIG = "config"  # locpipe.toml or an option names something bad
    SOURCE = "source"  # the article cannot be read as text
    SEGMENTATION = "segmentation"  # its structure cannot be cut into units
    CLASH = "clash"  # two articles would share one catalog
    CATALOG = "catalog"  # a PO or POT file is broken or contradicts its place
    NO_CATALOG = "no-catalog"  # build found no catalog: extract has not run
    GLOSSARY = "glossary"  # the glossary has errors
    TMX = "tmx"  # an imported memory cannot be read
    BELOW_THRESHOLD = "below-threshold"  # build: too little is translated
    CHECKS = "checks"  # build --strict: error-level quality checks failed
    ENGINE_UNAVAILABLE = "engine-unavailable"  # timeouts, 5xx, 429
    ENGINE_UNREACHABLE = "engine-unreachable"  # no connection at all
    ENGINE_REJECTED = "engine-rejected"  # no key, bad key, unsupported pair
    IO = "io"  # a file cannot be read or written
    CONFLICT = "conflict"  # a catalog changed (an editor's save) while it was being merged
    ERROR = "error"  # any other locpipe error


# Most specific first: an EngineUnreachable is also an EngineUnavailable.
_KINDS: tuple[tuple[type[BaseException], Kind], ...] = (
    (errors.ConfigError, Kind.CONFIG),
    (errors.SegmentationError, Kind.SEGMENTATION),
    (errors.SourceError, Kind.SOURCE),
    (errors.CatalogChanged, Kind.CONFLICT),
    (errors.CatalogError, Kind.CATALOG),
    (errors.GlossaryError, Kind.GLOSSARY),
    (errors.TmxError, Kind.TMX),
    (errors.EngineUnreachable, Kind.ENGINE_UNREACHABLE),
    (errors.EngineUnavailable, Kind.ENGINE_UNAVAILABLE),
    (errors.EngineRejected, Kind.ENGINE_REJECTED),
    (OSError, Kind.IO),
)


def kind_of(error: BaseException) -> Kind:
    """The kind of problem an exception stands for.

    >>> kind_of(errors.CatalogError("broken")), kind_of(FileNotFoundError())
    (<Kind.CATALOG: 'catalog'>, <Kind.IO: 'io'>)
    """
    return next((kind for cls, kind in _KINDS if isinstance(error, cls)), Kind.ERROR)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a stage did with one article for one language (None: the template)."""

    article: str
    language: str | None
    status: Status
    path: str = ""
    detail: str = ""
    kind: Kind | None = None  # set when skipped or failed
    units: int | None = None  # extract, template outcomes: units in the article
    entries: int | None = None  # extract, template outcomes: entries in the template
    findings: tuple[Problem, ...] = ()  # build: error-level quality check problems

    @property
    def is_problem(self) -> bool:
        """Whether it was skipped or failed."""
        return self.status in (Status.SKIPPED, Status.FAILED)


@dataclass(frozen=True, slots=True)
class StageResult:
    """Every outcome of extract or build, in order."""

    stage: str
    outcomes: tuple[Outcome, ...] = field(default_factory=tuple)

    def count(self, status: Status, language: str | None = None) -> int:
        """How many outcomes, for one language or all, have this status."""
        return sum(
            1
            for o in self.outcomes
            if o.status is status and (language is None or o.language == language)
        )

    @property
    def findings(self) -> tuple[Problem, ...]:
        """Every quality check problem the outcomes report, in order."""
        return tuple(p for o in self.outcomes for p in o.findings)

    @property
    def problems(self) -> tuple[Outcome, ...]:
        """Outcomes that were skipped or failed."""
        return tuple(o for o in self.outcomes if o.is_problem)

    @property
    def exit_code(self) -> int:
        """This stage's part of the exit code (see :func:`exit_code`)."""
        return exit_code(self)


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
        """This stage's part of the exit code (see :func:`exit_code`)."""
        return exit_code(self)


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
        """This stage's part of the exit code (see :func:`exit_code`)."""
        return exit_code(self)


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
        """This stage's part of the exit code (see :func:`exit_code`)."""
        return exit_code(self)


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


Result = StageResult | PretranslateResult | StatsResult | CheckResult | RunResult


def exit_code(*results: Result) -> int:
    """0 when everything was done; 1 when anything was skipped or failed, an engine failed,
    or a check found an error (with ``strict``, a warning).  2 (usage) is raised as a
    :class:`~locpipe.errors.ConfigError` and never reaches a result."""
    return max((_one_exit_code(result) for result in results), default=EXIT_OK)


def _one_exit_code(result: Result) -> int:
    if isinstance(result, RunResult):
        return exit_code(*result.stages)
    failed = bool(result.problems)
    if isinstance(result, PretranslateResult):
        failed = failed or any(s.error for s in result.languages)
    elif isinstance(result, CheckResult):
        failed = failed or bool(result.errors or (result.strict and result.warnings))
    return EXIT_PROBLEMS if failed else EXIT_OK


def failed(article: str, language: str | None, path: str, error: LocpipeError) -> Outcome:
    """The outcome of an article or catalog that a locpipe error stopped."""
    return Outcome(article, language, Status.FAILED, path, str(error), kind_of(error))
