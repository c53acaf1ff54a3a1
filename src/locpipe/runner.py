"""The one code that walks a project: sources, run state, worker processes, durable writes.

Stages are per-article (extract, build) or per-catalog (pretranslate, check, stats) work
that knows no other stage.  The runner reads each source once, asks the run state which
articles are as the last run left them, hands the rest to the stage's work inline or in
worker processes, waits for the writes, records what was done, and collects the results.
It alone reads and writes the run state (:mod:`locpipe.state`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
import re
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from . import segcache, state
from .errors import LocpipeError
from .fileio import CHANGED_MEANWHILE, FolderListing, WriteBatch, read_bytes
from .model import Article
from .project import ArticleFiles, Project
from .results import Kind, Outcome, StageResult, Status, failed
from .segment import segment_article, text_markup
from .segment.base import decode_source

if TYPE_CHECKING:
    from .glossary import Glossary
    from .protect import Markup

Progress = Callable[[ArticleFiles], None]


class ArticleCache:
    """Segmented articles by (reference, source hash), shared by the stages of one run.

    It holds at most ``limit`` articles: a segmented article takes about 20 kB, so sharing
    them all would make a run's memory grow with the project, and re-segmenting one costs
    about a millisecond.
    """

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self._articles: dict[tuple[str, str], Article] = {}

    def get(self, reference: str, digest: str) -> Article | None:
        """The article segmented from this source, if it was kept."""
        return self._articles.get((reference, digest))

    def add(self, reference: str, digest: str, article: Article) -> None:
        """Keep an article for the next stage, while there is room."""
        if len(self._articles) < self.limit:
            self._articles[reference, digest] = article


# In a slot's state record: its output is a file someone made by hand, which the stage
# kept rather than wrote.
HAND_MADE = "hand_made"


# Named tuples here (and CatalogFile below) rather than frozen dataclasses, for the
# reason model.Line gives.
class Source(NamedTuple):
    """One readable article source and the hash of its bytes; and, by slot, the file
    besides the source that the slot depends on (:meth:`ArticleWork.slot_input`) as it
    was read when the slot's key was made, or None where it could not be read."""

    files: ArticleFiles
    data: bytes
    digest: str
    # Shared by every Source made without one: read only (a Source is replaced, never
    # changed), and a dict so that a task pickles for a worker.
    inputs: Mapping[str, bytes | None] = {}


class Task(NamedTuple):
    """An article that needs work, and the state key of each slot to do: a language, or ""
    for the template."""

    source: Source
    keys: dict[str, str]
    # The hash of what the stage last wrote to each slot's output, as the run state holds
    # it: an output that no longer holds it was changed by someone else since.
    written: dict[str, str]

    @property
    def languages(self) -> list[str]:
        """The languages to do."""
        return [slot for slot in self.keys if slot]


@dataclass(slots=True)
class Done:
    """What a stage did with one article: outcomes, and the state record of each slot
    (a language, or "" for the template) to keep, or None to forget."""

    article: str
    outcomes: list[Outcome] = field(default_factory=list)
    records: dict[str, dict[str, object] | None] = field(default_factory=dict)
    # The article's key and cut when it was segmented anew (see segcache).
    cut: tuple[str, bytes] | None = None

    def add(self, slot: str, outcome: Outcome, record: dict[str, object]) -> None:
        """Add an outcome; its slot is remembered by ``record`` only if it is done."""
        self.outcomes.append(outcome)
        done = (
            outcome.status in (Status.WRITTEN, Status.UNCHANGED, Status.PROSE_FREE)
            and not outcome.findings
        )
        self.records[slot] = record if done else None


