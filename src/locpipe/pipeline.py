"""The project-wide stages: extract, build and stats over every article and language.

Each article is read and segmented once, then handled for every language; a problem with
one article or catalog is recorded in the result and the run goes on with the rest.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from . import catalog, state
from .assemble import assemble_article
from .errors import ConfigError, LocpipeError
from .fileio import WriteBatch
from .model import Article
from .project import ArticleFiles, Project
from .segment import segment_article

if TYPE_CHECKING:
    from .checks import LengthBounds, Problem
    from .glossary import Glossary

Progress = Callable[[ArticleFiles], None]


class Status(StrEnum):
    """What happened to one file."""

    WRITTEN = "written"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a stage did with one article for one language (None: the template)."""

    article: str
    language: str | None
    status: Status
    path: str = ""
    detail: str = ""
    units: int | None = None  # extract, template outcomes: units in the article
    entries: int | None = None  # extract, template outcomes: entries in the template
    findings: tuple[Problem, ...] = ()  # build: error-level quality check problems


@dataclass(frozen=True, slots=True)
class StageResult:
    """Every outcome of a stage, in order."""

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
        return tuple(o for o in self.outcomes if o.status in (Status.SKIPPED, Status.FAILED))

    @property
    def exit_code(self) -> int:
        """0 when everything was done, 1 when an article was skipped or failed."""
        return 1 if self.problems else 0


@dataclass(frozen=True, slots=True)
class StatsRow:
    """Translation progress of one article in one language."""

    language: str
    article: str
    stats: catalog.CatalogStats | None  # None: no catalog yet
    path: str = ""  # the catalog, relative to the project root

    @property
    def published_share(self) -> float:
        """The share of entries build publishes by default: translated and machine."""
        if self.stats is None:
            return 0.0
        done = self.stats.translated + self.stats.machine
        return done / self.stats.entries if self.stats.entries else 1.0

    def publishable(self, min_translated: float) -> bool:
        """Whether build, with default options, would publish it at this threshold (0-1)."""
        return self.stats is not None and self.published_share >= min_translated


class ArticleCache:
    """Segmented articles by (reference, source hash), shared by the stages of one run.

    It holds at most ``limit`` articles: a segmented article takes about 20 kB, so sharing
    them all would make a run's memory grow with the project, and re-segmenting one costs
    about a millisecond.
    """

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self._articles: dict[tuple[str, str], Article] = {}

    def get(self, reference: str, digest: str) -> Article | None:
        """The article segmented from this source, if it was kept."""
        return self._articles.get((reference, digest))

    def add(self, reference: str, digest: str, article: Article) -> None:
        """Keep an article for the next stage, while there is room."""
        if len(self._articles) < self.limit:
            self._articles[reference, digest] = article


@dataclass(frozen=True, slots=True)
class _Source:
    """One readable article source and the hash of its bytes."""

    files: ArticleFiles
    data: bytes
    digest: str


def _sources(project: Project, progress: Progress | None) -> Iterator[_Source | _Done]:
    """Each article's bytes, or its failure when it is unreadable or clashes with another."""
    all_files = list(project.articles())
    clashes = Counter(f.name for f in all_files)
    for files in all_files:
        if progress:
            progress(files)
        if clashes[files.name] > 1:
            others = sorted(f.reference for f in all_files if f.name == files.name)
            detail = f"{' and '.join(others)} would share one catalog; rename one"
            yield _Done.failed(files, detail)
            continue
        try:
            data = files.source.read_bytes()
        except OSError as exc:
            yield _Done.failed(files, f"{files.reference}: cannot read: {exc.strerror}")
            continue
        yield _Source(files, data, state.digest(data))


