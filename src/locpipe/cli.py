"""The ``locpipe`` command: parses arguments, makes one library call, prints its result.

Exit codes (:mod:`locpipe.results`): 0 all done, 1 some articles skipped or failed, 2 usage
or configuration error.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .errors import ConfigError, GlossaryError, LocpipeError
from .results import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, exit_code_for
from .segment import DIALECTS

if TYPE_CHECKING:
    from .build import BuildOptions
    from .model import Article
    from .project import ArticleFiles, Project
    from .results import StageResult
    from .summaries import PretranslateResult, RunResult


class _Group(click.Group):
    """The one place where library errors become one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (| head): nothing more to say, and nobody to say it to.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except LocpipeError as exc:
            if ctx.meta.get("debug"):
                raise
            click.echo(f"locpipe: error: {exc}", err=True)
            usage = isinstance(exc, ConfigError | GlossaryError)
            ctx.exit(EXIT_USAGE if usage else EXIT_PROBLEMS)
        except (OSError, UnicodeError) as exc:
            if ctx.meta.get("debug"):
                raise
            click.echo(f"locpipe: error: {exc}", err=True)
            ctx.exit(EXIT_PROBLEMS)


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
target_option = click.option(
    "--lang", "language", required=True, metavar="LANG", help="The target language."
)
jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(0),
    default=0,
    envvar="LOCPIPE_JOBS",
    help="Worker processes for extract and build: 0 (default) means one per CPU, up to 8; "
    "1 means none.  Used from 64 articles that need work, when the first 16, timed, show "
    "enough work for them to pay.",
)
format_option = click.option(
    "--format",
    "output_format",
    # "table" is the name stats and segments gave their text output in 0.1; scripts may use it
    type=click.Choice(["text", "json", "table"]),
    default="text",
    help="text for people (the default) or json for programs.",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="locpipe")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The project folder, for any command (it may also follow the command's name).",
)
@click.pass_context
def main(ctx: click.Context, debug: bool, project_dir: Path | None) -> None:
    """Cut Dutch articles into PO files, and rebuild localized articles from them."""
    ctx.meta["debug"] = debug
    if project_dir is not None:
        ctx.default_map = _project_defaults(main, str(project_dir))


def program() -> None:
    """The ``locpipe`` program: :func:`main`, in a process of its own.

    A stage makes millions of short-lived objects and next to no reference cycles:
    collecting every 700 of them took 4% of a new project's extract (0.12 s at 2,500
    articles) and found nothing.  So the program, which owns its process, freezes what it
    has imported and collects every 50,000; ``main`` itself, which tests and programs that
    embed locpipe call in their own process, leaves their collector as it is.  For the
    same reason it ends its process without the interpreter's teardown (:func:`_leave`).
    """
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)
    try:
        main()
    except SystemExit as done:  # click ends every command so, in standalone mode
        _leave(done)


def _leave(done: SystemExit) -> NoReturn:
    """End the process with ``done``'s status, without tearing the interpreter down.

    Freeing every module and object one by one at exit took 14 million instructions (4%
    of a stage's start-up, and 5% of the time of a 250-article extract and build) and made
    nothing safer: every file a command writes goes through its own descriptor and is
    complete on disk before the command returns.  What the teardown does that matters is
    done here, in its order: the exit handlers (which end the writer process), then the
    standard streams.  With a thread other than this one still running, or a status that
    is not a number, the interpreter ends as usual.
    """
    import atexit
    import threading

    if threading.active_count() > 1 or not isinstance(done.code, int | None):
        raise done
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        raise done from None  # the interpreter says so and exits with 120, as it would
    os._exit(done.code or 0)


def _project_defaults(group: click.Group, project: str) -> dict[str, Any]:
    """``--project`` before the command's name, as every command's own default."""
    defaults: dict[str, Any] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            defaults[name] = _project_defaults(command, project)
        elif any(param.name == "project_dir" for param in command.params):
            defaults[name] = {"project_dir": project}
    return defaults


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


dialect_option = click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    help="The site generator FILE is written for. Default: its project's markdown_dialect, "
    "else what the site's configuration above FILE implies.",
)


def _segment_file(file: Path, dialect: str | None) -> Article:
    """FILE cut into units with its project's options, in ``dialect`` if one is given."""
    from .project import segment_options_for_file
    from .segment import segment_article

    options = segment_options_for_file(file)
    if dialect is not None:
        options = dataclasses.replace(options, dialect=dialect)
    return segment_article(file.read_bytes(), path=file.as_posix(), name=file.stem, options=options)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option
