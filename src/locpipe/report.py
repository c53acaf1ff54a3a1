"""Machine-readable reports: result objects in, plain JSON-ready dicts out.

The shapes are versioned and described by JSON Schemas in the repository's ``schemas/``
folder (``stats.schema.json``, ``run-report.schema.json``); a change that breaks a reader
raises ``version``.  Nothing here does I/O or reads the clock: times are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from .results import Outcome, Status
from .summaries import ArticleSummary, PretranslateResult, RunResult, StatsRow

STATS_VERSION = 1
RUN_REPORT_VERSION = 1

_COUNTS = ("translated", "machine", "fuzzy", "untranslated")


def stats_to_dict(rows: Iterable[StatsRow], *, min_translated: int) -> dict[str, Any]:
    """The ``stats --format json`` document; ``min_translated`` is a percentage, as in build.

    >>> missing = StatsRow("en", "a", None, "locales/en/a.po")
    >>> stats_to_dict([missing], min_translated=80)  # doctest: +NORMALIZE_WHITESPACE
    {'version': 1, 'threshold': 80, 'languages': [{'language': 'en',
     'articles': [{'article': 'a', 'catalog': None, 'publishable': False, 'error': None}]}]}
    """
    languages: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        languages.setdefault(row.language, []).append(_stats_row(row, min_translated))
    return {
        "version": STATS_VERSION,
        "threshold": min_translated,
        "languages": [
            {"language": language, "articles": articles} for language, articles in languages.items()
        ],
    }


def _stats_row(row: StatsRow, min_translated: int) -> dict[str, Any]:
    publishable = row.publishable(min_translated)
    if row.stats is None:
        error = {"kind": str(row.kind), "reason": row.error} if row.error else None
        catalog = row.path if row.error else None
        return {
            "article": row.article,
            "catalog": catalog,
            "publishable": publishable,
            "error": error,
        }
    counts = row.stats.as_dict()
    return {
        "article": row.article,
        "catalog": row.path,
        "entries": row.stats.entries,
        "words": row.stats.words,
        **{key: counts[key] for state in _COUNTS for key in (state, f"{state}_words")},
        "percent_complete": round(row.published_percent, 2),
        "publishable": publishable,
    }


def run_report(
    result: RunResult,
    *,
    started: datetime,
    finished: datetime,
    options: Mapping[str, Any],
) -> dict[str, Any]:
    """The ``run --report`` document: what each stage did, per language and article."""
    extracted, pretranslated, built = result.extracted, result.pretranslated, result.built
    templates = [o for o in extracted.outcomes if o.language is None]
    units = {o.article: (o.units, o.entries) for o in templates}
    stages = result.stages
    languages = []
    for summary in pretranslated.languages:
        language = summary.language
        per_article = {a.article: a for a in summary.articles}
        catalogs = {o.article: o for o in extracted.outcomes if o.language == language}
        builds = {o.article: o for o in built.outcomes if o.language == language}
        names = list(dict.fromkeys([*catalogs, *per_article, *builds]))
        languages.append(
            {
                "language": language,
                "engine": summary.engine,
                "error": summary.error,
                "error_kind": str(summary.error_kind) if summary.error_kind else None,
                "pretranslate": {
                    "entries": summary.entries,
                    "from_memory": summary.from_memory,
                    "fuzzy_from_memory": summary.fuzzy_from_memory,
                    "machine": summary.machine,
                    "failed_verification": summary.failed_verification,
                    "untranslated": summary.untranslated,
                    "cached": summary.cached,
                    "requests": summary.requests,
                    "characters": summary.characters,
                    "failed_earlier": summary.failed_earlier,
                    "uncertain": summary.uncertain,
                },
                "articles": [
                    {
                        "article": name,
                        "units": units.get(name, (None, None))[0],
                        "entries": units.get(name, (None, None))[1],
                        "catalog": _outcome(catalogs.get(name)),
                        "pretranslate": _article_counts(per_article.get(name)),
                        "build": _outcome(builds.get(name)),
                    }
                    for name in names
                ],
            }
        )
    return {
        "version": RUN_REPORT_VERSION,
        "started": _timestamp(started),
        "finished": _timestamp(finished),
        "duration_seconds": round((finished - started).total_seconds(), 3),
        "exit_code": result.exit_code,
        "options": dict(options),
        "stages": [
            {
                "stage": stage.stage,
                "seconds": round(result.seconds.get(stage.stage, 0.0), 3),
                "exit_code": stage.exit_code,
            }
            for stage in stages
        ],
        "articles": [
            {
                "article": o.article,
                "template": o.path,
                "status": str(o.status),
                "units": o.units,
                "entries": o.entries,
                "reason": o.detail or None,
                "kind": str(o.kind) if o.kind else None,
            }
            for o in templates
        ],
        "engines": _engines(pretranslated),
        "languages": languages,
        "problems": [
            {
                "stage": stage.stage,
                "language": o.language,
                "article": o.article,
                "status": str(o.status),
                "kind": str(o.kind) if o.kind else None,
                "reason": o.detail,
            }
            for stage in stages
            for o in stage.problems
        ]
        + [
            {
                "stage": pretranslated.stage,
                "language": s.language,
                "article": None,
                "status": str(Status.FAILED),
                "kind": str(s.error_kind) if s.error_kind else None,
                "reason": s.error,
            }
            for s in pretranslated.languages
            if s.error
        ],
    }


def _outcome(outcome: Outcome | None) -> dict[str, Any] | None:
    """Status and path of one file; skipped and failed ones carry the reason, and a
    built article the error-level quality checks its catalog fails."""
    if outcome is None:
        return None
    problem = outcome.status in (Status.SKIPPED, Status.FAILED)
    return {
        "status": str(outcome.status),
        "path": outcome.path,
        "reason": outcome.detail if problem else None,
        "kind": str(outcome.kind) if problem and outcome.kind else None,
        "checks": [
            {
                "check": finding.check,
                "severity": finding.severity,
                "path": finding.path,
                "line": finding.line,
                "message": finding.message,
            }
            for finding in outcome.findings
        ],
    }


def _article_counts(counts: ArticleSummary | None) -> dict[str, int] | None:
    if counts is None:
        return None
    return {
        "entries": counts.entries,
        "from_memory": counts.from_memory,
        "fuzzy_from_memory": counts.fuzzy_from_memory,
        "machine": counts.machine,
        "failed_verification": counts.failed_verification,
        "untranslated": counts.untranslated,
    }


def _engines(result: PretranslateResult) -> list[dict[str, Any]]:
    """Requests and characters sent to each engine, over all languages."""
    totals: dict[str, dict[str, Any]] = {}
    for s in result.languages:
        total = totals.setdefault(
            s.engine,
            {"engine": s.engine, "languages": [], "requests": 0, "characters": 0, "cached": 0},
        )
        total["languages"].append(s.language)
        total["requests"] += s.requests
        total["characters"] += s.characters
        total["cached"] += s.cached
    return list(totals.values())


def _timestamp(moment: datetime) -> str:
    """ISO 8601 with the offset, e.g. ``2025-01-02T03:04:05+00:00``."""
    return moment.isoformat()
