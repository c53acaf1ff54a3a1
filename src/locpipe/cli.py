"""The ``locpipe`` command: parses arguments, calls one stage, prints its result.

Exit codes: 0 all done, 1 some articles skipped or failed, 2 usage or configuration error.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import ConfigError, GlossaryError, LocpipeError

if TYPE_CHECKING:
    from .pipeline import ArticleCache, StageResult
    from .pretranslate import PretranslateResult
    from .project import ArticleFiles, Project

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2


class _Group(click.Group):
    """The one place where library errors become one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LocpipeError as exc:
            if ctx.meta.get("debug"):
                raise
            click.echo(f"locpipe: error: {exc}", err=True)
            usage = isinstance(exc, ConfigError | GlossaryError)
            ctx.exit(EXIT_USAGE if usage else EXIT_SKIPPED)
        except (OSError, UnicodeError) as exc:
            if ctx.meta.get("debug"):
                raise
            click.echo(f"locpipe: error: {exc}", err=True)
            ctx.exit(EXIT_SKIPPED)


project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    envvar="LOCPIPE_PROJECT",
    show_default=True,
    help="The project folder (holding locpipe.toml).",
)
lang_option = click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="LANG",
    help="Only this target language (repeatable). Default: all in locpipe.toml.",
)
min_translated_option = click.option(
    "--min-translated",
    type=click.IntRange(0, 100),
    default=80,
    show_default=True,
    help="Percent of units that must be translated for an article to be written.",
)
fuzzy_option = click.option(
    "--include-fuzzy", is_flag=True, help="Use fuzzy (needs review) translations too."
)
reviewed_option = click.option(
    "--reviewed-only",
    is_flag=True,
    help="Leave out machine translations no person has reviewed yet.",
)
engine_option = click.option(
    "--engine", "engine_name", default=None, help="Use this engine for every language."
)
dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Only report what would be sent to each engine."
)
jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(0),
    default=0,
    envvar="LOCPIPE_JOBS",
    help="Worker processes for extract and build: 0 (default) means one per CPU, up to 8; "
    "1 means none.  Used from 64 articles that need work.",
)
format_option = click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table"
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="locpipe")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Cut Dutch articles into PO files, and rebuild localized articles from them."""
    ctx.meta["debug"] = debug


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--source", "source_language", default="nl", show_default=True)
@click.option(
    "--languages", default="en,de", show_default=True, help="Comma-separated target languages."
)
def init(directory: Path, source_language: str, languages: str) -> None:
    """Create a project skeleton: locpipe.toml, articles/, locales/, glossary/."""
    from .project import init_project

    codes = tuple(code.strip() for code in languages.split(",") if code.strip())
    for path in init_project(directory, source_language=source_language, languages=codes):
        click.echo(f"created {path}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option
def segments(file: Path, output_format: str) -> None:
    """Show how FILE is cut into units: line, kind, section and text."""
    from .segment import segment_article

    article = segment_article(file.read_bytes(), path=file.as_posix(), name=file.stem)
    rows = [
        {
            "line": u.line,
            "kind": str(u.kind),
            "section": u.section,
            "context": u.context,
            "text": u.text,
        }
        for u in article.units
    ]
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        section = f"[{row['section']}]" if row["section"] else "-"
        text = str(row["text"]).replace("\n", "\\n")
        click.echo(f"{row['line']:>5}  {row['kind']:<17}  {section}  {text}")
    click.echo(f"{len(rows)} units", err=True)


@main.command()
@project_option
@lang_option
@jobs_option
@click.pass_context
def extract(ctx: click.Context, project_dir: Path, languages: tuple[str, ...], jobs: int) -> None:
    """Write templates and create or update every language's PO files."""
    project, chosen = _load(project_dir, languages)
    ctx.exit(_report(_extract(project, chosen, jobs=jobs)))


@main.command()
@project_option
@lang_option
@min_translated_option
@fuzzy_option
@reviewed_option
@click.option(
    "--strict", is_flag=True, help="Skip articles whose catalog fails an error-level check."
)
@jobs_option
@click.pass_context
def build(
    ctx: click.Context,
    project_dir: Path,
    languages: tuple[str, ...],
    min_translated: int,
    include_fuzzy: bool,
    reviewed_only: bool,
    strict: bool,
    jobs: int,
) -> None:
    """Write localized articles from the PO files."""
    project, chosen = _load(project_dir, languages)
    result = _build(
        project, chosen, min_translated, include_fuzzy, reviewed_only, strict=strict, jobs=jobs
    )
    ctx.exit(_report(result))


