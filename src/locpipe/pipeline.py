"""The project-wide stages: extract, build and stats over every article and language.

Each article is read and segmented once, then handled for every language; a problem with
one article or catalog is recorded in the result and the run goes on with the rest.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
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


def _sources(
    project: Project, outcomes: list[Outcome], progress: Progress | None
) -> Iterator[_Source]:
    """Each article's bytes; unreadable and clashing ones are recorded as failed."""
    all_files = list(project.articles())
    clashes = Counter(f.name for f in all_files)
    for files in all_files:
        if progress:
            progress(files)
        if clashes[files.name] > 1:
            others = sorted(f.reference for f in all_files if f.name == files.name)
            detail = f"{' and '.join(others)} would share one catalog; rename one"
            outcomes.append(Outcome(files.name, None, Status.FAILED, files.reference, detail))
            continue
        try:
            data = files.source.read_bytes()
        except OSError as exc:
            detail = f"{files.reference}: cannot read: {exc.strerror}"
            outcomes.append(Outcome(files.name, None, Status.FAILED, files.reference, detail))
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
) -> StageResult:
    """Write each article's template and create or update its catalog in every language.

    An article whose source, catalogs, glossary and configuration are as the last run left
    them is skipped (reported unchanged) unless ``incremental`` is false; ``articles``
    shares segmented articles between the stages of one run.
    """
    from .glossary import annotate_article, read_glossary

    languages = tuple(languages)
    outcomes: list[Outcome] = []
    articles = ArticleCache() if articles is None else articles
    run_state = _open_state(project, incremental)
    inputs = (
        state.file_digest(project.config_path),
        state.folder_digest(project.glossary_dir),
        project.source_language,
    )
    glossary: Glossary | None = None
    seen: set[str] = set()
    batch = WriteBatch()
    for source in _sources(project, outcomes, progress):
        files = source.files
        seen.add(files.name)
        key = state.make_key("extract", files.reference, source.digest, *inputs)
        pot_path = project.template_path(files.name)
        po_paths = {code: project.catalog_path(code, files.name) for code in languages}
        skipped = _unchanged_extract(project, run_state, files, key, pot_path, po_paths)
        if skipped is not None:
            outcomes.extend(skipped)
            continue
        article = _segment(source, outcomes, articles)
        if article is None:
            continue
        if glossary is None:
            # Problems in the glossary are for 'glossary check' to report; notes use what reads.
            glossary = read_glossary(
                project.glossary_dir,
                languages=project.languages,
                display=project.relative(project.glossary_dir),
            )
        article = annotate_article(article, glossary)
        shown = project.relative(pot_path)
        template = catalog.template_from_article(
            article, created=now, source_language=project.source_language
        )
        try:
            old_template = catalog.read_catalog(pot_path, display_path=shown)
        except (FileNotFoundError, LocpipeError):
            old_template = None  # a template is generated, never edited: rebuild it
        template = catalog.refresh_template(template, old_template)
        data = catalog.catalog_bytes(template)
        written = batch.write(pot_path, data)
        entries = catalog.count_catalog(template).entries
        outcomes.append(
            Outcome(
                files.name,
                None,
                Status.WRITTEN if written else Status.UNCHANGED,
                shown,
                units=len(article.units),
                entries=entries,
            )
        )
        run_state.remember(
            "extract",
            files.name,
            "",
            {
                "key": key,
                "outputs": {"file": state.digest(data)},
                "units": len(article.units),
                "entries": entries,
            },
        )
        for language in languages:
            outcome, written_digest = _update_one(project, files, template, language, now, batch)
            outcomes.append(outcome)
            if _done(outcome):
                record = {"key": key, "outputs": {"file": written_digest}}
                run_state.remember("extract", files.name, language, record)
            else:
                run_state.forget("extract", files.name, language)
    _settle_writes(project, batch, outcomes, run_state, "extract")
    run_state.keep_only(seen)
    _save_state(run_state)
    return StageResult("extract", tuple(outcomes))


def _unchanged_extract(
    project: Project,
    run_state: state.RunState,
    files: ArticleFiles,
    key: str,
    pot_path: Path,
    po_paths: dict[str, Path],
) -> list[Outcome] | None:
    """The unchanged outcomes of an article extract need not touch, or None to extract it."""
    if not run_state.is_current("extract", files.name, "", key, {"file": pot_path}):
        return None
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