class ArticleWork(ABC):
    """One stage's work on one article: what it writes, what it depends on, and doing it.

    Work objects reach each worker process once, through fork, as the run had them when
    it started its workers (see :func:`_run_tasks`); they hold the project, the stage's
    options and the glossary, which do not change during a run, and what the stage has
    learnt of the folders it writes to (their listings, the folders swept), which each
    process keeps for itself.
    """

    stage: ClassVar[str]
    # Whether an article is redone whole when any slot is out of date (extract rewrites the
    # template and merges every catalog from it) or slot by slot (build).  The slots of a
    # whole article come from the same inputs and share one key, asked for slot "".
    whole_article: ClassVar[bool] = False

    def __init__(self, project: Project, glossary: Glossary) -> None:
        self.project = project
        self.glossary = glossary
        # The files of the project's folders as the stage found them: most of a new
        # project's outputs are not there yet, and need no lookup each to say so.
        self.listing = FolderListing()
        # The folders this stage's batches have cleared of a killed run's temporaries.
        self.swept: set[str] = set()

    @abstractmethod
    def outputs(self, files: ArticleFiles) -> dict[str, Path]:
        """The file each slot writes: "" for the template, else a language."""

    @abstractmethod
    def key(self, source: Source, slot: str) -> str:
        """The state key of a slot: a hash of everything its result depends on."""

    def slot_input(self, files: ArticleFiles, slot: str) -> Path | None:
        """The file besides the source that a slot's result depends on, or None.

        The runner reads it once, as it plans the slot, into ``Source.inputs``: its hash
        goes into the slot's key, and the work is done on the same bytes (a build read
        each catalog twice, to hash it and to parse it).
        """
        return None

    @abstractmethod
    def __call__(self, task: Task, article: Article, batch: WriteBatch) -> Done:
        """Do the task's slots for the segmented article, writing through ``batch``."""


def segment(
    source: Source,
    articles: ArticleCache,
    project: Project,
    cuts: segcache.SegmentCache | None = None,
) -> tuple[Article | Outcome, tuple[str, bytes] | None]:
    """The source segmented, once per run, and its cut when it was cut anew; an
    unreadable source is an outcome.

    A cut an earlier stage left in ``cuts`` is read back rather than made again; a new
    cut (:func:`locpipe.segcache.encode`) is returned for the caller to keep.
    """
    files = source.files
    cached = articles.get(files.reference, source.digest)
    if cached is not None:
        return cached, None
    options = project.segment_options(files)
    key = None if cuts is None else segcache.cache_key(files.reference, source.digest, options)
    # Decoded here only for a cut the cache holds: on a miss, segmenting decodes it.
    if cuts is not None and key is not None and cuts.holds(files.name, key):
        with contextlib.suppress(LocpipeError):  # a source segmenting will report
            text, bom = decode_source(source.data, files.reference)
            kept = cuts.article(name=files.name, key=key, text=text, path=files.reference, bom=bom)
            if kept is not None:
                articles.add(files.reference, source.digest, kept)
                return kept, None
    try:
        article = segment_article(
            source.data, path=files.reference, name=files.name, options=options
        )
    except LocpipeError as exc:
        return failed(files.name, None, files.reference, exc), None
    articles.add(files.reference, source.digest, article)
    return article, None if key is None else (key, segcache.encode(article))


def run_articles(
    work: ArticleWork,
    languages: Iterable[str],
    *,
    progress: Progress | None = None,
    articles: ArticleCache | None = None,
    incremental: bool = True,
    jobs: int = 1,
) -> StageResult:
    """Run an article stage over every article and language; record what it did.

    An article whose slots are as the last run left them is reported unchanged unless
    ``incremental`` is false; ``articles`` shares segmented articles between the stages of
    one run; ``jobs`` worker processes share the articles that need work when there are
    enough of them.
    """
    project, stage = work.project, work.stage
    languages = tuple(languages)
    run_state = open_state(project, incremental)
    # Not incremental, every article is segmented again, and its cut kept.
    path = project.segments_path
    cuts = segcache.SegmentCache.read(path) if incremental else segcache.SegmentCache(path)
    seen: set[str] = set()

    all_files = list(project.articles())

    def planned() -> Iterator[Task | Done]:
        for item in _sources(project, all_files, progress):
            if isinstance(item, Done):
                yield item
                continue
            seen.add(item.files.name)
            yield from _plan(work, run_state, item, languages)

    outcomes: list[Outcome] = []
    for done in _run_tasks(work, planned(), articles, cuts, jobs, expected=len(all_files)):
        outcomes.extend(done.outcomes)
        if done.cut is not None:
            cuts.add(done.article, *done.cut)
        for slot, record in done.records.items():
            if record is None:
                run_state.forget(stage, done.article, slot)
            else:
                run_state.remember(stage, done.article, slot, record)
    run_state.keep_only(seen)
    save_state(run_state)
    with contextlib.suppress(OSError):  # a cache: the run is done without it
        cuts.save(seen)
    return StageResult(stage, tuple(outcomes))


