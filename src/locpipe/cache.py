"""The machine translation cache: each protected text goes to an engine once per language pair.

One SQLite file in the project (``.locpipe/cache.sqlite``, ignored by git), keyed by
engine, source and target language and the text as sent.  It holds raw engine output, so
a changed glossary translation does not invalidate it: terms are restored afterwards.

It also remembers, per engine and language pair, the protection form that last worked,
and each unit that failed verification in every form, with a key of everything the
failure depended on (source, glossary, engine settings), so that it is not sent again
until one of them changes or its back-off has passed.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import LocpipeError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS machine_translation (
    engine TEXT NOT NULL,
    source_language TEXT NOT NULL,
    target_language TEXT NOT NULL,
    source_text TEXT NOT NULL,
    translation TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (engine, source_language, target_language, source_text)
) WITHOUT ROWID
"""
_FORMS = """
CREATE TABLE IF NOT EXISTS protection_form (
    engine TEXT NOT NULL,
    source_language TEXT NOT NULL,
    target_language TEXT NOT NULL,
    form TEXT NOT NULL,
    PRIMARY KEY (engine, source_language, target_language)
) WITHOUT ROWID
"""
_FAILURES = """
CREATE TABLE IF NOT EXISTS failed_unit (
    engine TEXT NOT NULL,
    source_language TEXT NOT NULL,
    target_language TEXT NOT NULL,
    failure_key TEXT NOT NULL,
    failed TEXT NOT NULL,
    PRIMARY KEY (engine, source_language, target_language, failure_key)
) WITHOUT ROWID
"""
# SQLite limits the number of host parameters in one statement; stay well below it.
_CHUNK = 500


def _guarded(default: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A cache method that, when SQLite fails (locked by another run, read-only, full),
    records the problem and returns ``default``: the cache only saves work, and what the
    engine answered must still reach the catalogs."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded(self: TranslationCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                self.problem = f"{self.path}: the translation cache failed ({exc}); not cached"
                return default() if callable(default) else default

        return guarded

    return decorate


class TranslationCache:
    """Engine output by (engine, languages, text), persisted in SQLite.

    A failure of SQLite after opening is recorded in :attr:`problem` and the run goes on
    without the cache.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            for schema in (_SCHEMA, _FORMS, _FAILURES):
                self._db.execute(schema)
            self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            raise LocpipeError(f"cannot use the translation cache: {exc}", path=path) from exc

    @_guarded(dict)
    def get(self, engine: str, source: str, target: str, texts: Sequence[str]) -> dict[str, str]:
        """The cached translations among ``texts``."""
        query = (
            "SELECT source_text, translation FROM machine_translation "
            "WHERE engine=? AND source_language=? AND target_language=? AND source_text IN ({})"
        )
        return dict(self._select(query, [engine, source, target], texts))

    @_guarded(None)
    def put(
        self,
        engine: str,
        source: str,
        target: str,
        pairs: Iterable[tuple[str, str]],
        *,
        created: datetime,
    ) -> None:
        """Store translations; committed at once so an interrupted run keeps what it paid for."""
        stamp = created.isoformat()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO machine_translation VALUES (?, ?, ?, ?, ?, ?)",
                [(engine, source, target, text, out, stamp) for text, out in pairs],
            )

    @_guarded(None)
    def form(self, engine: str, source: str, target: str) -> str | None:
        """The name of the protection form that last worked for this engine and pair."""
        row = self._db.execute(
            "SELECT form FROM protection_form "
            "WHERE engine=? AND source_language=? AND target_language=?",
            [engine, source, target],
        ).fetchone()
        return str(row[0]) if row else None

    @_guarded(None)
    def remember_form(self, engine: str, source: str, target: str, form: str) -> None:
        """Start with ``form`` next time for this engine and pair."""
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO protection_form VALUES (?, ?, ?, ?)",
                [engine, source, target, form],
            )

    @_guarded(dict)
    def failed_since(
        self, engine: str, source: str, target: str, keys: Sequence[str]
    ) -> dict[str, datetime]:
        """When each of the failure keys last failed in every form, for those that did."""
        query = (
            "SELECT failure_key, failed FROM failed_unit "
            "WHERE engine=? AND source_language=? AND target_language=? AND failure_key IN ({})"
        )
        rows = self._select(query, [engine, source, target], keys)
        return {key: datetime.fromisoformat(stamp) for key, stamp in rows}

    def _select(self, query: str, fixed: list[str], values: Sequence[str]) -> list[tuple[str, str]]:
        """Rows of ``query`` (its ``IN ({})`` filled) for every value, a chunk at a time."""
        rows: list[tuple[str, str]] = []
        for start in range(0, len(values), _CHUNK):
            chunk = list(values[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows.extend(self._db.execute(query.format(marks), [*fixed, *chunk]))
        return rows

    @_guarded(None)
    def remember_failures(
        self, engine: str, source: str, target: str, keys: Iterable[str], *, failed: datetime
    ) -> None:
        """Record units that failed verification in every form."""
        stamp = failed.isoformat()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO failed_unit VALUES (?, ?, ?, ?, ?)",
                [(engine, source, target, key, stamp) for key in keys],
            )

    def close(self) -> None:
        """Close the database."""
        self._db.close()