def _segment(source: _Source, outcomes: list[Outcome], articles: ArticleCache) -> Article | None:
    """The source segmented, once per run; an unreadable or empty one is recorded instead."""
    files = source.files
    cached = articles.get(files.reference, source.digest)
    if cached is not None:
        return cached
    try:
        article = segment_article(source.data, path=files.reference, name=files.name)
    except LocpipeError as exc:
        outcomes.append(Outcome(files.name, None, Status.FAILED, files.reference, str(exc)))
        return None
    if not article.units:
        detail = f"{files.reference}: nothing to translate (empty article)"
        outcomes.append(Outcome(files.name, None, Status.SKIPPED, files.reference, detail))
        return None
    articles.add(files.reference, source.digest, article)
    return article


def _open_state(project: Project, incremental: bool) -> state.RunState:
    """The recorded state, or an empty one that records but never skips."""
    if incremental:
        return state.read_state(project.state_path)
    return state.RunState(project.state_path)


def _save_state(run_state: state.RunState) -> None:
    # The state only saves work: a project where it cannot be written still gets built.
    with contextlib.suppress(OSError):
        state.write_state(run_state)


def _done(outcome: Outcome) -> bool:
    """Whether an outcome can be remembered and repeated: done, and nothing to report."""
    return outcome.status in (Status.WRITTEN, Status.UNCHANGED) and not outcome.findings


def extract(
    project: Project,
    languages: Iterable[str],
    *,
    now: datetime,
    progress: Progress | None = None,
    articles: ArticleCache | None = None,
    incremental: bool = True,
    jobs: int = 1,
) -> StageResult:
    """Write each article's template and create or update its catalog in every language.

    An article whose source, catalogs, glossary and configuration are as the last run left
    them is skipped (reported unchanged) unless ``incremental`` is false; ``articles``
    shares segmented articles between the stages of one run; ``jobs`` worker processes
    share the articles that need work when there are enough of them.
    """
    languages = tuple(languages)
    run_state = _open_state(project, incremental)
    inputs = (
        state.file_digest(project.config_path),
        state.folder_digest(project.glossary_dir),
        project.source_language,
    )

    def decide(source: _Source) -> Iterator[_Task | _Done]:
        files = source.files
        key = state.make_key("extract", files.reference, source.digest, *inputs)
        skipped = _unchanged_extract(project, run_state, files, key, languages)
        if skipped is not None:
            yield _Done(files.name, skipped)
        else:
            yield _Task(source, dict.fromkeys(("", *languages), key))

    work = _ExtractArticle(project, now)
    return _run_stage("extract", project, run_state, work, decide, progress, articles, jobs)


def _unchanged_extract(
    project: Project,
    run_state: state.RunState,
    files: ArticleFiles,
    key: str,
    languages: tuple[str, ...],
) -> list[Outcome] | None:
    """The unchanged outcomes of an article extract need not touch, or None to extract it."""
    pot_path = project.template_path(files.name)
    if not run_state.is_current("extract", files.name, "", key, {"file": pot_path}):
        return None
    po_paths = {code: project.catalog_path(code, files.name) for code in languages}
    if not all(
        run_state.is_current("extract", files.name, code, key, {"file": path})
        for code, path in po_paths.items()
    ):
        return None
    record = run_state.record("extract", files.name, "") or {}
    units, entries = record.get("units"), record.get("entries")
    if not isinstance(units, int) or not isinstance(entries, int):
        return None
    shown = project.relative(pot_path)
    outcomes = [Outcome(files.name, None, Status.UNCHANGED, shown, units=units, entries=entries)]
    outcomes.extend(
        Outcome(files.name, code, Status.UNCHANGED, project.relative(path))
        for code, path in po_paths.items()
    )
    return outcomes


# One article's work.  A stage decides in the main process which articles need work (the
# skip checks read the state), then hands each one to a work object: a picklable callable
# that returns outcomes and state records instead of changing shared state, so the same
# code runs inline or in worker processes.


@dataclass(frozen=True, slots=True)
class _Task:
    """An article that needs work, and the state key of each slot to do: a language, or ""
    for the template."""

    source: _Source
    keys: dict[str, str]

    @property
    def languages(self) -> list[str]:
        """The languages to do."""
        return [slot for slot in self.keys if slot]


