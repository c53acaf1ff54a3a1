"""Pretranslation: fill untranslated entries from translation memory, then by machine.

For each target language:

1. every reviewed translation in the language's catalogs, then every imported TMX memory
   (``tm/*.tmx``), forms a translation memory; an entry whose source is in it exactly is
   filled as translated, one that is similar enough is filled as fuzzy, with the
   remembered source as its previous msgid;
2. the rest go to the language's engine with glossary terms protected, each distinct text
   once (the cache remembers across runs), concurrently, with retries;
3. every machine translation is verified; one that passes is filled as fuzzy with a note
   saying it is machine output, one that fails is kept as fuzzy for reference with the
   reason (the notes are :mod:`locpipe.provenance`'s).

A person's translation, reviewed or fuzzy, is never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from . import catalog, provenance, state, tmx
from .cache import TranslationCache
from .engines import Engine, EngineOutput, Hints, Protection
from .engines.dispatch import RetryPolicy, dispatch, refusal
from .errors import CatalogChanged, EngineUnavailable, LocpipeError
from .glossary import Glossary, ProtectedText, protect, restore, verify_translation
from .model import TermRule
from .project import Project
from .protect import Markup
from .results import Kind, Outcome, Status, failed, kind_of
from .runner import CatalogFile, CatalogLedger, catalog_files
from .summaries import ArticleSummary, LanguageSummary, PretranslateResult
from .tm import MemoryMatch, TranslationMemory

Progress = Callable[[str, int], None]  # (language, units done)
EngineFactory = Callable[[str], Engine]  # an engine by its configured name


@dataclass(frozen=True, slots=True)
class _Run:
    """What every language of one pretranslation run shares."""

    project: Project
    glossary: Glossary
    now: datetime
    dry_run: bool
    cache: TranslationCache | None
    progress: Progress | None
    result: PretranslateResult
    ledger: CatalogLedger
    engines: EngineFactory
    # Engines that could not be reached, or did not answer in time even after retries, by
    # name: a later language is not made to wait for them all over again.
    down: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Fill:
    """A translation found for a pending entry, and what to record about where it came from."""

    key: catalog.Key
    msgid: str
    msgstr: str
    fuzzy: bool
    note: str  # a locpipe.provenance note
    previous_msgid: str | None = None
    comments: tuple[str, ...] = ()  # what the memory's unit noted, for the translator


@dataclass(slots=True)
class _Target:
    """A catalog with pending entries: where it is, and the translations found for it."""

    file: CatalogFile
    counts: ArticleSummary
    title: str | None = None  # the article's title, for engines that read context
    fills: list[_Fill] = field(default_factory=list)


@dataclass(frozen=True, slots=True, eq=False)  # each one is itself: hashed by identity
class _Pending:
    """One entry to fill, in one catalog."""

    key: catalog.Key
    msgid: str
    target: _Target
    context: str = ""  # its kind and section

    def fill(
        self,
        msgstr: str,
        *,
        fuzzy: bool,
        note: str,
        previous_msgid: str | None = None,
        comments: tuple[str, ...] = (),
    ) -> None:
        """Plan to fill this entry with ``msgstr``; ``note`` says where it came from."""
        self.target.fills.append(
            _Fill(self.key, self.msgid, msgstr, fuzzy, note, previous_msgid, comments)
        )


def pretranslate(
    project: Project,
    languages: Iterable[str],
    *,
    glossary: Glossary,
    now: datetime,
    engines: EngineFactory,
    engine_name: str | None = None,
    dry_run: bool = False,
    cache: TranslationCache | None = None,
    progress: Progress | None = None,
) -> PretranslateResult:
    """Fill pending entries of every language's catalogs; write the catalogs that changed.

    ``engines`` gives the engine of a configured name, and is called only for a language
    that has something to send; ``engine_name`` overrides the configured one.
    """
    result = PretranslateResult(dry_run=dry_run)
    ledger = CatalogLedger(project, record=not dry_run)
    run = _Run(project, glossary, now, dry_run, cache, progress, result, ledger, engines)
    for language in languages:
        name = engine_name or project.pretranslate.engine_for(language)
        summary = LanguageSummary(language, name)
        result.languages.append(summary)
        _pretranslate_language(run, summary)
    ledger.save()
    return result


def _pretranslate_language(run: _Run, summary: LanguageSummary) -> None:
    """Memory first, then machine, for one language's catalogs; write what changed.

    Catalogs stream through twice: a first pass gathers the memory and the pending entries
    and keeps no catalog, so memory stays flat however many articles there are; once every
    translation is known, a second pass re-reads each catalog that gets one, fills what is
    still pending and writes it.  An entry a person translated in between is left alone.
    """
    project, language = run.project, summary.language
    catalogs = list(catalog_files(project, language))
    if all(run.ledger.is_settled(found) for found in catalogs):
        # Nothing is pending anywhere, so no catalog need be read.
        summary.articles.extend(ArticleSummary(found.article) for found in catalogs)
        _, unreadable = tmx.project_memory(project, language)
        _report_unreadable(run, language, unreadable)
        return
    memory = TranslationMemory()
    pending: list[_Pending] = []
    targets: list[_Target] = []
    for found in catalogs:
        po, digest = _read(run, found)
        if po is None:
            continue
        counts = ArticleSummary(found.article)
        summary.articles.append(counts)
        for source, translation in catalog.reviewed_translations(po):
            memory.add(source, translation, found.shown)
        entries = catalog.pending_entries(po)
        if entries:
            targets.append(_Target(found, counts, catalog.catalog_title(po)))
            pending.extend(_Pending(e.key, e.msgid, targets[-1], e.context) for e in entries)
            counts.entries = len(entries)
        else:
            run.ledger.settle(found, settled=True, digest=digest)
    # Imported memories come after the catalogs, so a reviewed catalog entry wins.
    imported, unreadable = tmx.project_memory(project, language)
    memory.add_units(imported)
    _report_unreadable(run, language, unreadable)

    for_machine = []
    threshold = project.pretranslate.fuzzy_threshold
    for item in pending:
        match = (
            memory.exact(item.msgid)
            or memory.by_sentences(item.msgid, project.source_language)
            or memory.similar(item.msgid, threshold=threshold)
        )
        if match is None or _fails_verification(run, language, item, match):
            for_machine.append(item)
        else:
            _fill_from_memory(item, match)
    if for_machine:
        _machine_translate(run, summary, for_machine)
    if not run.dry_run:
        for target in targets:
            _write_fills(run, target)


def _fails_verification(run: _Run, language: str, item: _Pending, match: MemoryMatch) -> bool:
    """Whether machine output from memory fails the verification an engine's output gets
    (glossary, numbers, masked markup, leftover placeholders): the engine then translates."""
    if match.provenance.trust is not tmx.Trust.MACHINE:
        return False
    markup = item.target.file.markup
    return bool(
        verify_translation(
            item.msgid, match.translation, run.glossary, language, Protection(), markup=markup
        )
    )


def _fill_from_memory(item: _Pending, match: MemoryMatch) -> None:
    """Plan to fill an entry from memory as what the translation is: a person's reviewed
    translation, a person's draft (fuzzy), or machine output (fuzzy, marked as such)."""
    trust, origin = match.provenance.trust, match.origin
    comments = tuple(f"translation memory note: {note}" for note in match.notes)
    fuzzy, previous_msgid = True, None
    if match.sentences:
        # Put together from sentences: a person checks how they read as one paragraph.
        comments += tuple(
            f"translation memory sentence {number}: {m.source!r} ({m.origin})"
            for number, m in enumerate(match.sentences, start=1)
        )
        note = provenance.memory_sentences_note(len(match.sentences), origin)
    elif match.source != item.msgid:
        # A similar one shows the remembered source as the previous msgid, as msgmerge
        # does, so the editor highlights what differs.
        note = provenance.memory_match_note(match.score, origin)
        previous_msgid = match.source
    elif trust is tmx.Trust.DRAFT:
        note = provenance.memory_draft_note(origin)
    else:
        # An exact match is a person's translation of this very text: reuse it as is.
        note, fuzzy = provenance.memory_note(origin), trust is tmx.Trust.MACHINE
    if trust is tmx.Trust.MACHINE:
        # Machine output stays machine output wherever it was stored: never reviewed.
        where = note.removeprefix(provenance.PREFIX).strip() if match.sentences else None
        note = provenance.machine_note(match.provenance.engine, where or f"from {origin}")
    if fuzzy:
        item.target.counts.fuzzy_from_memory += 1
    else:
        item.target.counts.from_memory += 1
    item.fill(
        match.translation,
        fuzzy=fuzzy,
        note=note,
        previous_msgid=previous_msgid,
        comments=comments,
    )


