"""Measure locpipe's own performance targets: scaling, languages, no-op re-runs, start-up.

    python bench/scale.py --sizes 500,5000 --repeat 3 --json bench/results/scale.json

Four sections, each timed command in a fresh measuring process (``bench/stage.py``, through
``run.run_stage``: wall time and the peak RSS of the process tree), median of ``--repeat``
runs, on the corpus of ``bench/corpus.py``:

1. **scaling**: ``locpipe extract --lang en``, then every msgstr set to its msgid (untimed),
   then ``locpipe build --lang en --min-translated 0``, in projects of each of ``--sizes``
   articles: plain text only, Markdown only, and both (the corpus's first N articles).
   Targets: peak RSS under 200 MB at 5,000 articles, and a flat time per article (read here
   as: ms per article at the largest size at most 1.2x that at the smallest).
2. **languages**: the same extract, fill and build (no ``--lang``: every language of the
   project) with ``languages = ["en"]`` and with ten languages, on ``--languages-size``
   articles. Target: ten languages take at most 5x the time of one.
3. **no-op**: a project with ``[pretranslate] engine = "apertium"`` and one language that an
   installed apertium ``nld-*`` pair serves (Afrikaans first). ``locpipe run`` from scratch,
   then again with nothing changed; ``locpipe extract`` and ``locpipe build`` likewise; then
   one sentence appended to one article and ``locpipe run`` again. Every file of the project
   outside ``.locpipe/`` is compared before and after each re-run (mtime, inode and bytes).
   Targets: a no-op ``run`` takes at most 5% of a first run and rewrites no file; after the
   one-article edit only that article's template, catalog and output change.
4. **start-up**: ``locpipe --help`` (console script and ``python -m locpipe``) against a bare
   ``python -c pass``, median of ``--startup-repeat`` runs.

"First" runs start from a fresh state: ``locales/``, ``templates/``, ``.locpipe/`` and the
output folders are deleted before each. Within sections 1 and 2 the cases take turns (every
case once per repeat), so a shared machine's passing load does not favour one. The JSON
records which locpipe was imported (``source_tree``); to measure a commit rather than the
working tree, put ``git archive <commit> src`` unpacked first on ``PYTHONPATH``. Timings are
reported, never asserted; the exit status is 1 only when a locpipe command failed (its rows
are marked FAILED). ``--sections`` runs a subset; ``--keep DIR`` keeps the work folder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from corpus import generate_corpus  # noqa: E402
from run import PY, fill_identity, machine, report_header, run_stage, versions  # noqa: E402

from locpipe import __file__ as LOCPIPE_INIT  # noqa: E402
from locpipe.engines.apertium import _ISO3  # noqa: E402

LOCPIPE = [PY, "-m", "locpipe"]
FORMATS = ("txt", "md", "txt+md")
TEN_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "pl", "sv", "da", "af")
SECTIONS = ("scaling", "languages", "noop", "startup")
# Preferred targets for the no-op section, in order; the first apertium serves from Dutch wins.
NOOP_LANGUAGES = ("af", "en", "de", "es", "fr")
APPENDED = "\n\nDeze zin is door de benchmark toegevoegd om één artikel te wijzigen.\n"
FAILED = " (FAILED)"  # marks a row where a command failed: its time means nothing
FLAT = 1.2  # "time per article stays flat": largest size at most this times the smallest
Snapshot = dict[str, tuple[int, int, bytes]]


@dataclass(frozen=True)
class Timed:
    """One timed stage (or the median of several): seconds and peak RSS in MB."""

    wall: float
    rss_mb: float
    failed: bool = False  # some command exited non-zero: the time means nothing


class Runner:
    """Runs timed commands and keeps the failures, for the report and the exit status."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def time(self, command: list[str]) -> Timed:
        """Run one command in a fresh measuring process."""
        stage = run_stage([command])
        for failure in cast(list[dict[str, object]], stage["failed"]):
            argv = cast(list[str], failure["command"])
            stderr = str(failure["stderr"]).strip()[-300:]
            self.errors.append(f"{' '.join(argv[2:4])}: {stderr}")
        return Timed(
            cast(float, stage["wall"]),
            cast(int, stage["maxrss_kb"]) / 1024,
            failed=bool(stage["failed"]),
        )


