"""What the stages return: typed results that the CLI prints and reports turn into JSON.

Every stage result says what happened to each article (and language) as an
:class:`Outcome`.  A failed or skipped outcome keeps the *kind* of problem, not just its
message, so a batch job can tell an unreadable catalog from an article below the threshold.
Each result knows its own exit code; :func:`exit_code` combines several.

Extract and build return a :class:`StageResult`; what the commands over whole catalogs
return (pretranslate, stats, check, run) is in :mod:`locpipe.summaries`, which the
article stages never load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from . import errors
from .errors import LocpipeError

if TYPE_CHECKING:
    from .checks import Problem
    from .summaries import ArticleSummary as ArticleSummary
    from .summaries import CheckResult as CheckResult
    from .summaries import LanguageSummary as LanguageSummary
    from .summaries import PretranslateResult as PretranslateResult
    from .summaries import RunResult as RunResult
    from .summaries import StatsResult as StatsResult
    from .summaries import StatsRow as StatsRow

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

# Where these were before locpipe.summaries: importing them from here still works.
_SUMMARIES = frozenset(
    {
        "ArticleSummary",
        "CheckResult",
        "LanguageSummary",
        "PretranslateResult",
        "RunResult",
        "StatsResult",
        "StatsRow",
    }
)


def __getattr__(name: str) -> object:
    if name in _SUMMARIES:
        from . import summaries

        return getattr(summaries, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        """1 when an article was skipped or failed, else 0."""
        return exit_code_for(bool(self.problems))


class Result(Protocol):
    """What a command returns: each kind of result decides its own exit code."""

    @property
    def exit_code(self) -> int:
        """0 when everything was done, 1 when something was not (see :func:`exit_code`)."""
        ...


def exit_code_for(failed: bool) -> int:
    """A result's exit code: 1 when it says something failed, else 0; the one place where
    a result's verdict becomes a code."""
    return EXIT_PROBLEMS if failed else EXIT_OK


def exit_code(*results: Result) -> int:
    """0 when everything was done; 1 when anything was skipped or failed, an engine failed,
    or a check found an error (with ``strict``, a warning): the worst code of the results.
    2 (usage) is raised as a :class:`~locpipe.errors.ConfigError` and never reaches a
    result."""
    return max((result.exit_code for result in results), default=EXIT_OK)


def failed(article: str, language: str | None, path: str, error: LocpipeError) -> Outcome:
    """The outcome of an article or catalog that a locpipe error stopped."""
    return Outcome(article, language, Status.FAILED, path, str(error), kind_of(error))
