"""Extract: an article's template, and each language's catalog created or updated from it."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from . import catalog, provenance, state
from .errors import LocpipeError
from .fileio import WriteBatch, read_bytes
from .glossary import Glossary, annotate_article
from .model import Article
from .project import ArticleFiles, Project
from .results import Outcome, Status, failed
from .runner import ArticleWork, Done, Source, Task


class ExtractArticle(ArticleWork):
    """Write an article's template and update its catalogs."""

    stage = "extract"
    whole_article = True

    def __init__(self, project: Project, glossary: Glossary, *, now: datetime) -> None:
        super().__init__(project, glossary)
        self.now = now
        self._inputs = (
            state.file_digest(project.config_path),
            # The dialect may come from the site's own configuration, not locpipe.toml.
            repr((project.segmenting, project.dialect_folders)),
            state.folder_digest(project.glossary_dir),
            project.source_language,
            provenance.NOTES_VERSION,
        )

    def outputs(self, files: ArticleFiles) -> dict[str, Path]:
        """The template, and the catalog of every language."""
        project = self.project
        return {
            "": project.template_path(files.name),
            **{code: project.catalog_path(code, files.name) for code in project.languages},
        }

    def key(self, source: Source, slot: str) -> str:
        """The source, locpipe.toml, the glossary, the source language, and how catalogs
        record provenance: the same for every slot."""
        return state.make_key("extract", source.files.reference, source.digest, *self._inputs)

    def __call__(self, task: Task, article: Article, batch: WriteBatch) -> Done:
        """Write the template, then merge every catalog of the task from it."""
        project, files = self.project, task.source.files
        done = Done(files.name)
        units = len(article.units)  # glossary notes below change units, not their number
        if not units:
            return self._prose_free(task, article, batch)
        article = annotate_article(article, self.glossary)
        pot_path = project.template_path(files.name)
        shown = project.relative(pot_path)
        template, kept, status, data = self._write_template(article, pot_path, batch)
        entries = len(template)  # a template has no obsolete entries
        outcome = Outcome(files.name, None, status, shown, units=units, entries=entries)
        record = {"key": task.keys[""], "outputs": {"file": kept}}
        done.add("", outcome, {**record, "units": units, "entries": entries})
        for language in task.languages:
            outcome, written = self._update(files, template, language, batch, data)
            done.add(language, outcome, {"key": task.keys[language], "outputs": {"file": written}})
        return done

    def _write_template(
        self, article: Article, pot_path: Path, batch: WriteBatch
    ) -> tuple[catalog.Catalog, str, Status, bytes | None]:
        """Write an article's template; return it, the hash the file holds, whether it
        changed, and its bytes when they were rendered."""
        template = catalog.template_from_article(
            article, created=self.now, source_language=self.project.source_language
        )
        shown = self.project.relative(pot_path)
        # A template is generated, never edited: one that cannot be read or parsed is
        # rebuilt, and it is written over whatever it holds by then (no compare-and-swap).
        old_template: catalog.Catalog | None = None
        seen: str | None = None  # what the file held, as its hash: unknown if unreadable
        old_data: bytes | None = None
        if self.listing.absent(pot_path):  # not there when the stage listed its folder
            seen = state.ABSENT
        else:
            try:
                old_data = read_bytes(pot_path)
            except FileNotFoundError:
                seen = state.ABSENT
            except OSError:
                pass
        if old_data is not None:
            seen = state.digest(old_data)
            with contextlib.suppress(LocpipeError):
                old_template = catalog.catalog_from_bytes(old_data, shown=shown)
        template = catalog.refresh_template(template, old_template)
        if seen is not None and catalog.same_catalog(old_template, template):
            # Whatever layout a tool left it in: rewriting it would change nothing it says.
            return template, seen, Status.UNCHANGED, None
        # A new article's entries are rendered once: for its template, which its new
        # catalogs are made from.
        data = catalog.catalog_bytes(template, remember=old_template is not None)
        written = batch.write(pot_path, data, seen=seen)
        return template, state.digest(data), Status.WRITTEN if written else Status.UNCHANGED, data

    def _prose_free(self, task: Task, article: Article, batch: WriteBatch) -> Done:
        """An article with nothing to translate gets no template and no catalog.  A catalog
        left from when it had prose is merged with the empty template, as msgmerge would:
        every translation stays, as an obsolete entry that comes back with its text, and
        nothing is left active for ``pretranslate`` to send or ``stats`` to count.  A
        template left from then is emptied, so that no tool offers its strings any more."""
        files = task.source.files
        done = Done(files.name)
        detail = "nothing to translate: no catalog; build copies it as it is"
        empty = catalog.template_from_article(
            article, created=self.now, source_language=self.project.source_language
        )
        for slot, path in self.outputs(files).items():
            if slot and slot not in task.keys:
                continue
            shown = self.project.relative(path)
            outcome = Outcome(
                files.name, slot or None, Status.PROSE_FREE, shown, detail, units=0, entries=0
            )
            written = state.ABSENT
            if not slot and path.exists():
                empty, written, _, _ = self._write_template(article, path, batch)
                detail_pot = "nothing to translate: its template is left without entries"
                outcome = replace(outcome, detail=detail_pot)
            elif slot and path.exists():
                outcome, written = self._update(files, empty, slot, batch)
                if outcome.status is not Status.FAILED:
                    kept = "nothing to translate: its old translations are kept as obsolete"
                    outcome = replace(outcome, status=Status.PROSE_FREE, detail=kept)
            record: dict[str, object] = {"key": task.keys[slot], "outputs": {"file": written}}
            if not slot:
                record.update(units=0, entries=0)
            done.add(slot, outcome, record)
        return done

    def _update(
        self,
        files: ArticleFiles,
        template: catalog.Catalog,
        language: str,
        batch: WriteBatch,
        template_bytes: bytes | None = None,
    ) -> tuple[Outcome, str]:
        """Create or update one catalog, leaving it untouched if it cannot be read.

        Returns the outcome and the hash of what the catalog holds once the batch is written.
        ``template_bytes``, the template as just rendered, saves rendering a new catalog.
        """
        po_path = self.project.catalog_path(language, files.name)
        shown = self.project.relative(po_path)
        existing, expected = None, state.ABSENT
        try:
            # Hashed as it was read: if it changes after, the write sees it and fails.  So
            # does a catalog made since its folder was listed, when the listing says absent:
            # the runner then does the article again.
            if not self.listing.absent(po_path):
                read, existing = catalog.read_catalog_bytes(
                    po_path, language=language, display_path=shown
                )
                expected = state.digest(read)
        except FileNotFoundError:
            pass
        except LocpipeError as error:
            # A broken catalog, a folder or a file it may not read where the catalog
            # belongs: this catalog fails, and the others go on.
            outcome = failed(files.name, language, shown, error)
            left = replace(outcome, detail=f"{outcome.detail} (file left as it was)")
            return left, state.ABSENT
        if existing is None:
            rendered = template_bytes or catalog.catalog_bytes(template)
            data = catalog.new_catalog_bytes(template, rendered, language=language, now=self.now)
        else:
            updated = catalog.update_catalog(template, existing, language=language, now=self.now)
            if catalog.same_catalog(existing, updated):
                return Outcome(files.name, language, Status.UNCHANGED, shown), expected
            data = catalog.catalog_bytes(updated)
        written = batch.write(po_path, data, expected=expected)
        status = Status.WRITTEN if written else Status.UNCHANGED
        return Outcome(files.name, language, status, shown), state.digest(data)