@dialect_option
def segments(file: Path, output_format: str, dialect: str | None) -> None:
    """Show how FILE is cut into units: line, kind, section and text."""
    article = _segment_file(file, dialect)
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
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--expansion",
    type=click.FloatRange(0, 3),
    default=0.35,
    show_default=True,
    help="How much longer every text becomes (0.35: a third longer).",
)
@dialect_option
def pseudo(file: Path, expansion: float, dialect: str | None) -> None:
    """Print FILE pseudo-translated: every text accented, framed in ⟦ ⟧ and made longer,
    with code, links, tags and shortcodes kept, to see how a translation will sit."""
    from .assemble import assemble_article
    from .pseudo import pseudo_translations

    article = _segment_file(file, dialect)
    built = assemble_article(article, pseudo_translations(article, expansion=expansion))
    click.echo(built.text, nl=False)


@main.command()
@project_option
@lang_option
@jobs_option
@click.pass_context
def extract(ctx: click.Context, project_dir: Path, languages: tuple[str, ...], jobs: int) -> None:
    """Write templates and create or update every language's PO files."""
    from . import api

    project = api.load_project(project_dir)
    with _progress(project, "extract") as progress:
        result = api.extract(project, languages or None, progress=progress, jobs=jobs)
    ctx.exit(_report(result))


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
    from . import api

    project = api.load_project(project_dir)
    options = _build_options(min_translated, include_fuzzy, reviewed_only, strict)
    with _progress(project, "build") as progress:
        result = api.build(
            project, languages or None, options=options, progress=progress, jobs=jobs
        )
    ctx.exit(_report(result))


@main.command()
@project_option
@lang_option
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option
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
    from . import api

    project = api.load_project(project_dir)
    result = api.check(project, languages or None, files=files, strict=strict)
    for outcome in result.problems:
        click.echo(f"check: {outcome.status} {outcome.path}: {outcome.detail}", err=True)
    if output_format == "json":
        findings = [p.as_dict() for p in result.findings]
        click.echo(json.dumps(findings, ensure_ascii=False, indent=2))
    else:
        for problem in result.findings:
            click.echo(str(problem))
        unreadable = f", {len(result.problems)} unreadable catalogs" if result.problems else ""
        click.echo(f"check: {result.errors} errors, {result.warnings} warnings{unreadable}")
    ctx.exit(result.exit_code)


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
    from . import api

    project = api.load_project(project_dir)
    result = api.pretranslate(
        project,
        languages or None,
        engine_name=engine_name,
        dry_run=dry_run,
        progress=_MachineProgress() if sys.stderr.isatty() else None,
    )
    ctx.exit(_report_pretranslate(result))


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
    from . import api

    project = api.load_project(project_dir)
    started = datetime.now(UTC)
    options = _build_options(min_translated, include_fuzzy, reviewed_only)
    with _progress(project, "run") as progress:
        result = api.run_project(
            project,
            languages or None,
            options=options,
            engine_name=engine_name,
            progress=progress,
            machine_progress=_MachineProgress() if sys.stderr.isatty() else None,
            on_stage=_report_stage,
            jobs=jobs,
        )
    if report_path is not None:
        _write_report(report_path, result, options, started, project, languages, engine_name)
    ctx.exit(result.exit_code)


def _report_stage(result: StageResult | PretranslateResult) -> None:
    """Print one stage of a run as soon as it is done."""
    from .summaries import PretranslateResult

    if isinstance(result, PretranslateResult):
        _report_pretranslate(result)
    else:
        _report(result)


def _write_report(
    path: Path,
    result: RunResult,
    options: BuildOptions,
    started: datetime,
    project: Project,
    languages: tuple[str, ...],
    engine_name: str | None,
) -> None:
    """Write the run --report document atomically."""
    from .api import chosen_languages
    from .fileio import write_atomic
    from .report import run_report

    document = run_report(
        result,
        started=started,
        finished=datetime.now(UTC),
        options={
            "languages": list(chosen_languages(project, languages or None)),
            "engine": engine_name,
            "min_translated": options.min_translated,
            "include_fuzzy": options.include_fuzzy,
            "reviewed_only": not options.include_machine,
        },
    )
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    # A file name that is not UTF-8 holds stand-ins for its bytes, only ever inside a
    # string: written as JSON's own escape for them (\\udce9), the report stays JSON.
    write_atomic(path, text.encode("utf-8", "backslashreplace"))