def _read(run: _Run, found: CatalogFile) -> tuple[catalog.Catalog | None, str]:
    """A catalog, or None when it is gone or cannot be read (recorded as failed), and the
    digest of the file taken before it was read: if it changes after, the digest is stale
    and whatever is recorded or written against it is safely redone."""
    digest = state.file_digest(found.path)
    try:
        po = catalog.read_catalog(found.path, language=found.language, display_path=found.shown)
    except FileNotFoundError:
        return None, digest
    except LocpipeError as exc:
        run.result.outcomes.append(failed(found.article, found.language, found.shown, exc))
        return None, digest
    return po, digest


def _write_fills(run: _Run, target: _Target) -> None:
    """Fill what is still pending in one catalog with what was found for it, and write it."""
    found = target.file
    po, digest = _read(run, found) if target.fills else (None, state.ABSENT)
    if po is not None:
        still_pending = {e.key: e.msgid for e in catalog.pending_entries(po)}
        before = catalog.catalog_text(po)
        for fill in target.fills:
            if still_pending.get(fill.key) == fill.msgid:
                catalog.fill_entry(
                    po,
                    fill.key,
                    fill.msgstr,
                    fuzzy=fill.fuzzy,
                    note=fill.note,
                    previous_msgid=fill.previous_msgid,
                    comments=fill.comments,
                )
        # PO-Revision-Date stays: it is when a person last edited the catalog, and a
        # machine filling entries is no such edit (see "PO conventions" in the README).
        if catalog.catalog_text(po) != before:
            try:
                # A compare-and-swap: a translator's save since the read is never written over.
                written = catalog.write_catalog(found.path, po, expected=digest)
            except CatalogChanged as exc:
                run.result.outcomes.append(failed(found.article, found.language, found.shown, exc))
                run.ledger.settle(found, settled=False, digest=digest)
                return
            status = Status.WRITTEN if written else Status.UNCHANGED
            run.result.outcomes.append(Outcome(found.article, found.language, status, found.shown))
            new_digest = state.digest(catalog.catalog_bytes(po))
            run.ledger.rewritten(found, digest, new_digest)
            digest = new_digest
    settled = po is not None and not catalog.pending_entries(po)
    run.ledger.settle(found, settled=settled, digest=digest)