@dataclass(slots=True)
class _Done:
    """What a stage did with one article: outcomes, and the state record of each slot
    (a language, or "" for the template) to keep, or None to forget."""

    article: str
    outcomes: list[Outcome] = field(default_factory=list)
    records: dict[str, dict[str, object] | None] = field(default_factory=dict)

    def add(self, slot: str, outcome: Outcome, record: dict[str, object]) -> None:
        """Add an outcome; its slot is remembered by ``record`` only if it is done."""
        self.outcomes.append(outcome)
        self.records[slot] = record if _done(outcome) else None

    @classmethod
    def failed(cls, files: ArticleFiles, detail: str) -> _Done:
        """An article that could not be taken up at all."""
        return cls(files.name, [Outcome(files.name, None, Status.FAILED, files.reference, detail)])


def _run_stage(
    stage: str,
    project: Project,
    run_state: state.RunState,
    work: _Work,
    decide: Callable[[_Source], Iterable[_Task | _Done]],
    progress: Progress | None,
    articles: ArticleCache | None,
    jobs: int,
) -> StageResult:
    """Run a stage over every article and save what it did in the state.

    A source that cannot be taken up fails; ``decide`` turns each other one into ready
    results (unchanged) and tasks for ``work``.
    """
    seen: set[str] = set()

    def planned() -> Iterator[_Task | _Done]:
        for source in _sources(project, progress):
            if isinstance(source, _Done):
                yield source
            else:
                seen.add(source.files.name)
                yield from decide(source)

    outcomes: list[Outcome] = []
    for done in _run_tasks(work, planned(), articles, jobs):
        outcomes.extend(done.outcomes)
        for slot, record in done.records.items():
            if record is None:
                run_state.forget(stage, done.article, slot)
            else:
                run_state.remember(stage, done.article, slot, record)
    run_state.keep_only(seen)
    _save_state(run_state)
    return StageResult(stage, tuple(outcomes))


class _Work:
    """One stage's work on one article, given the project and the stage's options."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._glossary: Glossary | None = None

    def __getstate__(self) -> dict[str, object]:
        # The glossary is read again in each worker process rather than pickled.
        return {**self.__dict__, "_glossary": None}

    @property
    def glossary(self) -> Glossary:
        """The project's glossary as far as it reads; 'glossary check' reports its problems."""
        if self._glossary is None:
            self._glossary = _read_glossary(self.project)
        return self._glossary

    def __call__(self, task: _Task, articles: ArticleCache, batch: WriteBatch) -> _Done:
        raise NotImplementedError


class _ExtractArticle(_Work):
    """Write an article's template and update its catalogs."""

    def __init__(self, project: Project, now: datetime) -> None:
        super().__init__(project)
        self.now = now

    def __call__(self, task: _Task, articles: ArticleCache, batch: WriteBatch) -> _Done:
        from .glossary import annotate_article

        project, files = self.project, task.source.files
        done = _Done(files.name)
        article = _segment(task.source, done.outcomes, articles)
        if article is None:
            return done
        article = annotate_article(article, self.glossary)
        pot_path = project.template_path(files.name)
        shown = project.relative(pot_path)
        template = catalog.template_from_article(
            article, created=self.now, source_language=project.source_language
        )
        try:
            old_template = catalog.read_catalog(pot_path, display_path=shown)
        except (FileNotFoundError, LocpipeError):
            old_template = None  # a template is generated, never edited: rebuild it
        template = catalog.refresh_template(template, old_template)
        data = catalog.catalog_bytes(template)
        status = Status.WRITTEN if batch.write(pot_path, data) else Status.UNCHANGED
        units, entries = len(article.units), catalog.count_catalog(template).entries
        outcome = Outcome(files.name, None, status, shown, units=units, entries=entries)
        record = {"key": task.keys[""], "outputs": {"file": state.digest(data)}}
        done.add("", outcome, {**record, "units": units, "entries": entries})
        for language in task.languages:
            outcome, written = self._update(files, template, language, batch)
            done.add(language, outcome, {"key": task.keys[language], "outputs": {"file": written}})
        return done

    def _update(
        self, files: ArticleFiles, template: catalog.Catalog, language: str, batch: WriteBatch
    ) -> tuple[Outcome, str]:
        """Create or update one catalog, leaving it untouched if it cannot be read.

        Returns the outcome and the hash of what the catalog holds once the batch is written.
        """
        po_path = self.project.catalog_path(language, files.name)
        shown = self.project.relative(po_path)
        try:
            existing = catalog.read_catalog(po_path, language=language, display_path=shown)
        except FileNotFoundError:
            existing = None
        except LocpipeError as exc:
            detail = f"{exc} (file left as it was)"
            return Outcome(files.name, language, Status.FAILED, shown, detail), state.ABSENT
        updated = catalog.update_catalog(template, existing, language=language, now=self.now)
        data = catalog.catalog_bytes(updated)
        status = Status.WRITTEN if batch.write(po_path, data) else Status.UNCHANGED
        return Outcome(files.name, language, status, shown), state.digest(data)