def median(runs: list[Timed]) -> Timed:
    """The median wall time and the median peak RSS of several runs."""
    return Timed(
        statistics.median(r.wall for r in runs),
        statistics.median(r.rss_mb for r in runs),
        failed=any(r.failed for r in runs),
    )


def pick(corpus: dict[str, list[Path]], fmt: str, count: int) -> list[Path]:
    """The first ``count`` articles of one format, or of the corpus ("txt+md")."""
    if fmt == "txt+md":
        return sorted(corpus["txt"] + corpus["md"], key=lambda p: p.name)[:count]
    return corpus[fmt][:count]


def make_project(root: Path, sources: list[Path], languages: tuple[str, ...]) -> Path:
    """A fresh project at ``root`` with the sources in ``articles/nl/``."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "articles" / "nl").mkdir(parents=True)
    (root / "glossary").mkdir()
    for source in sources:
        shutil.copyfile(source, root / "articles" / "nl" / source.name)
    listed = ", ".join(f'"{code}"' for code in languages)
    (root / "locpipe.toml").write_text(
        f'source_language = "nl"\nlanguages = [{listed}]\n\n[pretranslate]\nengine = "apertium"\n',
        encoding="utf-8",
    )
    return root


def reset(root: Path, languages: tuple[str, ...]) -> None:
    """Delete everything locpipe wrote, so the next run is a first run."""
    for name in ("locales", "templates", ".locpipe", *(f"articles/{code}" for code in languages)):
        shutil.rmtree(root / name, ignore_errors=True)


def locpipe(root: Path, *args: str) -> list[str]:
    """A locpipe command on the project at ``root``."""
    return [*LOCPIPE, *args, "--project", str(root)]


def snapshot(root: Path) -> Snapshot:
    """Every file under ``root``: mtime, inode and bytes, by POSIX path relative to root."""
    found: Snapshot = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found[path.relative_to(root).as_posix()] = (
                stat.st_mtime_ns,
                stat.st_ino,
                path.read_bytes(),
            )
    return found


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """Paths created, deleted or rewritten between two snapshots (``.locpipe/`` aside)."""
    return sorted(
        path
        for path in before.keys() | after.keys()
        if before.get(path) != after.get(path) and not path.startswith(".locpipe/")
    )


def extract_fill_build(runner: Runner, root: Path, *lang: str) -> tuple[Timed, Timed]:
    """Extract, fill every msgstr with its msgid (untimed), build; from a fresh state."""
    options = [arg for code in lang for arg in ("--lang", code)]
    extract = runner.time(locpipe(root, "extract", *options))
    fill_identity(root / "locales")
    build = runner.time(locpipe(root, "build", *options, "--min-translated", "0"))
    return extract, build


def scaling(
    runner: Runner, corpus: dict[str, list[Path]], sizes: list[int], repeat: int, work: Path
) -> list[dict[str, object]]:
    """Section 1: extract + build into English at each size, per format and both.

    Repeats are the outer loop (every case once, then every case again), so a load that
    comes and goes on a shared machine spreads over all cases.
    """
    cases = {(size, fmt): pick(corpus, fmt, size) for size in sorted(set(sizes)) for fmt in FORMATS}
    roots = {
        case: make_project(work / f"scale-{case[1]}-{case[0]}", sources, ("en",))
        for case, sources in cases.items()
    }
    runs: dict[tuple[int, str], list[tuple[Timed, Timed]]] = {case: [] for case in cases}
    for n in range(repeat):
        for case, root in roots.items():
            print(
                f"scale: scaling {case[1]} ({len(cases[case])} articles, run {n + 1})",
                file=sys.stderr,
            )
            reset(root, ("en",))
            runs[case].append(extract_fill_build(runner, root, "en"))
    rows: list[dict[str, object]] = []
    for case, root in roots.items():
        sources = cases[case]
        extract = median([r[0] for r in runs[case]])
        build = median([r[1] for r in runs[case]])
        exact = sum(
            1
            for src in sources
            if (root / "articles" / "en" / src.name).is_file()
            and (root / "articles" / "en" / src.name).read_bytes() == src.read_bytes()
        )
        total = extract.wall + build.wall
        rows.append(
            {
                "format": case[1],
                "articles": len(sources),
                "failed": extract.failed or build.failed,
                "exact": exact,
                "extract_s": extract.wall,
                "build_s": build.wall,
                "total_s": total,
                "ms_per_article": 1000 * total / len(sources),
                "extract_rss_mb": extract.rss_mb,
                "build_rss_mb": build.rss_mb,
                "rss_mb": max(extract.rss_mb, build.rss_mb),
                "runs": {
                    "extract": [r[0].wall for r in runs[case]],
                    "build": [r[1].wall for r in runs[case]],
                },
            }
        )
        shutil.rmtree(root, ignore_errors=True)
    return rows


def languages(
    runner: Runner, corpus: dict[str, list[Path]], size: int, repeat: int, work: Path
) -> dict[str, object]:
    """Section 2: extract + build for every language of a one- and a ten-language project.

    The two projects take turns, one repeat each, so a load that comes and goes on a shared
    machine weighs on both alike rather than on whichever ran during it.
    """
    sources = pick(corpus, "txt+md", size)
    projects = {
        codes: make_project(work / f"languages-{len(codes)}", sources, codes)
        for codes in (("en",), TEN_LANGUAGES)
    }
    runs: dict[tuple[str, ...], list[tuple[Timed, Timed]]] = {codes: [] for codes in projects}
    for n in range(repeat):
        for codes, root in projects.items():
            print(
                f"scale: languages {len(codes)} ({len(sources)} articles, run {n + 1})",
                file=sys.stderr,
            )
            reset(root, codes)
            runs[codes].append(extract_fill_build(runner, root))
    rows = []
    for codes, root in projects.items():
        extract = median([r[0] for r in runs[codes]])
        build = median([r[1] for r in runs[codes]])
        outputs = sum(
            1
            for code in codes
            for src in sources
            if (root / "articles" / code / src.name).is_file()
        )
        rows.append(
            {
                "languages": list(codes),
                "articles": len(sources),
                "failed": extract.failed or build.failed,
                "outputs": outputs,
                "extract_s": extract.wall,
                "build_s": build.wall,
                "total_s": extract.wall + build.wall,
                "rss_mb": max(extract.rss_mb, build.rss_mb),
                "runs": {
                    "extract": [r[0].wall for r in runs[codes]],
                    "build": [r[1].wall for r in runs[codes]],
                },
            }
        )
        shutil.rmtree(root, ignore_errors=True)
    return {
        "rows": rows,
        "ratio": cast(float, rows[1]["total_s"]) / cast(float, rows[0]["total_s"]),
    }


def apertium_language() -> str | None:
    """The first of NOOP_LANGUAGES that an installed apertium pair translates Dutch into."""
    if not shutil.which("apertium"):
        return None
    listed = subprocess.run(["apertium", "-l"], capture_output=True, text=True).stdout.split()
    return next((code for code in NOOP_LANGUAGES if f"nld-{_ISO3[code]}" in listed), None)


def noop(
    runner: Runner,
    corpus: dict[str, list[Path]],
    size: int,
    language: str,
    repeat: int,
    work: Path,
) -> dict[str, object]:
    """Section 3: first runs against no-op re-runs, and a re-run after one article's edit."""
    sources = pick(corpus, "txt+md", size)
    codes = (language,)
    root = make_project(work / "noop", sources, codes)
    touched = root / "articles" / "nl" / sources[0].name
    pristine = touched.read_bytes()
    times: dict[str, list[Timed]] = {}
    rewritten: dict[str, set[str]] = {}

    def timed(label: str, command: list[str], compare: str | None = None) -> None:
        before = snapshot(root) if compare else {}
        times.setdefault(label, []).append(runner.time(command))
        if compare:
            rewritten.setdefault(compare, set()).update(changed(before, snapshot(root)))

    print(f"scale: no-op ({len(sources)} articles, nl->{language})", file=sys.stderr)
    for _ in range(repeat):
        reset(root, codes)
        timed("run_first", locpipe(root, "run"))
        timed("run_noop", locpipe(root, "run"), compare="run_noop")
        with touched.open("ab") as handle:
            handle.write(APPENDED.encode("utf-8"))
        timed("run_touch", locpipe(root, "run"), compare="run_touch")
        touched.write_bytes(pristine)

        reset(root, codes)
        timed("extract_first", locpipe(root, "extract"))
        timed("extract_noop", locpipe(root, "extract"), compare="extract_noop")
        fill_identity(root / "locales")
        build = locpipe(root, "build", "--min-translated", "0")
        timed("build_first", build)
        timed("build_noop", build, compare="build_noop")
    shutil.rmtree(root, ignore_errors=True)

    result: dict[str, object] = {"articles": len(sources), "language": language}
    for command in ("run", "extract", "build"):
        first, again = median(times[f"{command}_first"]), median(times[f"{command}_noop"])
        result[command] = {
            "failed": first.failed or again.failed,
            "first_s": first.wall,
            "noop_s": again.wall,
            "ratio": again.wall / first.wall,
            "first_rss_mb": first.rss_mb,
            "noop_rss_mb": again.rss_mb,
            "rewritten": sorted(rewritten[f"{command}_noop"]),
            "runs": {
                "first": [t.wall for t in times[f"{command}_first"]],
                "noop": [t.wall for t in times[f"{command}_noop"]],
            },
        }
    stem = touched.stem
    touch_changed = sorted(rewritten["run_touch"])
    result["touch"] = {
        "article": touched.relative_to(root).as_posix(),
        "run_s": median(times["run_touch"]).wall,
        "failed": median(times["run_touch"]).failed,
        "changed": touch_changed,
        "only_that_article": all(Path(p).stem == stem for p in touch_changed),
        "runs": [t.wall for t in times["run_touch"]],
    }
    return result