def _plan(
    work: ArticleWork, run_state: state.RunState, source: Source, languages: tuple[str, ...]
) -> Iterator[Task | Done]:
    """The unchanged slots of an article as outcomes, and a task for the rest."""
    files, stage = source.files, work.stage
    outputs = {
        slot: path for slot, path in work.outputs(files).items() if not slot or slot in languages
    }
    listing = work.listing
    outside = [
        slot
        for slot, path in outputs.items()
        if not work.project.contains(path, absent=listing.absent(path))
    ]
    if outside:
        # A link out of the project where a file of ours belongs: never read or write there.
        if work.whole_article:
            outside = list(outputs)
        refused = Done(files.name)
        for slot in outside:
            shown = work.project.relative(outputs.pop(slot))
            detail = f"{shown}: links outside the project; not read or written"
            refused.outcomes.append(
                Outcome(files.name, slot or None, Status.FAILED, shown, detail, Kind.IO)
            )
        yield refused
        if not outputs:
            return
    inputs = {slot: work.slot_input(files, slot) for slot in outputs}
    if any(path is not None for path in inputs.values()):
        read = {slot: _read_input(path) for slot, path in inputs.items() if path is not None}
        source = source._replace(inputs=read)
    if work.whole_article:
        keys = dict.fromkeys(outputs, work.key(source, ""))
    else:
        keys = {slot: work.key(source, slot) for slot in outputs}
    current = {
        slot
        for slot, path in outputs.items()
        if run_state.is_current(stage, files.name, slot, keys[slot], {"file": path})
    }
    if work.whole_article and current != set(outputs):
        current = set()
    unchanged = Done(files.name)
    for slot in current:
        record = run_state.record(stage, files.name, slot) or {}
        units, entries = record.get("units"), record.get("entries")
        unchanged.outcomes.append(
            Outcome(
                files.name,
                slot or None,
                Status.UNCHANGED,
                work.project.relative(outputs[slot]),
                units=units if isinstance(units, int) else None,
                entries=entries if isinstance(entries, int) else None,
            )
        )
    if unchanged.outcomes:
        yield unchanged
    to_do = {slot: keys[slot] for slot in outputs if slot not in current}
    if to_do:
        written = {}
        for slot in to_do:
            record = run_state.record(stage, files.name, slot) or {}
            recorded = record.get("outputs")
            if record.get(HAND_MADE) or not isinstance(recorded, dict):
                continue
            if isinstance(recorded.get("file"), str):
                written[slot] = recorded["file"]
        yield Task(source, to_do, written)


def _read_input(path: Path) -> bytes | None:
    """A slot's input file, or None where it is missing or cannot be read: the work reads
    it again for the error to report.  Looked for, not taken from the stage's listing: an
    input is usually there, and a listing older than it would key the slot on its absence.
    """
    try:
        return read_bytes(path)
    except OSError:
        return None


def _sources(
    project: Project, all_files: list[ArticleFiles], progress: Progress | None
) -> Iterator[Source | Done]:
    """Each article's bytes, or its failure when it is unreadable or clashes with another."""
    clashes = Counter(f.name for f in all_files)
    for files in all_files:
        if progress:
            progress(files)
        if clashes[files.name] > 1:
            others = sorted(f.reference for f in all_files if f.name == files.name)
            detail = f"{' and '.join(others)} would share one catalog; rename one"
            yield _failed(files, detail, Kind.CLASH)
            continue
        refused = _refused_name(files.reference)
        if refused:
            yield _failed(files, refused, Kind.SOURCE)
            continue
        if not project.contains(files.source):
            # A link out of the project: what it points to is none of our business.
            detail = f"{files.reference}: links to a file outside the project; not read"
            yield _failed(files, detail, Kind.SOURCE)
            continue
        yield _read_source(files)