@main.command()
@project_option
@lang_option
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.pass_context
def check(
    ctx: click.Context,
    project_dir: Path,
    languages: tuple[str, ...],
    files: tuple[Path, ...],
    output_format: str,
    strict: bool,
) -> None:
    """Run quality checks on translations; FILES limits them to these PO files."""
    from . import pipeline

    project, chosen = _load(project_dir, languages)
    problems = pipeline.check(project, chosen, files=files)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if output_format == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        click.echo(f"check: {errors} errors, {warnings} warnings")
    ctx.exit(EXIT_SKIPPED if errors or (strict and warnings) else EXIT_OK)


@main.command()
@project_option
@lang_option
@engine_option
@dry_run_option
@click.pass_context
def pretranslate(
    ctx: click.Context,
    project_dir: Path,
    languages: tuple[str, ...],
    engine_name: str | None,
    dry_run: bool,
) -> None:
    """Fill untranslated entries from translation memory, then by machine translation."""
    project, chosen = _load(project_dir, languages)
    ctx.exit(_report_pretranslate(_pretranslate(project, chosen, engine_name, dry_run)))


@main.command()
@project_option
@lang_option
@min_translated_option
@fuzzy_option
@reviewed_option
@engine_option
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write what the run did as JSON (schemas/run-report.schema.json) to this file.",
)
@jobs_option
@click.pass_context
def run(
    ctx: click.Context,
    project_dir: Path,
    languages: tuple[str, ...],
    min_translated: int,
    include_fuzzy: bool,
    reviewed_only: bool,
    engine_name: str | None,
    report_path: Path | None,
    jobs: int,
) -> None:
    """Extract, pretranslate, then build: the whole job for batch runs."""
    from .pipeline import ArticleCache

    project, chosen = _load(project_dir, languages)
    started, seconds = datetime.now(UTC), dict[str, float]()
    clock = time.monotonic()
    articles = ArticleCache()  # an article segmented by extract is not segmented again by build
    extracted = _extract(project, chosen, articles, jobs=jobs)
    seconds[extracted.stage], clock = time.monotonic() - clock, time.monotonic()
    exit_code = _report(extracted)
    pretranslated = _pretranslate(project, chosen, engine_name, False)
    seconds[pretranslated.stage], clock = time.monotonic() - clock, time.monotonic()
    exit_code = max(exit_code, _report_pretranslate(pretranslated))
    built = _build(
        project,
        chosen,
        min_translated,
        include_fuzzy,
        reviewed_only,
        articles=articles,
        jobs=jobs,
    )
    seconds[built.stage] = time.monotonic() - clock
    exit_code = max(exit_code, _report(built))
    if report_path is not None:
        from .fileio import write_atomic
        from .report import run_report

        document = run_report(
            extracted=extracted,
            pretranslated=pretranslated,
            built=built,
            started=started,
            finished=datetime.now(UTC),
            stage_seconds=seconds,
            options={
                "languages": list(chosen),
                "engine": engine_name,
                "min_translated": min_translated,
                "include_fuzzy": include_fuzzy,
                "reviewed_only": reviewed_only,
            },
        )
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        write_atomic(report_path, text.encode("utf-8"))
    ctx.exit(exit_code)


def _extract(
    project: Project,
    languages: tuple[str, ...],
    articles: ArticleCache | None = None,
    *,
    jobs: int = 0,
) -> StageResult:
    from . import pipeline

    with _progress(project, "extract") as progress:
        return pipeline.extract(
            project,
            languages,
            now=_now(),
            progress=progress,
            articles=articles,
            jobs=jobs or pipeline.default_jobs(),
        )


def _build(
    project: Project,
    languages: tuple[str, ...],
    min_translated: int,
    include_fuzzy: bool,
    reviewed_only: bool,
    *,
    strict: bool = False,
    articles: ArticleCache | None = None,
    jobs: int = 0,
) -> StageResult:
    from . import pipeline

    with _progress(project, "build") as progress:
        return pipeline.build(
            project,
            languages,
            min_translated=min_translated / 100,
            include_fuzzy=include_fuzzy,
            include_machine=not reviewed_only,
            strict=strict,
            progress=progress,
            articles=articles,
            jobs=jobs or pipeline.default_jobs(),
        )