def _build_options(
    min_translated: int, include_fuzzy: bool, reviewed_only: bool, strict: bool = False
) -> BuildOptions:
    from .build import BuildOptions

    return BuildOptions(
        min_translated=min_translated,
        include_fuzzy=include_fuzzy,
        include_machine=not reviewed_only,
        strict=strict,
    )


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
    for warning in result.warnings:
        click.echo(f"pretranslate: warning: {warning}", err=True)
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
            f"{s.failed_verification} failed verification"
            + (f" ({s.failed_earlier} not sent again)" if s.failed_earlier else "")
            + (f", {s.uncertain} flagged uncertain by the engine" if s.uncertain else "")
            + f", {s.untranslated} untranslated; "
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
    from . import api

    found = api.read_glossary(api.load_project(project_dir))
    for problem in found.problems:
        click.echo(str(problem), err=True)
    errors = len(found.errors)
    warnings = len(found.problems) - errors
    click.echo(f"glossary: {len(found.terms)} terms, {errors} errors, {warnings} warnings")
    ctx.exit(exit_code_for(bool(errors)))


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
    from . import api
    from .terminology import suggestions_to_csv

    project = api.load_project(project_dir)
    found = api.suggest_terms(project, min_count=min_count, limit=limit)
    click.echo(suggestions_to_csv(found, project.languages), nl=False)
    click.echo(f"glossary suggest: {len(found)} candidate terms not in the glossary", err=True)


@main.group()
def tm() -> None:
    """Exchange translation memory with other tools as TMX 1.4b."""


