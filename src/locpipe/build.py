"""Build: an article reassembled in each language whose catalog is translated enough."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from . import catalog, state
from .assemble import assemble_article
from .checks import Problem, check_catalog, length_bounds
from .errors import LocpipeError
from .fileio import WriteBatch
from .glossary import Glossary
from .model import Article
from .project import ArticleFiles, Project
from .results import Kind, Outcome, Status, failed
from .runner import HAND_MADE, ArticleWork, Done, Source, Task


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What build publishes, and where it draws the line."""

    min_translated: float = 80.0  # percent of entries, as on the command line
    include_fuzzy: bool = False
    include_machine: bool = True
    strict: bool = False


class BuildArticle(ArticleWork):
    """Assemble an article in the languages that need it."""

    stage = "build"

    def __init__(self, project: Project, glossary: Glossary, options: BuildOptions) -> None:
        super().__init__(project, glossary)
        self.options = options
        self._inputs = (
            state.file_digest(project.config_path),
            # The dialect may come from the site's own configuration, not locpipe.toml.
            repr((project.segmenting, project.dialect_folders)),
            state.folder_digest(project.glossary_dir),
            *dataclasses.astuple(options),
        )

    def outputs(self, files: ArticleFiles) -> dict[str, Path]:
        """The localized article of every language."""
        return {code: self.project.output_path(code, files) for code in self.project.languages}

    def slot_input(self, files: ArticleFiles, slot: str) -> Path:
        """The language's catalog."""
        return self.project.catalog_path(slot, files.name)

    def key(self, source: Source, slot: str) -> str:
        """The source, the language's catalog, locpipe.toml, the glossary and the options."""
        found = source.inputs.get(slot)
        po_digest = state.ABSENT if found is None else state.digest(found)
        return state.make_key(
            "build", source.files.reference, source.digest, po_digest, *self._inputs
        )

    def __call__(self, task: Task, article: Article, batch: WriteBatch) -> Done:
        """Build every language of the task."""
        files = task.source.files
        done = Done(files.name)
        prose = bool(article.units)
        for language in task.languages:
            record: dict[str, object] = {"key": task.keys[language]}
            if prose:
                found = task.source.inputs.get(language)
                outcome, written, read = self._build_one(files, article, language, batch, found)
                if read is not None:  # not the bytes the key was made from: key these
                    source = task.source._replace(inputs={language: read})
                    record["key"] = self.key(source, language)
            else:
                previous = task.written.get(language)
                outcome, written, kept = self._copy(files, article, language, batch, previous)
                if kept:
                    record[HAND_MADE] = True  # not ours: never to be taken for our copy
            done.add(language, outcome, {**record, "outputs": {"file": written}})
        return done

    def _copy(
        self,
        files: ArticleFiles,
        article: Article,
        language: str,
        batch: WriteBatch,
        previous: str | None,
    ) -> tuple[Outcome, str, bool]:
        """An article with nothing to translate, as it is in every language (an HTML page
        still names its language); no catalog is read.

        It has no catalog for a translator to work in, so a localized file someone made
        by hand (its own slug, menu name or weight) is the only translation it can have:
        a file that differs from the copy and is not what build last wrote (``previous``)
        is kept as it is.  Returns the outcome, the output's hash, and whether it was kept.
        """
        path = self.project.output_path(language, files)
        data = assemble_article(article, {}, language=language).text.encode("utf-8")
        shown = self.project.relative(path)
        # Looked at now, not in the stage's listing: a file made by hand since is kept.
        found = state.file_digest(path)
        copy = state.digest(data)
        if found not in (state.ABSENT, copy, previous):
            detail = (
                "nothing to translate; kept the localized file made by hand "
                "(delete it to have build copy the source again)"
            )
            return Outcome(files.name, language, Status.PROSE_FREE, shown, detail), found, True
        batch.write(path, data, seen=found)
        detail = "nothing to translate: copied as it is"
        return Outcome(files.name, language, Status.PROSE_FREE, shown, detail), copy, False

    def _build_one(
        self,
        files: ArticleFiles,
        article: Article,
        language: str,
        batch: WriteBatch,
        found: bytes | None = None,
    ) -> tuple[Outcome, str, bytes | None]:
        """Assemble one article in one language, or say why not, from the catalog's bytes
        as the slot's key was made from them (``found``; None: read it now).

        Returns the outcome, the hash of what the output holds once the batch is written,
        and the catalog's bytes where it read them itself (the slot's key, made when the
        catalog was missing or unreadable, does not say them).
        """
        project, options = self.project, self.options
        po_path = project.catalog_path(language, files.name)
        po_shown = project.relative(po_path)
        path = project.output_path(language, files)
        shown = project.relative(path)

        def skipped(detail: str, kind: Kind, findings: tuple[Problem, ...] = ()) -> Outcome:
            return Outcome(
                files.name, language, Status.SKIPPED, shown, detail, kind, findings=findings
            )

        read: bytes | None = None
        # What extract derived from the source (#. and #:) is not published: not read.
        try:
            if found is None:  # missing or unreadable when planned: read it now
                read, po = catalog.read_catalog_bytes(
                    po_path, language=language, display_path=po_shown, source_comments=False
                )
            else:
                po = catalog.catalog_from_bytes(
                    found, shown=po_shown, language=language, source_comments=False
                )
        except FileNotFoundError:
            detail = f"no catalog {po_shown}: run 'locpipe extract' first"
            return skipped(detail, Kind.NO_CATALOG), state.ABSENT, None
        except LocpipeError as exc:
            return failed(files.name, language, shown, exc), state.ABSENT, None
        published = catalog.translations(
            po, include_fuzzy=options.include_fuzzy, include_machine=options.include_machine
        )
        result = assemble_article(article, published, language=language)
        if 100 * result.translated_share < options.min_translated:
            detail = (
                f"{result.translated_entries} of {result.total_entries} entries translated "
                f"({result.translated_share:.0%}, below the {options.min_translated:.0f}% "
                "threshold)"
            )
            return skipped(detail, Kind.BELOW_THRESHOLD), state.ABSENT, read
        states = catalog.published_states(
            include_fuzzy=options.include_fuzzy, include_machine=options.include_machine
        )
        errors = tuple(
            check_catalog(
                po,
                path=po_shown,
                glossary=self.glossary,
                language=language,
                severities=project.check.severities,
                length=length_bounds(project.check),
                states=states,
                errors_only=True,
                published=True,
            )
        )
        if options.strict and errors:
            detail = f"{len(errors)} quality check errors (build --strict publishes none)"
            return skipped(detail, Kind.CHECKS, errors), state.ABSENT, read
        data = result.text.encode("utf-8")
        # Written over whatever is there: the listing spares looking whether it holds this.
        seen = state.ABSENT if self.listing.absent(path) else None
        written = batch.write(path, data, seen=seen)
        status = Status.WRITTEN if written else Status.UNCHANGED
        outcome = Outcome(files.name, language, status, shown, findings=errors)
        return outcome, state.digest(data), read