def _pretranslate(
    project: Project, languages: tuple[str, ...], engine_name: str | None, dry_run: bool
) -> PretranslateResult:
    from .cache import TranslationCache
    from .engines import ENGINES
    from .glossary import load_glossary
    from .pretranslate import pretranslate

    if engine_name is not None and engine_name not in ENGINES:
        raise ConfigError(f"--engine {engine_name}: unknown (known: {', '.join(sorted(ENGINES))})")
    glossary = load_glossary(
        project.glossary_dir,
        languages=project.languages,
        display=project.relative(project.glossary_dir),
    )
    # A dry run only reads the cache; it creates nothing on disk.
    cache = (
        TranslationCache(project.cache_path) if not dry_run or project.cache_path.exists() else None
    )
    try:
        return pretranslate(
            project,
            languages,
            glossary=glossary,
            now=_now(),
            engine_name=engine_name,
            dry_run=dry_run,
            cache=cache,
            progress=_MachineProgress() if sys.stderr.isatty() else None,
        )
    finally:
        if cache:
            cache.close()


class _MachineProgress:
    """One self-overwriting status line per language, on a terminal only."""

    def __init__(self) -> None:
        self.done: dict[str, int] = {}

    def __call__(self, language: str, count: int) -> None:
        self.done[language] = self.done.get(language, 0) + count
        click.echo(f"\r  {language}: {self.done[language]} texts translated", nl=False, err=True)


def _report_pretranslate(result: PretranslateResult) -> int:
    """One line per language saying what was filled, and how, and what went wrong."""
    if sys.stderr.isatty():
        click.echo("\r\033[K", nl=False, err=True)
    for outcome in result.problems:
        click.echo(f"pretranslate: {outcome.status} {outcome.path}: {outcome.detail}", err=True)
    for s in result.languages:
        head = f"pretranslate {s.language} ({s.engine})"
        if result.dry_run:
            click.echo(
                f"{head}: dry run: {s.entries} entries; {s.from_memory} from memory, "
                f"{s.fuzzy_from_memory} fuzzy from memory, {s.cached} cached; "
                f"{s.characters} characters would be sent" + (f"; {s.error}" if s.error else "")
            )
            continue
        if s.error:
            click.echo(f"{head}: {s.error}; {s.untranslated} entries left untranslated", err=True)
        click.echo(
            f"{head}: {s.entries} entries: {s.from_memory} from memory, "
            f"{s.fuzzy_from_memory} fuzzy from memory, {s.machine} machine-translated, "
            f"{s.failed_verification} failed verification, {s.untranslated} untranslated; "
            f"{s.requests} requests, {s.characters} characters sent"
        )
    return result.exit_code


@main.group()
def glossary() -> None:
    """Work with the project's glossary."""


@glossary.command("check")
@project_option
@click.pass_context
def glossary_check(ctx: click.Context, project_dir: Path) -> None:
    """Validate every glossary file: duplicates, conflicts, unknown languages, empty terms."""
    from .glossary import read_glossary

    project, _ = _load(project_dir, ())
    found = read_glossary(
        project.glossary_dir,
        languages=project.languages,
        display=project.relative(project.glossary_dir),
    )
    for problem in found.problems:
        click.echo(str(problem), err=True)
    errors = len(found.errors)
    warnings = len(found.problems) - errors
    click.echo(f"glossary: {len(found.terms)} terms, {errors} errors, {warnings} warnings")
    ctx.exit(EXIT_SKIPPED if errors else EXIT_OK)


@glossary.command("suggest")
@project_option
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Suggest names and acronyms seen at least this often (single words: at least twice).",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many rows.")
def glossary_suggest(project_dir: Path, min_count: int, limit: int | None) -> None:
    """Print candidate terms from the source articles as glossary CSV rows, best first."""
    from .glossary import read_glossary
    from .terminology import project_texts, stop_words_for, suggest_terms, suggestions_to_csv

    project, _ = _load(project_dir, ())
    known = read_glossary(project.glossary_dir, languages=project.languages)
    found = suggest_terms(
        project_texts(project),
        known,
        stop_words=stop_words_for(project.source_language),
        min_count=min_count,
        limit=limit,
    )
    click.echo(suggestions_to_csv(found, project.languages), nl=False)
    click.echo(f"glossary suggest: {len(found)} candidate terms not in the glossary", err=True)


@main.group()
def tm() -> None:
    """Exchange translation memory with other tools as TMX 1.4b."""


