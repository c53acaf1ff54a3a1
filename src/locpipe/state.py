"""What earlier runs did, so a re-run skips every article whose inputs and outputs are as left.

One JSON file in the project (``.locpipe/state.json``, ignored by git).  For each article it
records, per stage and language, a key made of everything the result depends on (hashes of
the source, the catalog, the glossary and ``locpipe.toml``, locpipe's version, the options)
and the hash of each file the stage wrote.  A stage skips an article only when the key is
the same and every file it wrote still holds exactly what it wrote; anything else, including
a missing or unreadable state file, means doing the work again.  Hashes, not modification
times, decide, so a translator's edit within the same second is never missed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .fileio import ABSENT as ABSENT  # the run state records what compare-and-swap expects
from .fileio import digest as digest  # the hash it records is the one writes compare
from .fileio import read_bytes, write_atomic

STATE_VERSION = 1


def file_digest(path: Path) -> str:
    """The hash of a file's contents, or :data:`ABSENT` when it cannot be read."""
    try:
        return digest(read_bytes(path))
    except OSError:
        return ABSENT


def folder_digest(folder: Path) -> str:
    """One hash over every file in a folder, names included (a missing folder is empty)."""
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
                h.update(file_digest(path).encode("ascii") + b"\0")
    return h.hexdigest()


def make_key(*parts: object) -> str:
    """One hash over the given parts and locpipe's version: a stage's inputs."""
    text = json.dumps([__version__, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return digest(text.encode("utf-8"))


@dataclass(slots=True)
class RunState:
    """Per article and stage: the input key and output hashes of the last successful run."""

    path: Path
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: bool = False  # whether anything was remembered or forgotten since reading

    def record(self, stage: str, article: str, slot: str) -> dict[str, Any] | None:
        """What was recorded for one article's stage and slot (a language, or the template)."""
        found = self.articles.get(article, {}).get(stage, {}).get(slot)
        return found if isinstance(found, dict) else None

    def remember(self, stage: str, article: str, slot: str, entry: dict[str, Any]) -> None:
        """Record one article's stage and slot."""
        slots = self.articles.setdefault(article, {}).setdefault(stage, {})
        if slots.get(slot) != entry:
            slots[slot] = entry
            self.changed = True

    def forget(self, stage: str, article: str, slot: str) -> None:
        """Drop a record, so that the next run does the work again."""
        if self.articles.get(article, {}).get(stage, {}).pop(slot, None) is not None:
            self.changed = True

    def is_current(
        self, stage: str, article: str, slot: str, key: str, outputs: dict[str, Path]
    ) -> bool:
        """Whether the record has this key and every recorded output still holds its hash."""
        found = self.record(stage, article, slot)
        if found is None or found.get("key") != key:
            return False
        recorded = found.get("outputs")
        if not isinstance(recorded, dict) or set(recorded) != set(outputs):
            return False
        return all(file_digest(outputs[name]) == recorded[name] for name in outputs)

    def keep_only(self, articles: set[str]) -> None:
        """Forget articles that no longer exist."""
        for name in set(self.articles) - articles:
            del self.articles[name]
            self.changed = True


def read_state(path: Path) -> RunState:
    """The recorded state, or an empty one when the file is missing, unreadable or foreign."""
    try:
        document = json.loads(read_bytes(path))
    except (OSError, ValueError, RecursionError):  # RecursionError: nested too deep to read
        return RunState(path)
    if (
        not isinstance(document, dict)
        or document.get("version") != STATE_VERSION
        or document.get("locpipe") != __version__
        or not isinstance(document.get("articles"), dict)
    ):
        return RunState(path)
    return RunState(path, document["articles"])


def write_state(state: RunState) -> bool:
    """Write the state atomically; False, touching nothing, when it is unchanged."""
    if not state.changed:
        return False  # spares a run with nothing to do the cost of serialising the state

    # One article a line, each line by json's C encoder: indent= would use its pure-Python
    # encoder, which took 20 ms for 250 articles; a line per article still reads and diffs.
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    articles = ",\n".join(
        f"{dump(name)}:{dump(state.articles[name])}" for name in sorted(state.articles)
    )
    head = dump({"locpipe": __version__, "version": STATE_VERSION})
    text = f'{head[:-1]},"articles":{{\n{articles}\n}}}}\n'
    return write_atomic(state.path, text.encode("utf-8"))