def _update_one(
    project: Project,
    files: ArticleFiles,
    template: catalog.Catalog,
    language: str,
    now: datetime,
    batch: WriteBatch,
) -> tuple[Outcome, str]:
    """Create or update one catalog, leaving it untouched if it cannot be read.

    Returns the outcome and the hash of what the catalog holds once the batch is written.
    """
    po_path = project.catalog_path(language, files.name)
    shown = project.relative(po_path)
    try:
        existing = catalog.read_catalog(po_path, language=language, display_path=shown)
    except FileNotFoundError:
        existing = None
    except LocpipeError as exc:
        failed = Outcome(files.name, language, Status.FAILED, shown, f"{exc} (file left as it was)")
        return failed, state.ABSENT
    updated = catalog.update_catalog(template, existing, language=language, now=now)
    data = catalog.catalog_bytes(updated)
    written = batch.write(po_path, data)
    status = Status.WRITTEN if written else Status.UNCHANGED
    return Outcome(files.name, language, status, shown), state.digest(data)


def _settle_writes(
    project: Project,
    batch: WriteBatch,
    outcomes: list[Outcome],
    run_state: state.RunState,
    stage: str,
) -> None:
    """Wait for a stage's writes; an outcome whose file could not be written becomes failed."""
    failures = {project.relative(path): error for path, error in batch.close().items()}
    if not failures:
        return
    for index, outcome in enumerate(outcomes):
        error = failures.get(outcome.path)
        if error is None or outcome.status is not Status.WRITTEN:
            continue
        detail = f"{outcome.path}: cannot write: {error.strerror or error}"
        outcomes[index] = dataclasses.replace(outcome, status=Status.FAILED, detail=detail)
        run_state.forget(stage, outcome.article, outcome.language or "")


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
) -> StageResult:
    """Write each localized article whose catalog is translated enough.

    Error-level quality checks run on what is published and are reported in the outcomes;
    with ``strict`` an article with such errors is skipped instead of written.  An output
    whose source, catalog, glossary, configuration and options are as the last run left
    them, and which still holds what was written, is skipped (reported unchanged) unless
    ``incremental`` is false.
    """
    languages = tuple(languages)
    outcomes: list[Outcome] = []
    articles = ArticleCache() if articles is None else articles
    run_state = _open_state(project, incremental)
    inputs = (
        state.file_digest(project.config_path),
        state.folder_digest(project.glossary_dir),
        min_translated,
        include_fuzzy,
        include_machine,
        strict,
    )
    glossary: Glossary | None = None
    seen: set[str] = set()
    batch = WriteBatch()
    for source in _sources(project, outcomes, progress):
        files = source.files
        seen.add(files.name)
        article: Article | None = None
        for language in languages:
            po_path = project.catalog_path(language, files.name)
            out_path = project.output_path(language, files)
            key = state.make_key(
                "build", files.reference, source.digest, state.file_digest(po_path), *inputs
            )
            if run_state.is_current("build", files.name, language, key, {"file": out_path}):
                outcomes.append(
                    Outcome(files.name, language, Status.UNCHANGED, project.relative(out_path))
                )
                continue
            article = article or _segment(source, outcomes, articles)
            if article is None:
                break
            if glossary is None:
                glossary = _read_glossary(project)
            outcome, written_digest = _build_one(
                project,
                files,
                article,
                language,
                min_translated,
                include_fuzzy,
                include_machine,
                glossary,
                strict,
                batch,
            )
            outcomes.append(outcome)
            if _done(outcome):
                record = {"key": key, "outputs": {"file": written_digest}}
                run_state.remember("build", files.name, language, record)
            else:
                run_state.forget("build", files.name, language)
    _settle_writes(project, batch, outcomes, run_state, "build")
    run_state.keep_only(seen)
    _save_state(run_state)
    return StageResult("build", tuple(outcomes))


def _build_one(
    project: Project,
    files: ArticleFiles,
    article: Article,
    language: str,
    min_translated: float,
    include_fuzzy: bool,
    include_machine: bool,
    glossary: Glossary,
    strict: bool,
    batch: WriteBatch,
) -> tuple[Outcome, str]:
    """Assemble one article in one language, or say why not.

    Returns the outcome and the hash of what the output holds once the batch is written.
    """
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
        po, include_fuzzy=include_fuzzy, include_machine=include_machine
    )
    result = assemble_article(article, published)
    if result.translated_share < min_translated:
        detail = (
            f"{result.translated_entries} of {result.total_entries} entries translated "
            f"({result.translated_share:.0%}, below the {min_translated:.0%} threshold)"
        )
        return Outcome(files.name, language, Status.SKIPPED, shown, detail), state.ABSENT
    from .checks import check_catalog

    states = catalog.published_states(include_fuzzy=include_fuzzy, include_machine=include_machine)
    errors = tuple(
        problem
        for problem in check_catalog(
            po,
            path=project.relative(po_path),
            glossary=glossary,
            language=language,
            severities=project.check.severities,
            length=_length_bounds(project),
            states=states,
        )
        if problem.severity == "error"
    )
    if strict and errors:
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