@tm.command("export")
@project_option
@click.option("--lang", "language", required=True, metavar="LANG", help="The target language.")
@click.option(
    "--include-machine", is_flag=True, help="Add unreviewed machine translations, marked."
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def tm_export(project_dir: Path, language: str, include_machine: bool, file: Path) -> None:
    """Write every reviewed translation of one language to FILE as TMX."""
    from .tmx import export_tmx

    project, _ = _load(project_dir, (language,))
    done = export_tmx(project, language, file, include_machine=include_machine)
    state = "written" if done.written else "unchanged"
    click.echo(f"tm export {language}: {done.units} units ({done.machine} machine): {state} {file}")


@tm.command("import")
@project_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def tm_import(project_dir: Path, file: Path) -> None:
    """Copy the TMX memory FILE into tm/, where pretranslation reuses it."""
    from .tmx import import_tmx

    project, _ = _load(project_dir, ())
    done = import_tmx(project, file)
    state = "written" if done.written else "unchanged"
    languages = ", ".join(done.languages) or "none"
    click.echo(
        f"tm import: {done.units} units ({languages}): {state} {project.relative(done.stored)}"
    )


@main.command()
@project_option
@lang_option
@format_option
@min_translated_option
def stats(
    project_dir: Path, languages: tuple[str, ...], output_format: str, min_translated: int
) -> None:
    """Per language and article: entries and words translated, fuzzy, untranslated."""
    from . import pipeline
    from .report import stats_to_dict

    project, chosen = _load(project_dir, languages)
    rows = pipeline.stats(project, chosen)
    if output_format == "json":
        payload = stats_to_dict(rows, min_translated=min_translated)
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    columns = ("translated", "machine", "fuzzy", "untranslated")
    click.echo(
        f"{'lang':<6} {'article':<24} " + " ".join(f"{c:>13}" for c in columns) + "  done  build"
    )
    for r in rows:
        if r.stats is None:
            click.echo(f"{r.language:<6} {r.article:<24} no catalog: run 'locpipe extract'")
            continue
        counts = r.stats.as_dict()
        cells = " ".join(f"{_pair(counts[c], counts[c + '_words']):>13}" for c in columns)
        build = "yes" if r.publishable(min_translated / 100) else "no"
        click.echo(
            f"{r.language:<6} {r.article:<24} {cells} {r.stats.percent_translated:>4.0f}%"
            f"  {build:>5}"
        )
    click.echo(
        f"(entries/words; done: reviewed translations; build: published by 'locpipe build' "
        f"at {min_translated}%, counting machine translations)"
    )


def _pair(entries: float, words: float) -> str:
    return f"{entries:.0f}/{words:.0f}"


def _load(project_dir: Path, languages: tuple[str, ...]) -> tuple[Project, tuple[str, ...]]:
    """Load the project and check that the requested languages are configured."""
    from .project import load_project

    project = load_project(project_dir)
    for code in languages:
        if code not in project.languages:
            configured = ", ".join(project.languages)
            raise ConfigError(f"--lang {code}: not a language of this project ({configured})")
    return project, languages or project.languages


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@contextmanager
def _progress(project: Project, label: str) -> Iterator[Callable[[Any], None] | None]:
    """A progress bar on a terminal for batches; nothing at all when output is piped."""
    total = sum(1 for _ in project.articles())
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    import time

    started = time.monotonic()
    done = [0]

    def current(name: str | None) -> str:
        if name is None:
            return ""
        rate = done[0] / max(time.monotonic() - started, 1e-6)
        return f"{name} ({rate:.0f} articles/s)"

    def advance(files: ArticleFiles) -> None:
        done[0] += 1
        bar.update(1, files.name)

    with click.progressbar(
        length=total, label=label, file=sys.stderr, show_pos=True, item_show_func=current
    ) as bar:
        yield advance


def _report(result: StageResult) -> int:
    """Print the problems, one line each, then a one-line summary; return the exit code."""
    from .pipeline import Status

    for outcome in result.problems:
        where = f"{outcome.language}/" if outcome.language else ""
        click.echo(
            f"{result.stage}: {outcome.status} {where}{outcome.article}: {outcome.detail}", err=True
        )
    for problem in result.findings:
        click.echo(f"{result.stage}: check: {problem}", err=True)
    counts = ", ".join(
        f"{result.count(status)} {status}" for status in Status if result.count(status)
    )
    articles = len({o.article for o in result.outcomes})
    languages = len({o.language for o in result.outcomes if o.language})
    scope = (
        f"{articles} article{'s' * (articles != 1)}, {languages} language{'s' * (languages != 1)}"
    )
    click.echo(f"{result.stage}: {scope}: {counts or 'nothing to do'}")
    return result.exit_code


if __name__ == "__main__":  # pragma: no cover
    main()
