"""locpipe's Python API: what each command does, as one call that returns a typed result.

    >>> from locpipe import load_project, run_project
    >>> project = load_project("path/to/project")            # doctest: +SKIP
    >>> result = run_project(project)                        # doctest: +SKIP
    >>> result.exit_code, result.built.count(Status.WRITTEN) # doctest: +SKIP

Nothing here prints or exits.  Progress is reported through callbacks; engines can be
passed in (``engine=``), otherwise each language's engine is built from ``locpipe.toml``.
Errors that stop a whole call (a bad ``locpipe.toml``, an unknown language) are raised as
:class:`~locpipe.errors.LocpipeError` subclasses; a problem with one article, catalog or
engine is recorded in the result, with its kind, and the rest goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import languages as language_tags
from .errors import ConfigError
from .project import ArticleFiles, Project
from .project import load_project as _load_project
from .results import StageResult, Status
from .runner import ArticleCache, default_jobs

if TYPE_CHECKING:
    from .build import BuildOptions
    from .engines import Engine
    from .glossary import Glossary
    from .runner import ArticleWork
    from .summaries import CheckResult, PretranslateResult, RunResult, StatsResult
    from .terminology import TermSuggestion
    from .xliff import XliffExportResult, XliffImportResult

__all__ = [
    "ArticleProgress",
    "MachineProgress",
    "Status",
    "build",
    "check",
    "export_xliff",
    "extract",
    "import_xliff",
    "load_project",
    "pretranslate",
    "read_glossary",
    "run_project",
    "stats",
    "suggest_terms",
]

ArticleProgress = Callable[[ArticleFiles], None]  # called as each article is taken up
MachineProgress = Callable[[str, int], None]  # (language, texts just translated)


def load_project(root: Path | str) -> Project:
    """Read and validate ``root/locpipe.toml``; a problem is a ConfigError naming file:line."""
    return _load_project(Path(root))


def now() -> datetime:
    """The current time as catalogs record it: UTC, whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)


def chosen_languages(project: Project, languages: Iterable[str] | None) -> tuple[str, ...]:
    """The project's languages, or those asked for, each as the project spells it."""
    if languages is None:
        return project.languages
    chosen = []
    for code in languages:
        found = language_tags.find(code, project.languages)
        if found is None:
            configured = ", ".join(project.languages)
            raise ConfigError(f"--lang {code}: not a language of this project ({configured})")
        chosen.append(found)
    return tuple(dict.fromkeys(chosen)) or project.languages


def read_glossary(project: Project) -> Glossary:
    """The project's glossary as far as it reads, with its problems ('glossary check')."""
    from .glossary import read_glossary as read_folder

    return read_folder(
        project.glossary_dir,
        languages=project.languages,
        display=project.relative(project.glossary_dir),
        source_language=project.source_language,
    )


def suggest_terms(
    project: Project, *, min_count: int = 1, limit: int | None = None
) -> list[TermSuggestion]:
    """Candidate terms from the source articles that the glossary lacks, best first."""
    from .terminology import project_texts, stop_words_for
    from .terminology import suggest_terms as suggest

    return suggest(
        project_texts(project),
        read_glossary(project),
        stop_words=stop_words_for(project.source_language),
        min_count=min_count,
        limit=limit,
    )


def extract(
    project: Project,
    languages: Iterable[str] | None = None,
    *,
    glossary: Glossary | None = None,
    created: datetime | None = None,
    progress: ArticleProgress | None = None,
    jobs: int = 0,
    incremental: bool = True,
    articles: ArticleCache | None = None,
) -> StageResult:
    """Write each article's template and create or update its catalog in every language.

    ``jobs`` 0 means one worker process per CPU (up to 8), 1 none; ``incremental`` false
    redoes articles the run state says are unchanged.
    """
    from .extract import ExtractArticle
    from .glossary import refuse_errors

    # Its terms go into every catalog's comments: a wrong glossary misleads translators.
    glossary = refuse_errors(glossary or read_glossary(project))
    work = ExtractArticle(project, glossary, now=created or now())
    return _run_articles(work, languages, progress, jobs, incremental, articles)


def build(
    project: Project,
    languages: Iterable[str] | None = None,
    *,
    options: BuildOptions | None = None,
    glossary: Glossary | None = None,
    progress: ArticleProgress | None = None,
    jobs: int = 0,
    incremental: bool = True,
    articles: ArticleCache | None = None,
) -> StageResult:
    """Write each localized article whose catalog is translated enough (``options``)."""
    from .build import BuildArticle, BuildOptions
    from .glossary import refuse_errors

    # Its terms decide the glossary check of what is published.
    glossary = refuse_errors(glossary or read_glossary(project))
    work = BuildArticle(project, glossary, options or BuildOptions())
    return _run_articles(work, languages, progress, jobs, incremental, articles)


def _run_articles(
    work: ArticleWork,
    languages: Iterable[str] | None,
    progress: ArticleProgress | None,
    jobs: int,
    incremental: bool,
    articles: ArticleCache | None,
) -> StageResult:
    """An article stage over the chosen languages, as the runner runs every one."""
    from .runner import run_articles

    return run_articles(
        work,
        chosen_languages(work.project, languages),
        progress=progress,
        articles=articles,
        incremental=incremental,
        jobs=jobs or default_jobs(),
    )