def _report_unreadable(run: _Run, language: str, unreadable: Iterable[LocpipeError]) -> None:
    """One failed outcome per imported memory that cannot be read."""
    for error in unreadable:
        shown = str(error.path)
        run.result.outcomes.append(failed(shown, language, shown, error))


def _machine_translate(run: _Run, summary: LanguageSummary, items: list[_Pending]) -> None:
    """Send what memory could not fill to the engine, verify, and plan the fills.

    Every unit is first sent in the protection form that last worked for this engine and
    language pair; a unit whose output fails verification is sent again in the engine's
    other forms, in its order, until one passes.  A unit that fails in every form is
    filled for reference only (noted as failed, never published) and is not sent again
    until its source, the glossary's terms in it or the engine's settings change, or its
    back-off has passed.
    """
    project, cache = run.project, run.cache
    language, source = summary.language, project.source_language
    if summary.engine in run.down:
        summary.error = f"{run.down[summary.engine]} (not tried again for {language})"
        summary.error_kind = Kind.ENGINE_UNAVAILABLE
        return
    try:
        engine = run.engines(summary.engine)
    except LocpipeError as exc:
        summary.error, summary.error_kind = str(exc), kind_of(exc)
        return
    keys = {item.msgid: _failure_key(engine, item.msgid, run.glossary, language) for item in items}
    if cache:
        failed = cache.failed_since(engine.name, source, language, list(set(keys.values())))
        recent = run.now - timedelta(days=project.pretranslate.retry_failed_after)
        waiting = {key for key, when in failed.items() if when > recent}
        for item in items:
            if keys[item.msgid] in waiting:
                item.target.counts.failed_verification += 1
                item.target.counts.failed_earlier += 1
        items = [item for item in items if keys[item.msgid] not in waiting]
    if engine.steers_by_glossary:
        owner = state.digest(str(project.root).encode())[:8]
        engine = engine.with_agreed(_agreed(run.glossary, language), owner=owner)
    forms = engine.forms
    remembered = cache.form(engine.name, source, language) if cache else None
    start = next((i for i, form in enumerate(forms) if form.name == remembered), 0)
    reasons: dict[str, list[str]] = {}
    last_output: dict[str, str] = {}
    refused: dict[str, str] = {}
    failed_at_start = 0.0  # the share of units that failed in the first form tried
    # The remembered form first, then the others in the engine's order.
    for index in [start, *(i for i in range(len(forms)) if i != start)]:
        if not items or summary.error:
            break
        form_engine = engine.in_form(forms[index])
        sent_here = len(items)
        passed, failures = _translate_in_form(run, summary, form_engine, items, refused)
        if failures and engine.reads_hints and not summary.error:
            # An engine that reads instructions is asked once more, told what was wrong.
            named = {item.msgid: "; ".join(problems) for item, (_, problems) in failures.items()}
            again, failures = _translate_in_form(
                run, summary, form_engine, list(failures), refused, named
            )
            passed += again
        for item, (translation, problems) in failures.items():
            reasons.setdefault(item.msgid, []).append(f"{forms[index].name}: {'; '.join(problems)}")
            if translation:
                last_output[item.msgid] = translation
        if index == start:
            failed_at_start = len(failures) / max(sent_here, 1)
        elif (
            cache and passed and not failures and not forms[index].plain and failed_at_start >= 0.25
        ):
            # The remembered form failed a good share of units (not one odd unit) and this
            # one passed them all: start here next time.  Never with plain, the form that
            # protects least.
            cache.remember_form(engine.name, source, language, forms[index].name)
        items = list(failures)
    if run.dry_run:
        return
    for item in items:
        if item.msgid not in last_output:
            continue  # never answered: the engine failed, and its error is reported
        item.target.counts.failed_verification += 1
        reason = " | ".join(reasons[item.msgid])
        item.fill(
            last_output[item.msgid],
            fuzzy=True,
            note=provenance.failed_note(engine.name, reason),
        )
    if cache and not summary.error:
        failed_keys = {keys[item.msgid] for item in items if item.msgid in last_output}
        cache.remember_failures(engine.name, source, language, failed_keys, failed=run.now)
    unanswered = [item for item in items if item.msgid not in last_output]
    if unanswered and refused and not summary.error:
        # Refused in every form: those units stay untranslated, and the run says so.
        last = {item.msgid: reasons[item.msgid][-1].split(": ", 1)[-1] for item in unanswered}
        error = refusal(engine.name, last)
        summary.error, summary.error_kind = str(error), kind_of(error)


