"""Translation memory: what translators already translated, reused for the same or similar text.

Built per target language from every reviewed (translated, not fuzzy) entry of the
project's catalogs.  Similar text is found with rapidfuzz's normalized Indel ratio, the
measure difflib's ``ratio`` gives, computed in C++: fast enough to search thousands of
entries for every untranslated one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MemoryMatch:
    """A translation found in memory, how similar its source is (0-100), and where it is from."""

    source: str
    translation: str
    score: float
    origin: str


class TranslationMemory:
    """Reviewed translations by source text."""

    def __init__(self, units: Iterable[tuple[str, str, str]] = ()) -> None:
        self._by_source: dict[str, tuple[str, str]] = {}
        for source, translation, origin in units:
            self.add(source, translation, origin)

    def add(self, source: str, translation: str, origin: str) -> None:
        """Remember a translation (the first one seen for a source wins)."""
        if source and translation:
            self._by_source.setdefault(source, (translation, origin))

    def __len__(self) -> int:
        return len(self._by_source)

    def exact(self, source: str) -> MemoryMatch | None:
        """The translation of exactly this source text."""
        found = self._by_source.get(source)
        return MemoryMatch(source, found[0], 100.0, found[1]) if found else None

    def similar(self, source: str, *, threshold: float) -> MemoryMatch | None:
        """The most similar remembered source at or above ``threshold`` percent.

        >>> tm = TranslationMemory([("Het Kremlin zweeg.", "The Kremlin was silent.", "a.po")])
        >>> match = tm.similar("Het Kremlin zweeg lang.", threshold=75)
        >>> match.translation, round(match.score)
        ('The Kremlin was silent.', 88)
        """
        from rapidfuzz import fuzz, process

        best = process.extractOne(
            source, self._by_source.keys(), scorer=fuzz.ratio, score_cutoff=threshold
        )
        if best is None:
            return None
        text, score, _ = best
        translation, origin = self._by_source[text]
        return MemoryMatch(text, translation, float(score), origin)