def pretranslate(
    project: Project,
    languages: Iterable[str] | None = None,
    *,
    engine: Engine | None = None,
    engine_name: str | None = None,
    glossary: Glossary | None = None,
    dry_run: bool = False,
    created: datetime | None = None,
    progress: MachineProgress | None = None,
) -> PretranslateResult:
    """Fill untranslated entries from translation memory, then by machine translation.

    ``engine`` serves every language when given; otherwise ``engine_name`` (or each
    language's configured engine) is built from ``locpipe.toml``.  The glossary must have
    no errors (a GlossaryError otherwise): a wrong glossary would mislead the engine.
    """
    from .cache import TranslationCache
    from .engines import check_name
    from .engines.dispatch import budget
    from .glossary import refuse_errors
    from .pretranslate import pretranslate as pretranslate_catalogs

    if engine_name is not None:
        check_name(engine_name, key="--engine")
    glossary = refuse_errors(glossary or read_glossary(project))
    # A dry run only reads the cache; it creates nothing on disk.
    cache = (
        TranslationCache(project.cache_path) if not dry_run or project.cache_path.exists() else None
    )
    try:
        # The budget runs from here, across every language: a job knows its upper bound.
        with budget(project.pretranslate.budget):
            result = pretranslate_catalogs(
                project,
                chosen_languages(project, languages),
                glossary=glossary,
                now=created or now(),
                engines=_engines(project, engine),
                engine_name=engine.name if engine is not None else engine_name,
                dry_run=dry_run,
                cache=cache,
                progress=progress,
            )
        if cache and cache.problem:
            result.warnings.append(cache.problem)
        return result
    finally:
        if cache:
            cache.close()


def _engines(project: Project, engine: Engine | None) -> Callable[[str], Engine]:
    """The engine of a configured name: the one passed in, else built from locpipe.toml."""
    if engine is not None:
        return lambda name: engine
    from .engines import project_engine

    built: dict[str, Engine] = {}

    def engine_named(name: str) -> Engine:
        # One engine per name for the run, so its rate limit and connections are shared.
        if name not in built:
            built[name] = project_engine(project, name)
        return built[name]

    return engine_named


def check(
    project: Project,
    languages: Iterable[str] | None = None,
    *,
    files: Sequence[Path] = (),
    strict: bool = False,
    glossary: Glossary | None = None,
) -> CheckResult:
    """Run the quality checks on every catalog of these languages, or only on ``files``."""
    from .review import check as check_catalogs

    return check_catalogs(
        project,
        chosen_languages(project, languages),
        glossary=glossary or read_glossary(project),
        files=files,
        strict=strict,
    )


def stats(project: Project, languages: Iterable[str] | None = None) -> StatsResult:
    """Per language and article: entries and words translated, machine, fuzzy, untranslated."""
    from .review import stats as catalog_stats

    return catalog_stats(project, chosen_languages(project, languages))


def run_project(
    project: Project,
    languages: Iterable[str] | None = None,
    *,
    options: BuildOptions | None = None,
    engine: Engine | None = None,
    engine_name: str | None = None,
    progress: ArticleProgress | None = None,
    machine_progress: MachineProgress | None = None,
    on_stage: Callable[[StageResult | PretranslateResult], None] | None = None,
    jobs: int = 0,
) -> RunResult:
    """Extract, pretranslate, then build: what ``locpipe run`` does.

    The glossary is read once for the three stages, and an article segmented by extract is
    not segmented again by build.  ``on_stage`` is called with each stage's result as soon
    as it is done, so a caller can report while the next stage runs.
    """
    from .glossary import refuse_errors
    from .summaries import RunResult

    chosen = chosen_languages(project, languages)
    glossary = refuse_errors(read_glossary(project))  # before any stage writes anything
    articles = ArticleCache()
    seconds: dict[str, float] = {}
    clock = time.monotonic()

    def timed(result: StageResult | PretranslateResult) -> None:
        nonlocal clock
        seconds[result.stage], clock = time.monotonic() - clock, time.monotonic()
        if on_stage is not None:
            on_stage(result)

    extracted = extract(
        project, chosen, glossary=glossary, progress=progress, jobs=jobs, articles=articles
    )
    timed(extracted)
    pretranslated = pretranslate(
        project,
        chosen,
        engine=engine,
        engine_name=engine_name,
        glossary=glossary,
        progress=machine_progress,
    )
    timed(pretranslated)
    built = build(
        project,
        chosen,
        options=options,
        glossary=glossary,
        progress=progress,
        jobs=jobs,
        articles=articles,
    )
    timed(built)
    return RunResult(extracted, pretranslated, built, seconds)


def export_xliff(
    project: Project,
    language: str,
    folder: Path,
    *,
    version: str = "2.1",
    per: str = "article",
    created: datetime | None = None,
) -> XliffExportResult:
    """Write a language's catalogs as XLIFF ``version`` into ``folder``, one file per
    article or (``per="language"``) one in all."""
    from .xliff import Per
    from .xliff import export_xliff as export

    (chosen,) = chosen_languages(project, [language])
    return export(project, chosen, folder, version=version, per=Per(per), now=created or now())


def import_xliff(
    project: Project, files: Sequence[Path], *, created: datetime | None = None
) -> XliffImportResult:
    """Merge the translations of XLIFF files into the catalogs they name."""
    from .xliff import import_xliff as merge

    return merge(project, files, now=created or now())