def _failure_key(engine: Engine, msgid: str, glossary: Glossary, language: str) -> str:
    """Everything a unit's failure depends on: its source, the glossary's terms in it, and
    the engine with its settings."""
    terms = [(t.term, str(t.rule), t.target(language)) for t in glossary.terms_in(msgid)]
    settings = sorted((str(k), str(v)) for k, v in engine.settings.items())
    return state.make_key("failed", engine.name, settings, msgid, terms)


def _translate_in_form(
    run: _Run,
    summary: LanguageSummary,
    engine: Engine,
    items: list[_Pending],
    refused: dict[str, str],
    violations: Mapping[str, str] | None = None,
) -> tuple[int, dict[_Pending, tuple[str, list[str]]]]:
    """Send the units in the engine's current form; fill those that pass verification.

    ``violations`` (by msgid) tells an engine that reads hints why its previous answer
    failed; ``refused`` collects the texts whose answers dispatch refused (empty, flooding,
    too long).  Returns how many passed, and the output and problems of each one that
    failed.
    """
    project, glossary, cache, progress = run.project, run.glossary, run.cache, run.progress
    language, source = summary.language, project.source_language
    config = project.pretranslate
    # By item: the same msgid may stand in a Markdown and a plain-text article, masked
    # differently.
    protected = {
        item: protect(
            item.msgid,
            glossary,
            language,
            engine.protection,
            markup=item.target.file.markup,
            # The last form, plain, sends every agreed translation itself.
            agreed_by_engine=engine.steers_by_glossary and not engine.protection.plain,
        )
        for item in items
    }
    distinct = list(dict.fromkeys(p.text for p in protected.values()))
    if engine.reads_hints:
        engine = engine.with_hints(
            {protected[item].text: _hints(item, glossary, language, violations) for item in items}
        )
    # Asked again with a violation named, the same text must not come from the cache.
    known = (
        cache.get(engine.cache_name, source, language, distinct) if cache and not violations else {}
    )
    summary.cached += len(known)
    to_send = [text for text in distinct if text not in known]
    if run.dry_run:
        summary.characters += sum(len(text) for text in to_send)
        return 0, {}
    outputs = dict(known)
    if to_send:
        sent = dispatch(
            engine,
            to_send,
            source=source,
            target=language,
            workers=config.workers,
            policy=RetryPolicy(retries=config.retries, backoff=config.backoff),
            on_batch=(lambda n: progress(language, n)) if progress else None,
        )
        summary.requests += sent.requests
        summary.characters += sent.characters
        if sent.error is not None:
            summary.error, summary.error_kind = str(sent.error), kind_of(sent.error)
            if isinstance(sent.error, EngineUnavailable):  # timeouts, unreachable: not a 4xx
                run.down[engine.name] = str(sent.error)
        outputs.update(sent.translations)
        refused.update(sent.refused)
    passed, failures = 0, {}
    bad: set[str] = set()
    for item in items:
        sent_text = protected[item]
        output = outputs.get(sent_text.text)
        if output is None:
            if sent_text.text in refused:  # this text only: the next form may do better
                failures[item] = ("", [refused[sent_text.text]])
            continue
        translation, problems = _finish(
            item.msgid, output, sent_text, engine, glossary, language, item.target.file.markup
        )
        if problems:
            failures[item] = (translation, problems)
            bad.add(sent_text.text)
            continue
        passed += 1
        item.target.counts.machine += 1
        # What the engine said about its own output (unknown words, a weak memory match).
        said = output.note if isinstance(output, EngineOutput) and output.note else ""
        if isinstance(output, EngineOutput) and output.uncertain:
            item.target.counts.uncertain += 1
        item.fill(
            translation,
            fuzzy=True,
            note=provenance.machine_note(engine.name, said),
        )
    if cache and to_send:
        # Output that failed verification is kept only as the failure record's reason.
        fresh = [(t, outputs[t]) for t in to_send if t in outputs and t not in bad]
        cache.put(engine.cache_name, source, language, fresh, created=run.now)
    return passed, failures