def _read_source(files: ArticleFiles) -> Source | Done:
    """An article's bytes and their hash, or why they cannot be read."""
    try:
        data = read_bytes(files.source)
    except OSError as exc:
        return _failed(files, f"{files.reference}: cannot read: {exc.strerror}", Kind.IO)
    return Source(files, data, state.digest(data))


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _refused_name(reference: str) -> str | None:
    """Why an article's path cannot name PO files, or None.

    A line break or another control character would land in ``#:`` references and
    Project-Id-Version, which msgfmt rejects; a name that is not UTF-8 cannot be written
    in a PO file at all.

    >>> _refused_name("articles/nl/a\\nb.txt").split(":")[0]
    'articles/nl/a\\\\nb.txt'
    >>> _refused_name("articles/nl/ok.txt") is None
    True
    """

    if _CONTROL.search(reference):
        shown = _CONTROL.sub(lambda found: repr(found.group())[1:-1], reference)
        return (
            f"{shown}: a file name with a line break or control character cannot name its "
            "catalog; rename it"
        )
    if not reference.isascii():
        try:
            reference.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8, as Python stands them in
            shown = os.fsencode(reference).decode("utf-8", "backslashreplace")
            return f"{shown}: a file name that is not UTF-8 cannot name its catalog; rename it"
    return None


def _failed(files: ArticleFiles, detail: str, kind: Kind) -> Done:
    """An article that could not be taken up at all."""
    outcome = Outcome(files.name, None, Status.FAILED, files.reference, detail, kind)
    return Done(files.name, [outcome])


def open_state(project: Project, incremental: bool = True) -> state.RunState:
    """The recorded state, or an empty one that records but never skips."""
    if incremental:
        return state.read_state(project.state_path)
    return state.RunState(project.state_path)


def save_state(run_state: state.RunState) -> None:
    """Write the state; a project where it cannot be written still gets done."""
    with contextlib.suppress(OSError):
        state.write_state(run_state)


# Running the work: inline, or in worker processes when there is enough of it.

_CHUNK = 32  # articles per message to a worker: large enough to hide the pickling
_LAST_CHUNK = 4  # the smallest, towards the end of a run
PARALLEL_MIN = 2 * _CHUNK  # fewer articles than this are done inline
_PROBE = 16  # articles done inline first, timed, to judge whether workers would pay
# What workers cost, measured on 2 CPUs (docs/benchmarks.md, eleventh session): they do
# the work about 1.5 times over (each writes its own files, which one process leaves to a
# writer process beside it, and copies the memory it touches after the fork), and
# starting and feeding them takes time of its own.  250 plain-text articles are 0.1 to
# 0.2 s of work in one process, by the probe's median, and two workers took as long and
# 36% more CPU; an extract of 250 Markdown articles is 0.35 to 0.55 s, and two workers
# took 0.8 of one process's time.  So on 2 CPUs they start from 0.3 s of work.
_WORKER_OVERHEAD = 1.5
_WORKER_START = 0.075  # seconds


