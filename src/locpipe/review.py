"""The read-only stages: quality checks and translation progress, one catalog at a time.

A catalog that cannot be read is reported with its kind and the others are still covered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from . import catalog
from .checks import Problem, check_catalog, length_bounds
from .errors import ConfigError, LocpipeError
from .glossary import Glossary
from .project import ArticleFiles, Project
from .results import Outcome, failed, kind_of
from .runner import CatalogFile
from .summaries import CheckResult, StatsResult, StatsRow


def check(
    project: Project,
    languages: Iterable[str],
    *,
    glossary: Glossary,
    files: Iterable[Path] = (),
    strict: bool = False,
) -> CheckResult:
    """Quality check problems in the catalogs of these languages, or only in ``files``.

    ``files`` must be catalogs of the chosen languages (``locales/<lang>/*.po``); anything
    else is a :class:`~locpipe.errors.ConfigError`.
    """
    chosen = tuple(languages)
    wanted = {path.resolve() for path in files}
    catalogs = [
        found
        for found in _all_catalogs(project, chosen)
        if not wanted or found.path.resolve() in wanted
    ]
    unknown = wanted - {found.path.resolve() for found in catalogs}
    if unknown:
        raise ConfigError(
            "not a catalog of the chosen languages (locales/<lang>/*.po)",
            path=min(unknown).as_posix(),
        )
    findings: list[Problem] = []
    outcomes: list[Outcome] = []
    for found in catalogs:
        try:
            po = catalog.read_catalog(found.path, language=found.language, display_path=found.shown)
        except LocpipeError as exc:
            outcomes.append(failed(found.article, found.language, found.shown, exc))
            continue
        findings.extend(
            check_catalog(
                po,
                path=found.shown,
                glossary=glossary,
                language=found.language,
                severities=project.check.severities,
                length=length_bounds(project.check),
            )
        )
    return CheckResult(tuple(findings), tuple(outcomes), strict=strict)


def _all_catalogs(project: Project, languages: tuple[str, ...]) -> Iterator[CatalogFile]:
    """Every catalog under the languages' folders, articles or not, sorted by path."""
    for language in project.languages:
        folder = project.locales_dir / language
        if language not in languages or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.po")):
            article = path.relative_to(folder).with_suffix("").as_posix()
            yield CatalogFile(article, language, path, project.relative(path))


def stats(project: Project, languages: Iterable[str]) -> StatsResult:
    """Per language and article: entries and words translated, fuzzy, untranslated."""
    rows: list[StatsRow] = []
    for language in languages:
        for files in project.articles():
            path = project.catalog_path(language, files.name)
            shown = project.relative(path)
            try:
                po = catalog.read_catalog(path, language=language, display_path=shown)
            except FileNotFoundError:
                prose_free = _is_prose_free(project, files)
                rows.append(StatsRow(language, files.name, None, shown, prose_free=prose_free))
                continue
            except LocpipeError as exc:
                rows.append(StatsRow(language, files.name, None, shown, str(exc), kind_of(exc)))
                continue
            counts = catalog.count_catalog(po)
            if not counts.entries and _is_prose_free(project, files):
                # Only the obsolete entries kept from when it had prose: nothing to count.
                rows.append(StatsRow(language, files.name, None, shown, prose_free=True))
                continue
            rows.append(StatsRow(language, files.name, counts, shown))
    return StatsResult(tuple(rows))


def _is_prose_free(project: Project, files: ArticleFiles) -> bool:
    """Whether an article without a catalog has nothing to translate (rather than not
    having been extracted yet); one that cannot be read is not."""
    from .segment import segment_article

    try:
        data = files.source.read_bytes()
        article = segment_article(
            data, path=files.reference, name=files.name, options=project.segmenting
        )
    except (OSError, LocpipeError):
        return False
    return not article.units