@tm.command("export")
@project_option
@target_option
@click.option(
    "--include-machine", is_flag=True, help="Add unreviewed machine translations, marked."
)
@click.option(
    "--segment",
    type=click.Choice(["paragraphs", "sentences"]),
    default="paragraphs",
    show_default=True,
    help="One unit per entry, or per sentence as CAT tools keep them.",
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def tm_export(
    project_dir: Path, language: str, include_machine: bool, segment: str, file: Path
) -> None:
    """Write every reviewed translation of one language to FILE as TMX."""
    from .tmx import export_tmx

    project, _ = _load(project_dir, (language,))
    sentences = segment == "sentences"
    done = export_tmx(project, language, file, include_machine=include_machine, sentences=sentences)
    state = "written" if done.written else "unchanged"
    click.echo(f"tm export {language}: {done.units} units ({done.machine} machine): {state} {file}")
    if done.left_out:
        click.echo(f"tm export {language}: {done.left_out} left out (characters XML cannot hold)")


@tm.command("import")
@project_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace a different memory of the same name.")
def tm_import(project_dir: Path, file: Path, replace: bool) -> None:
    """Copy the TMX memory FILE into tm/, where pretranslation reuses it."""
    from .tmx import import_tmx

    project, _ = _load(project_dir, ())
    done = import_tmx(project, file, replace=replace)
    state = "written" if done.written else "unchanged"
    languages = ", ".join(done.languages) or "none"
    click.echo(
        f"tm import: {done.units} units ({languages}): {state} {project.relative(done.stored)}"
    )
    if done.machine or done.drafts or done.unusable:
        click.echo(
            f"tm import: {done.machine} machine output and {done.drafts} unconfirmed drafts "
            f"(filled as fuzzy, never as reviewed); {done.unusable} rejected or with inline "
            "tags their source lacks (never used)"
        )


@main.group()
def xliff() -> None:
    """Exchange catalogs with CAT tools (Trados, memoQ, Phrase) as XLIFF 1.2 or 2.1."""


@xliff.command("export")
@project_option
@target_option
@click.option("--version", type=click.Choice(["1.2", "2.1"]), default="2.1", show_default=True)
@click.option(
    "--per",
    type=click.Choice(["article", "language"]),
    default="article",
    show_default=True,
    help="One file per article (<article>.<lang>.xlf) or one per language (<lang>.xlf).",
)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def xliff_export(
    ctx: click.Context, project_dir: Path, language: str, version: str, per: str, folder: Path
) -> None:
    """Write one language's catalogs as XLIFF files into FOLDER."""
    from . import api

    project = api.load_project(project_dir)
    done = api.export_xliff(project, language, folder, version=version, per=per)
    for outcome in done.problems:
        click.echo(f"xliff export: {outcome.status} {outcome.path}: {outcome.detail}", err=True)
    for path, written in done.files:
        click.echo(f"xliff export: {'written' if written else 'unchanged'} {path}")
    click.echo(f"xliff export {language}: {done.units} units in {len(done.files)} files")
    ctx.exit(done.exit_code)


@xliff.command("import")
@project_option
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.pass_context
def xliff_import(ctx: click.Context, project_dir: Path, files: tuple[Path, ...]) -> None:
    """Merge the translations of XLIFF FILES into the catalogs."""
    from . import api

    project = api.load_project(project_dir)
    result = api.import_xliff(project, files)
    for shown, refused in result.refused:
        where = f"{shown}:{refused.unit.line}" if refused.unit.line else shown
        click.echo(f"xliff import: {where}: {refused.verdict}: {refused.reason}", err=True)
    for outcome in result.outcomes:
        if outcome.is_problem:
            click.echo(f"xliff import: {outcome.status} {outcome.path}: {outcome.detail}", err=True)
        elif outcome.status == "written":
            click.echo(f"xliff import: written {outcome.path}")
    click.echo(
        f"xliff import: {result.filled} filled, {result.same} already so, "
        f"{len(result.refused)} refused"
    )
    ctx.exit(result.exit_code)


@main.command()
@project_option
@lang_option
@format_option
@min_translated_option
@click.pass_context
def stats(
    ctx: click.Context,
    project_dir: Path,
    languages: tuple[str, ...],
    output_format: str,
    min_translated: int,
) -> None:
    """Per language and article: entries and words translated, fuzzy, untranslated."""
    from . import api
    from .report import stats_to_dict

    project = api.load_project(project_dir)
    result = api.stats(project, languages or None)
    for outcome in result.problems:
        click.echo(f"stats: {outcome.status} {outcome.path}: {outcome.detail}", err=True)
    if output_format == "json":
        payload = stats_to_dict(result.rows, min_translated=min_translated)
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        ctx.exit(result.exit_code)
    columns = ("translated", "machine", "fuzzy", "untranslated")
    click.echo(
        f"{'lang':<6} {'article':<24} " + " ".join(f"{c:>13}" for c in columns) + "  done  build"
    )
    for r in result.rows:
        if r.stats is None:
            why = "catalog cannot be read" if r.error else "no catalog: run 'locpipe extract'"
            if r.prose_free:
                why = "nothing to translate: build copies it as it is"
            click.echo(f"{r.language:<6} {r.article:<24} {why}")
            continue
        counts = r.stats.as_dict()
        cells = " ".join(f"{_pair(counts[c], counts[c + '_words']):>13}" for c in columns)
        build = "yes" if r.publishable(min_translated) else "no"
        click.echo(
            f"{r.language:<6} {r.article:<24} {cells} {r.stats.percent_translated:>4.0f}%"
            f"  {build:>5}"
        )
    click.echo(
        f"(entries/words; done: reviewed translations; build: published by 'locpipe build' "
        f"at {min_translated}%, counting machine translations)"
    )
    ctx.exit(result.exit_code)


def _pair(entries: float, words: float) -> str:
    return f"{entries:.0f}/{words:.0f}"


def _load(project_dir: Path, languages: tuple[str, ...]) -> tuple[Project, tuple[str, ...]]:
    """Load the project and check that the requested languages are configured."""
    from .api import chosen_languages, load_project

    project = load_project(project_dir)
    return project, chosen_languages(project, languages or None)


@contextmanager
def _progress(project: Project, label: str) -> Iterator[Callable[[ArticleFiles], None] | None]:
    """A status line on a terminal for batches (count, article, rate); nothing when piped.

    In ``run`` the same line counts each stage's pass over the articles in turn.
    """
    if not sys.stderr.isatty():  # asked first: counting the articles walks the tree
        yield None
        return
    total = sum(1 for _ in project.articles())
    if total < 2:
        yield None
        return
    started, done = time.monotonic(), [0]

    def advance(files: ArticleFiles) -> None:
        done[0] += 1
        count = (done[0] - 1) % total + 1
        rate = done[0] / max(time.monotonic() - started, 1e-6)
        line = f"{label}: {count}/{total} {files.name} ({rate:.0f} articles/s)"
        click.echo(f"\r\033[K{line[:100]}", nl=False, err=True)

    try:
        yield advance
    finally:
        click.echo("\r\033[K", nl=False, err=True)


def _report(result: StageResult) -> int:
    """Print the problems, one line each, then a one-line summary; return the exit code."""
    from .results import Status

    if sys.stderr.isatty():
        click.echo("\r\033[K", nl=False, err=True)
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