def default_jobs() -> int:
    """Worker processes to use by default: one per CPU this process may run on, up to 8."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, 8))


def workers_pay(seconds: float, jobs: int) -> bool:
    """Whether ``jobs`` workers would finish work that takes this process ``seconds``
    sooner than it would alone.

    >>> workers_pay(0.2, 2), workers_pay(0.5, 2), workers_pay(0.15, 8)
    (False, True, True)
    """
    return seconds * (1 - _WORKER_OVERHEAD / jobs) > _WORKER_START


def _run_tasks(
    work: ArticleWork,
    items: Iterable[Task | Done],
    articles: ArticleCache | None,
    cuts: segcache.SegmentCache | None,
    jobs: int,
    *,
    expected: int = 0,
) -> Iterator[Done]:
    """Each item's result in order: a task done by ``work``, a result passed through.

    Items are read as they come, and an article's bytes are held only while it is worked
    on: in one process, where the whole project is one chunk, each task is kept without
    them until the chunk ends, for a task a conflict stopped to be done again.  With
    ``jobs`` above 1 and at least ``PARALLEL_MIN`` tasks, the first ``_PROBE`` are done
    here and timed; if the tasks left, at their median pace, would take long enough for
    workers to pay (:func:`workers_pay`), the rest goes to worker processes
    (:mod:`locpipe.workers`) in chunks, a chunk to a worker at a time; with the number of
    articles ``expected``, the chunks get smaller towards the end (see :func:`_chunks`).
    """
    items = iter(items)
    head: list[Task | Done] = []
    tasks = 0
    if jobs > 1:
        for item in items:
            head.append(item)
            tasks += isinstance(item, Task)
            if tasks >= PARALLEL_MIN:
                break
    # Where there is no fork (Windows), workers would start slowly: the work is done inline.
    if tasks < PARALLEL_MIN or not hasattr(os, "fork"):
        yield from _run_chunk(work, itertools.chain(head, items), articles, cuts)
        return
    planned = len({_article_of(item) for item in head})
    probe, head = _split_after_tasks(head, _PROBE)
    rest = itertools.chain(head, items)
    use_workers = False

    def timed_then_inline() -> Iterator[Task | Done]:
        # The chunk does each item before it reads the next, so the time until it asks for
        # the next is the time the item took.  The median task's: the first pays for what
        # is loaded on first use (a Markdown parser: 45 ms).  Inline, the rest follows in
        # the same batch.
        nonlocal use_workers
        times = []
        for item in probe:
            started = time.process_time()
            yield item
            if isinstance(item, Task):
                times.append(time.process_time() - started)
        # The tasks left: those planned, and the articles not yet planned at the rate of
        # those that were.
        left = tasks - _PROBE + max(expected - planned, 0) * tasks / planned
        median = sorted(times)[len(times) // 2]  # not statistics': 12 ms to import
        use_workers = workers_pay(median * left, jobs)
        if not use_workers:
            yield from rest

    yield from _run_chunk(work, timed_then_inline(), articles, cuts)
    if not use_workers:
        return
    from .workers import run_in_workers  # here: a run in one process never needs it

    # The work goes to each worker once, by fork, rather than pickled with every chunk (it
    # holds the glossary), and so do the cuts of the segmentation cache.  Forking is safe
    # because this process runs no other thread here (fork copies only the caller's):
    # the timed articles' writes are done, and pretranslation's threads have ended.
    do_chunk = functools.partial(_run_chunk, work, cuts=cuts)
    remaining = max(expected - len({_article_of(item) for item in probe}), 0)
    for results in run_in_workers(do_chunk, _chunks(rest, remaining, jobs), jobs):
        yield from results


def _article_of(item: Task | Done) -> str:
    """The name of the article an item is of."""
    return item.article if isinstance(item, Done) else item.source.files.name


def _split_after_tasks(
    items: list[Task | Done], count: int
) -> tuple[list[Task | Done], list[Task | Done]]:
    """``items`` cut after their ``count``-th task (all of them if fewer): an article's
    task is the last of its items, as :func:`_plan` gives them."""
    seen = 0
    for index, item in enumerate(items):
        seen += isinstance(item, Task)
        if seen == count:
            return items[: index + 1], items[index + 1 :]
    return items, []


def _chunks(
    items: Iterable[Task | Done], expected: int = 0, jobs: int = 1
) -> Iterator[list[Task | Done]]:
    """Consecutive lists of the items of ``_CHUNK`` articles at a time, then, as the
    ``expected`` articles run out, of a share of what is left, down to ``_LAST_CHUNK``.

    Chunks of one size leave the workers that finish first idle while the last chunk is
    done; smaller chunks at the end let them finish together.  Chunks are counted in
    articles, as ``expected`` is, and an article's items stay together: one article can
    give both a result passed through and a task (some of its languages are up to date).
    """
    chunk: list[Task | Done] = []
    articles = dispatched = 0
    size = _chunk_size(expected, jobs) if expected else _CHUNK
    last: str | None = None
    for item in items:
        name = _article_of(item)
        if name != last:
            last = name
            if articles == size:
                yield chunk
                dispatched += articles
                chunk, articles = [], 0
                if expected:
                    size = _chunk_size(expected - dispatched, jobs)
            articles += 1
        chunk.append(item)
    if chunk:
        yield chunk


def _chunk_size(remaining: int, jobs: int) -> int:
    """How many articles the next chunk takes when about ``remaining`` are left."""
    share = -(-remaining // (2 * jobs))  # rounded up
    return max(_LAST_CHUNK, min(_CHUNK, share))


def _run_chunk(
    work: ArticleWork,
    items: Iterable[Task | Done],
    articles: ArticleCache | None = None,
    cuts: segcache.SegmentCache | None = None,
) -> list[Done]:
    """Do a chunk's tasks, wait for their files, and fail outcomes whose file was not written.

    A task a conflict stopped (a catalog saved by someone else while it was merged) is done
    once more, so that the merge takes the save in; a second conflict stays reported.
    """
    # Alone, a stage keeps no article: only a run's next stage would use one.
    articles = ArticleCache(limit=0) if articles is None else articles
    done_items: list[Task | Done] = []
    results = _run_batch(work, items, articles, cuts, done_items)
    again = [
        index
        for index, done in enumerate(results)
        if isinstance(done_items[index], Task)
        and any(o.kind is Kind.CONFLICT for o in done.outcomes)
    ]
    if again:
        work.listing.forget()  # it may say absent what another program has since made
        redo = [_read_again(done_items[i]) for i in again]
        redone = _run_batch(work, redo, articles, cuts, [])
        for index, done in zip(again, redone, strict=True):
            # Done again, the article came from the run's articles: the cut is the first's.
            done.cut = done.cut or results[index].cut
            results[index] = done
    return results


def _run_batch(
    work: ArticleWork,
    items: Iterable[Task | Done],
    articles: ArticleCache,
    cuts: segcache.SegmentCache | None,
    done_items: list[Task | Done],
) -> list[Done]:
    """Do the tasks through one batch of writes, and fail what could not be written; add
    each item to ``done_items``, for a task to be done again.

    Items are taken one at a time as they are planned, each done before the next is read,
    and a task keeps none of its bytes once done (its source, a build's catalogs): in one
    process a stage's chunk is the whole project, and planning every article first held
    every source and every catalog at once (a build of 2,500 plain-text articles peaked at
    65 MB that way).  A task done again after a conflict reads its source anew.
    """
    results: list[Done] = []
    with WriteBatch(swept=work.swept) as batch:
        for item in items:
            if isinstance(item, Task):
                results.append(_do(work, item, articles, batch, cuts))
                item = item._replace(source=item.source._replace(data=b"", inputs={}))
            else:
                results.append(item)
            done_items.append(item)
        failures = {work.project.relative(path): e for path, e in batch.close().items()}
    if failures:
        for done in results:
            _fail_unwritten(done, failures)
    return results


def _read_again(item: Task | Done) -> Task | Done:
    """A task that let its bytes go, with its source read anew to be done again; or why it
    cannot be.  A source changed meanwhile is done as it is now, under the key of what it
    was: the next run sees the key differ and does it again."""
    if not isinstance(item, Task):
        return item
    source = _read_source(item.source.files)
    return source if isinstance(source, Done) else item._replace(source=source)


def _do(
    work: ArticleWork,
    task: Task,
    articles: ArticleCache,
    batch: WriteBatch,
    cuts: segcache.SegmentCache | None = None,
) -> Done:
    """Segment a task's article (once per run) and let the work do its slots."""
    files = task.source.files
    article, cut = segment(task.source, articles, work.project, cuts)
    if isinstance(article, Outcome):
        return Done(files.name, [article])
    try:
        done = work(task, article, batch)
    except LocpipeError as exc:
        # Something in this article alone (a control character no PO file may hold): it
        # fails, nothing of it is recorded, and the other articles go on.
        done = Done(files.name, [failed(files.name, None, files.reference, exc)])
    done.cut = cut
    return done


def _fail_unwritten(done: Done, failures: dict[str, OSError]) -> None:
    """An outcome whose file could not be written becomes failed, and is not remembered."""
    for index, outcome in enumerate(done.outcomes):
        error = failures.get(outcome.path)
        if error is None or outcome.status is not Status.WRITTEN:
            continue
        if error.errno == CHANGED_MEANWHILE:
            detail = f"{outcome.path}: {error.strerror}; run again to merge it"
            kind = Kind.CONFLICT
        else:
            detail = f"{outcome.path}: cannot write: {error.strerror or error}"
            kind = Kind.IO
        done.outcomes[index] = dataclasses.replace(
            outcome, status=Status.FAILED, detail=detail, kind=kind
        )
        done.records[outcome.language or ""] = None


# Per-catalog stages: pretranslate, check and stats read each article's catalog in a language.


class CatalogFile(NamedTuple):
    """One article's catalog in one language."""

    article: str
    language: str
    path: Path
    shown: str  # relative to the project root
    # The inline syntax of its units (Markdown, HTML or none): what engines are given masked.
    markup: Markup = "plain"


def catalog_files(project: Project, language: str) -> Iterator[CatalogFile]:
    """Every article's catalog in ``language`` that exists, in article order."""
    for files in project.articles():
        path = project.catalog_path(language, files.name)
        # extract reports a catalog linked out of the project; nothing reads it.
        if path.exists() and project.contains(path):
            markup = text_markup(files.source)
            yield CatalogFile(files.name, language, path, project.relative(path), markup)


class CatalogLedger:
    """The run state as a per-catalog stage (pretranslate) sees it.

    A catalog that pretranslation found with nothing pending is *settled*, and need not be
    read again until it changes.  When pretranslation rewrites a catalog, extract's record
    follows: filling entries leaves what extract merges unchanged, so a catalog extract left
    as it was, and pretranslation then filled, needs no extract next run.
    """

    _stage = "pretranslate"
    # A catalog recorded under this key had nothing pending when pretranslation last saw it.
    _settled = state.make_key("pretranslate", "nothing pending")

    def __init__(self, project: Project, *, record: bool = True) -> None:
        self.state = state.read_state(project.state_path)
        self.record = record

    def is_settled(self, catalog: CatalogFile) -> bool:
        """Whether the catalog is unchanged since it last had nothing pending."""
        return self.state.is_current(
            self._stage, catalog.article, catalog.language, self._settled, {"file": catalog.path}
        )

    def settle(self, catalog: CatalogFile, settled: bool, digest: str) -> None:
        """Record whether the catalog whose bytes hash to ``digest`` has nothing pending.

        The digest is of the bytes that were read (or written), never hashed again here: a
        save in between would otherwise be taken for what was found settled.
        """
        if not self.record:
            return
        if settled:
            outputs = {"file": digest}
            entry = {"key": self._settled, "outputs": outputs}
            self.state.remember(self._stage, catalog.article, catalog.language, entry)
        else:
            self.state.forget(self._stage, catalog.article, catalog.language)

    def rewritten(self, catalog: CatalogFile, old_digest: str, new_digest: str) -> None:
        """Let extract's record follow a catalog whose entries were filled."""
        record = self.state.record("extract", catalog.article, catalog.language)
        outputs = record.get("outputs") if record else None
        if isinstance(outputs, dict) and outputs.get("file") == old_digest:
            outputs["file"] = new_digest
            self.state.changed = True

    def save(self) -> None:
        """Write what was recorded."""
        if self.record:
            save_state(self.state)