# Running the work: inline, or in worker processes when there is enough of it.

_CHUNK = 32  # articles per message to a worker: large enough to hide the pickling
_PARALLEL_MIN = 2 * _CHUNK  # fewer articles than this are done inline


def default_jobs() -> int:
    """Worker processes to use by default: one per CPU this process may run on, up to 8."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, 8))


def _run_tasks(
    work: _Work, items: Iterable[_Task | _Done], articles: ArticleCache | None, jobs: int
) -> Iterator[_Done]:
    """Each item's result in order: a task done by ``work``, a result passed through.

    Items are read as they come, so an article's bytes are held only while it is worked
    on.  With ``jobs`` above 1 and enough tasks, chunks of items go to worker processes,
    a few chunks per worker in flight at a time.
    """
    items = iter(items)
    head: list[_Task | _Done] = []
    tasks = 0
    if jobs > 1:
        for item in items:
            head.append(item)
            tasks += isinstance(item, _Task)
            if tasks >= _PARALLEL_MIN:
                break
    import multiprocessing

    # Where there is no fork (Windows), workers would start slowly: do the work inline.
    if tasks < _PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        yield from _run_chunk(work, itertools.chain(head, items), articles)
        return
    from concurrent.futures import Future, ProcessPoolExecutor

    # fork starts a worker in milliseconds, and this process runs no thread of its own
    # here: writes happen in the workers, and pretranslation's threads have ended.
    context = multiprocessing.get_context("fork")
    in_flight: deque[Future[list[_Done]]] = deque()
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        for chunk in _chunks(itertools.chain(head, items), _CHUNK):
            in_flight.append(pool.submit(_run_chunk, work, chunk))
            if len(in_flight) >= 2 * jobs:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()


def _chunks(items: Iterable[_Task | _Done], size: int) -> Iterator[list[_Task | _Done]]:
    """Consecutive lists of ``size`` items, the last one shorter."""
    chunk: list[_Task | _Done] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run_chunk(
    work: _Work, items: Iterable[_Task | _Done], articles: ArticleCache | None = None
) -> list[_Done]:
    """Do a chunk's tasks, wait for their files, and fail outcomes whose file was not written."""
    # Alone, a stage keeps no article: only a run's next stage would use one.
    articles = ArticleCache(limit=0) if articles is None else articles
    with WriteBatch() as batch:
        results = [
            work(item, articles, batch) if isinstance(item, _Task) else item for item in items
        ]
        failures = {work.project.relative(path): e for path, e in batch.close().items()}
    if failures:
        for done in results:
            _fail_unwritten(done, failures)
    return results