def startup(runner: Runner, repeat: int) -> list[dict[str, object]]:
    """Section 4: ``--help`` of the console script and the module, against a bare Python."""
    commands = {
        "python -c pass": [PY, "-c", "pass"],
        "python -m locpipe --help": [*LOCPIPE, "--help"],
    }
    # The console script next to this interpreter, not a shim (pyenv's adds a bash start-up).
    beside = Path(PY).parent / "locpipe"
    if script := str(beside) if beside.is_file() else shutil.which("locpipe"):
        commands["locpipe --help"] = [script, "--help"]
    rows: list[dict[str, object]] = []
    for label, command in commands.items():
        print(f"scale: start-up {label}", file=sys.stderr)
        runs = [runner.time(command) for _ in range(repeat)]
        rows.append(
            {
                "command": label,
                "failed": median(runs).failed,
                "wall_s": median(runs).wall,
                "rss_mb": median(runs).rss_mb,
                "runs": [r.wall for r in runs],
            }
        )
    return rows


def targets(report: dict[str, object]) -> list[dict[str, object]]:
    """The issue's targets, each with what was measured and whether it is met."""
    rows: list[dict[str, object]] = []

    def add(name: str, measured: str, goal: str, met: bool) -> None:
        rows.append({"target": name, "measured": measured, "goal": goal, "met": met})

    def failed(*parts: object) -> bool:
        return any(bool(cast(dict[str, object], part).get("failed")) for part in parts)

    scale = cast(list[dict[str, object]], report.get("scaling", []))
    both = [r for r in scale if r["format"] == "txt+md"]
    if both:
        big = max(both, key=lambda r: cast(int, r["articles"]))
        small = min(both, key=lambda r: cast(int, r["articles"]))
        rss = cast(float, big["rss_mb"])
        rss_text = f"{rss:.0f} MB" + FAILED * failed(big)
        add(f"peak RSS, {big['articles']} articles (txt+md)", rss_text, "< 200 MB", rss < 200)
        if big is not small:
            growth = cast(float, big["ms_per_article"]) / cast(float, small["ms_per_article"])
            add(
                f"ms/article, {big['articles']} vs {small['articles']} articles (txt+md)",
                f"{growth:.2f}x" + FAILED * failed(big, small),
                f"flat (<= {FLAT}x)",
                growth <= FLAT,
            )
    if "languages" in report:
        langs = cast(dict[str, object], report["languages"])
        ratio = cast(float, langs["ratio"])
        ratio_text = f"{ratio:.2f}x" + FAILED * failed(*cast(list[object], langs["rows"]))
        add("10 languages vs 1 (extract+build)", ratio_text, "<= 5x", ratio <= 5)
    if "noop" in report:
        noop_ = cast(dict[str, dict[str, object]], report["noop"])
        run = noop_["run"]
        ratio = cast(float, run["ratio"])
        ratio_text = f"{100 * ratio:.1f}%" + FAILED * failed(run)
        add("no-op run vs first run", ratio_text, "<= 5%", ratio <= 0.05)
        files = len(cast(list[str], run["rewritten"]))
        add("files rewritten by a no-op run", str(files), "0", files == 0)
        touch = noop_["touch"]
        count = len(cast(list[str], touch["changed"]))
        only = bool(touch["only_that_article"])
        add(
            "files changed by a run after editing one article",
            f"{count}{'' if only else ' (not only that article)'}",
            "only that article's outputs",
            only,
        )
    return rows


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def format_report(report: dict[str, object]) -> str:
    """Markdown tables of every section that ran, and of the targets."""
    out: list[str] = []
    if scale := cast(list[dict[str, Any]], report.get("scaling")):
        out += [
            "### Scaling (extract --lang en, build --lang en)",
            "",
            "| format | articles | exact | extract s | build s | extract+build s | ms/article "
            "| peak RSS MB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in sorted(scale, key=lambda r: (FORMATS.index(r["format"]), r["articles"])):
            out.append(
                _row(
                    [
                        r["format"] + FAILED * r["failed"],
                        r["articles"],
                        f"{r['exact']}/{r['articles']}",
                        f"{r['extract_s']:.2f}",
                        f"{r['build_s']:.2f}",
                        f"{r['total_s']:.2f}",
                        f"{r['ms_per_article']:.2f}",
                        f"{r['rss_mb']:.0f}",
                    ]
                )
            )
        out.append("")
    if langs := cast(dict[str, Any], report.get("languages")):
        out += [
            "### One language vs ten (extract, build, all languages)",
            "",
            "| languages | articles | outputs | extract s | build s | extract+build s "
            "| peak RSS MB |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in langs["rows"]:
            out.append(
                _row(
                    [
                        " ".join(r["languages"]) + FAILED * r["failed"],
                        r["articles"],
                        r["outputs"],
                        f"{r['extract_s']:.2f}",
                        f"{r['build_s']:.2f}",
                        f"{r['total_s']:.2f}",
                        f"{r['rss_mb']:.0f}",
                    ]
                )
            )
        out += ["", f"Ten languages / one: {langs['ratio']:.2f}x", ""]
    if noop_ := cast(dict[str, Any], report.get("noop")):
        out += [
            f"### Re-runs ({noop_['articles']} articles, nl -> {noop_['language']}, apertium)",
            "",
            "| command | first s | no-op s | no-op / first | first RSS MB | no-op RSS MB "
            "| files rewritten by no-op |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for command in ("run", "extract", "build"):
            r = noop_[command]
            out.append(
                _row(
                    [
                        f"locpipe {command}" + FAILED * r["failed"],
                        f"{r['first_s']:.2f}",
                        f"{r['noop_s']:.3f}",
                        f"{100 * r['ratio']:.1f}%",
                        f"{r['first_rss_mb']:.0f}",
                        f"{r['noop_rss_mb']:.0f}",
                        len(r["rewritten"]),
                    ]
                )
            )
        touch = noop_["touch"]
        out += [
            "",
            f"After appending a sentence to `{touch['article']}`: `locpipe run`"
            f"{FAILED * touch['failed']} took "
            f"{touch['run_s']:.2f} s and changed {len(touch['changed'])} files: "
            + ", ".join(f"`{p}`" for p in touch["changed"][:10]),
            "",
        ]
    if start := cast(list[dict[str, Any]], report.get("startup")):
        out += ["### Start-up", "", "| command | wall s | peak RSS MB |", "|---|---:|---:|"]
        for r in start:
            command = f"`{r['command']}`" + FAILED * r["failed"]
            out.append(_row([command, f"{r['wall_s']:.3f}", f"{r['rss_mb']:.0f}"]))
        if noop_:
            out.append(_row(["`locpipe run`, no-op", f"{noop_['run']['noop_s']:.3f}", ""]))
        out.append("")
    out += ["### Targets", "", "| target | measured | goal | met |", "|---|---:|---|---|"]
    for t in cast(list[dict[str, object]], report["targets"]):
        out.append(_row([t["target"], t["measured"], t["goal"], "yes" if t["met"] else "no"]))
    return "\n".join(out)


def source_tree() -> dict[str, object]:
    """Which locpipe was measured: HEAD and the uncommitted changes under src/ (editable)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=BENCH.parent, capture_output=True, text=True)
        return done.stdout

    return {
        "imported_from": str(Path(LOCPIPE_INIT).parent),
        "head": git("rev-parse", "--short", "HEAD").strip(),
        "modified": git("status", "--porcelain", "--", "src").splitlines(),
    }


def _sizes(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of positive article counts")
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, run the chosen sections, print the tables, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=_sizes, default=[500, 5000], help="default 500,5000")
    parser.add_argument("--languages-size", type=int, default=500)
    parser.add_argument("--noop-size", type=int, default=200)
    parser.add_argument(
        "--noop-language", help="target language for apertium (default: first of af en de es fr)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--startup-repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help="comma-separated subset of " + ",".join(SECTIONS),
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    sections = set(args.sections.split(","))
    if unknown := sections - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    info = machine()
    tree = source_tree()
    print(f"scale: machine {json.dumps(info)}", file=sys.stderr)
    runner = Runner()
    report: dict[str, object] = {}
    skipped: dict[str, str] = {}
    language = args.noop_language or apertium_language()
    if "noop" in sections and language is None:
        skipped["noop"] = "apertium with a Dutch pair (nld-afr, nld-eng, ...) is not installed"
        sections.discard("noop")
    noop_language = language or ""
    count = max(
        2 * max(args.sizes) if "scaling" in sections else 0,
        args.languages_size if "languages" in sections else 0,
        args.noop_size if "noop" in sections else 0,
    )
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="locpipe-scale-"))
    steps: list[tuple[str, Callable[[dict[str, list[Path]], Path], object]]] = [
        ("scaling", lambda c, w: scaling(runner, c, args.sizes, args.repeat, w)),
        ("languages", lambda c, w: languages(runner, c, args.languages_size, args.repeat, w)),
        ("noop", lambda c, w: noop(runner, c, args.noop_size, noop_language, args.repeat, w)),
        ("startup", lambda c, w: startup(runner, args.startup_repeat)),
    ]
    try:
        corpus = generate_corpus(scratch / "corpus", count, seed=args.seed) if count else {}
        for name, step in steps:
            if name in sections:
                report[name] = step(corpus, scratch / "work")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    report["targets"] = targets(report)
    table = format_report(report)
    print(
        f"Machine: {info['nproc']} CPUs, {info['cpu']}, {info['ram_gb']} GB RAM, "
        f"Python {info['python']}, Linux {info['kernel']}\n"
    )
    print(table)
    for error in sorted(set(runner.errors))[:10]:
        print(f"scale: failed: {error}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        full = {
            **report_header(),
            "sizes": args.sizes,
            "languages_size": args.languages_size,
            "noop_size": args.noop_size,
            "repeat": args.repeat,
            "startup_repeat": args.startup_repeat,
            "seed": args.seed,
            "machine": info,
            "versions": versions(),
            "source_tree": {"start": tree, "end": source_tree()},
            "skipped": skipped,
            **report,
            "errors": sorted(set(runner.errors)),
            "table": table,
        }
        args.json.write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
    return 1 if runner.errors else 0


if __name__ == "__main__":
    sys.exit(main())