def _agreed(glossary: Glossary, language: str) -> dict[str, str]:
    """Source term -> agreed translation in ``language``, for an engine's own glossary."""
    return {
        term.term: target
        for term in glossary.terms
        if term.rule is TermRule.TRANSLATE and (target := term.target(language))
    }


def _hints(
    item: _Pending, glossary: Glossary, language: str, violations: Mapping[str, str] | None
) -> Hints:
    """What an engine that reads instructions is told about one unit."""
    rules = []
    for term in glossary.terms_in(item.msgid):
        target = term.target(language)
        if term.rule is TermRule.KEEP:
            rule = f"{term.term}: keep as it is"
        elif target:
            rule = f"{term.term}: translate as {target}"
        else:
            continue
        if term.forbidden:
            rule += f"; never {', '.join(term.forbidden)}"
        rules.append(f"{rule} ({term.note})" if term.note else rule)
    violation = violations.get(item.msgid) if violations else None
    return Hints(item.target.title, item.context or None, tuple(rules), violation)


def _finish(
    msgid: str,
    output: str,
    sent: ProtectedText,
    engine: Engine,
    glossary: Glossary,
    language: str,
    markup: Markup,
) -> tuple[str, list[str]]:
    """Restore terms, keep the source's outer whitespace, and list what is wrong."""
    text, problems = restore(output, sent, engine.protection)
    core = text.strip()
    if not core:
        return text, ["the engine returned nothing"]
    lead = msgid[: len(msgid) - len(msgid.lstrip())]
    trail = msgid[len(msgid.rstrip()) :]
    translation = f"{lead}{core}{trail}"
    problems += verify_translation(
        msgid, translation, glossary, language, engine.protection, markup=markup
    )
    return translation, problems