def _fail_unwritten(done: _Done, failures: dict[str, OSError]) -> None:
    """An outcome whose file could not be written becomes failed, and is not remembered."""
    for index, outcome in enumerate(done.outcomes):
        error = failures.get(outcome.path)
        if error is None or outcome.status is not Status.WRITTEN:
            continue
        detail = f"{outcome.path}: cannot write: {error.strerror or error}"
        done.outcomes[index] = dataclasses.replace(outcome, status=Status.FAILED, detail=detail)
        done.records[outcome.language or ""] = None


def build(
    project: Project,
    languages: Iterable[str],
    *,
    min_translated: float = 0.8,
    include_fuzzy: bool = False,
    include_machine: bool = True,
    strict: bool = False,
    progress: Progress | None = None,
    articles: ArticleCache | None = None,
    incremental: bool = True,
    jobs: int = 1,
) -> StageResult:
    """Write each localized article whose catalog is translated enough.

    Error-level quality checks run on what is published and are reported in the outcomes;
    with ``strict`` an article with such errors is skipped instead of written.  An output
    whose source, catalog, glossary, configuration and options are as the last run left
    them, and which still holds what was written, is skipped (reported unchanged) unless
    ``incremental`` is false.  ``jobs`` is as for :func:`extract`.
    """
    languages = tuple(languages)
    run_state = _open_state(project, incremental)
    options = _BuildOptions(min_translated, include_fuzzy, include_machine, strict)
    inputs = (
        state.file_digest(project.config_path),
        state.folder_digest(project.glossary_dir),
        *dataclasses.astuple(options),
    )

    def decide(source: _Source) -> Iterator[_Task | _Done]:
        files = source.files
        unchanged = _Done(files.name)
        to_do: dict[str, str] = {}
        for language in languages:
            # The key includes the catalog, so each language has its own.
            po_digest = state.file_digest(project.catalog_path(language, files.name))
            key = state.make_key("build", files.reference, source.digest, po_digest, *inputs)
            out_path = project.output_path(language, files)
            if run_state.is_current("build", files.name, language, key, {"file": out_path}):
                shown = project.relative(out_path)
                unchanged.outcomes.append(Outcome(files.name, language, Status.UNCHANGED, shown))
            else:
                to_do[language] = key
        if unchanged.outcomes:
            yield unchanged
        if to_do:
            yield _Task(source, to_do)

    work = _BuildArticle(project, options)
    return _run_stage("build", project, run_state, work, decide, progress, articles, jobs)


@dataclass(frozen=True, slots=True)
class _BuildOptions:
    """What build publishes, and where it draws the line."""

    min_translated: float
    include_fuzzy: bool
    include_machine: bool
    strict: bool


class _BuildArticle(_Work):
    """Assemble an article in the languages that need it."""

    def __init__(self, project: Project, options: _BuildOptions) -> None:
        super().__init__(project)
        self.options = options

    def __call__(self, task: _Task, articles: ArticleCache, batch: WriteBatch) -> _Done:
        files = task.source.files
        done = _Done(files.name)
        article = _segment(task.source, done.outcomes, articles)
        if article is None:
            return done
        for language in task.languages:
            outcome, written = self._build_one(files, article, language, batch)
            done.add(language, outcome, {"key": task.keys[language], "outputs": {"file": written}})
        return done

    def _build_one(
        self, files: ArticleFiles, article: Article, language: str, batch: WriteBatch
    ) -> tuple[Outcome, str]:
        """Assemble one article in one language, or say why not.

        Returns the outcome and the hash of what the output holds once the batch is written.
        """
        project, options = self.project, self.options
        po_path = project.catalog_path(language, files.name)
        out_path = project.output_path(language, files)
        shown = project.relative(out_path)
        try:
            po = catalog.read_catalog(
                po_path, language=language, display_path=project.relative(po_path)
            )
        except FileNotFoundError:
            detail = f"no catalog {project.relative(po_path)}: run 'locpipe extract' first"
            return Outcome(files.name, language, Status.SKIPPED, shown, detail), state.ABSENT
        except LocpipeError as exc:
            return Outcome(files.name, language, Status.FAILED, shown, str(exc)), state.ABSENT
        published = catalog.translations(
            po, include_fuzzy=options.include_fuzzy, include_machine=options.include_machine
        )
        result = assemble_article(article, published)
        if result.translated_share < options.min_translated:
            detail = (
                f"{result.translated_entries} of {result.total_entries} entries translated "
                f"({result.translated_share:.0%}, below the {options.min_translated:.0%} "
                "threshold)"
            )
            return Outcome(files.name, language, Status.SKIPPED, shown, detail), state.ABSENT
        from .checks import check_catalog

        states = catalog.published_states(
            include_fuzzy=options.include_fuzzy, include_machine=options.include_machine
        )
        errors = tuple(
            problem
            for problem in check_catalog(
                po,
                path=project.relative(po_path),
                glossary=self.glossary,
                language=language,
                severities=project.check.severities,
                length=_length_bounds(project),
                states=states,
                errors_only=True,
            )
        )
        if options.strict and errors:
            detail = f"{len(errors)} quality check errors (build --strict publishes none)"
            skipped = Outcome(files.name, language, Status.SKIPPED, shown, detail, findings=errors)
            return skipped, state.ABSENT
        data = result.text.encode("utf-8")
        status = Status.WRITTEN if batch.write(out_path, data) else Status.UNCHANGED
        return Outcome(files.name, language, status, shown, findings=errors), state.digest(data)


def _read_glossary(project: Project) -> Glossary:
    """The project's glossary as far as it reads; 'glossary check' reports its problems."""
    from .glossary import read_glossary

    return read_glossary(
        project.glossary_dir,
        languages=project.languages,
        display=project.relative(project.glossary_dir),
    )


def _length_bounds(project: Project) -> LengthBounds:
    from .checks import LengthBounds

    config = project.check
    return LengthBounds(config.min_length_ratio, config.max_length_ratio, config.min_length)


def check(
    project: Project, languages: Iterable[str], *, files: Iterable[Path] = ()
) -> tuple[Problem, ...]:
    """Quality check problems in the catalogs of these languages, or only in ``files``.

    A catalog that cannot be read is a :class:`~locpipe.errors.CatalogError`.
    """
    from .checks import check_catalog

    glossary = _read_glossary(project)
    chosen = set(languages)
    wanted = {path.resolve() for path in files}
    problems: list[Problem] = []
    for language in project.languages:
        folder = project.locales_dir / language
        if language not in chosen or not folder.is_dir():
            continue
        for po_path in sorted(folder.rglob("*.po")):
            if wanted and po_path.resolve() not in wanted:
                continue
            shown = project.relative(po_path)
            po = catalog.read_catalog(po_path, language=language, display_path=shown)
            problems.extend(
                check_catalog(
                    po,
                    path=shown,
                    glossary=glossary,
                    language=language,
                    severities=project.check.severities,
                    length=_length_bounds(project),
                )
            )
            wanted.discard(po_path.resolve())
    if wanted:
        raise ConfigError(
            "not a catalog of the chosen languages (locales/<lang>/*.po)",
            path=min(wanted).as_posix(),
        )
    return tuple(problems)


def stats(project: Project, languages: Iterable[str]) -> tuple[StatsRow, ...]:
    """Per language and article: entries and words translated, fuzzy, untranslated."""
    rows: list[StatsRow] = []
    for language in languages:
        for files in project.articles():
            po_path = project.catalog_path(language, files.name)
            shown = project.relative(po_path)
            try:
                po = catalog.read_catalog(po_path, language=language, display_path=shown)
            except FileNotFoundError:
                rows.append(StatsRow(language, files.name, None, shown))
                continue
            rows.append(StatsRow(language, files.name, catalog.count_catalog(po), shown))
    return tuple(rows)
