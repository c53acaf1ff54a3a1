"""Benchmark locpipe against Translate Toolkit, mdpo and po4a on one generated corpus.

    python bench/run.py --articles 500 --json bench/results/latest.json

For each tool and format it times extraction (source -> PO) and reassembly (PO -> source)
separately, each in a fresh process tree (wall and CPU time, medians of --repeat rounds,
and the largest peak RSS), after filling every msgstr with its msgid.  Each round runs every tool
once, in turn, so that a shared machine's changing load meets every tool alike.  The
rebuilt files must then equal the sources byte for byte; speed is only compared between
tools whose round trip is exact.  Timings are reported, never asserted; the exit status is
1 only when a tool's command failed.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from corpus import generate_corpus  # noqa: E402

PY = sys.executable
# "locpipe" runs as a user would (worker processes, one per CPU); "locpipe-j1" in one
# process, like every peer.
TOOLS = ("translate-toolkit", "mdpo", "po4a", "locpipe", "locpipe-j1")


@dataclass(frozen=True)
class Case:
    """How one tool extracts and rebuilds one format inside a work folder."""

    tool: str
    fmt: str
    extract: Callable[[Path, list[Path]], list[list[str]]]
    build: Callable[[Path, list[Path]], list[list[str]]]
    po_dir: Callable[[Path], Path]
    output: Callable[[Path, Path], Path]
    prepare: Callable[[Path, list[Path]], None] = lambda work, sources: None


def _tt(fmt: str) -> Case:
    # Directory mode: one process converts the whole folder.
    to_po, from_po = {"txt": ("txt2po", "po2txt"), "md": ("md2po", "po2md")}[fmt]
    return Case(
        "translate-toolkit",
        fmt,
        extract=lambda w, s: [
            [
                PY,
                "-m",
                f"translate.convert.{to_po}",
                "--progress",
                "none",
                "-i",
                str(s[0].parent),
                "-o",
                str(w / "po"),
            ]
        ],
        build=lambda w, s: [
            [
                PY,
                "-m",
                f"translate.convert.{from_po}",
                "--progress",
                "none",
                "-i",
                str(w / "po"),
                "-t",
                str(s[0].parent),
                "-o",
                str(w / "out"),
            ]
        ],
        po_dir=lambda w: w / "po",
        output=lambda w, src: w / "out" / src.name,
    )


def _mdpo() -> Case:
    script = str(BENCH / "mdpo_dir.py")
    return Case(
        "mdpo",
        "md",
        extract=lambda w, s: [[PY, script, "extract", str(s[0].parent), str(w / "po")]],
        build=lambda w, s: [[PY, script, "build", str(s[0].parent), str(w / "po"), str(w / "out")]],
        po_dir=lambda w: w / "po",
        output=lambda w, src: w / "out" / src.name,
    )


def _po4a(fmt: str) -> Case:
    # po4a has no folder mode for these commands: one process per file and stage.
    # po4a-updatepo, not po4a-gettextize, extracts a fresh catalog from a master alone.
    options = ["-f", "text", "-M", "UTF-8"] + (["-o", "markdown"] if fmt == "md" else [])

    def prepare(work: Path, sources: list[Path]) -> None:
        (work / "po").mkdir(parents=True)
        (work / "out").mkdir(parents=True)

    return Case(
        "po4a",
        fmt,
        extract=lambda w, s: [
            ["po4a-updatepo", *options, "-m", str(src), "-p", str(w / "po" / f"{src.stem}.po")]
            for src in s
        ],
        build=lambda w, s: [
            [
                "po4a-translate",
                *options,
                "-L",
                "UTF-8",
                "-k",
                "0",
                "-m",
                str(src),
                "-p",
                str(w / "po" / f"{src.stem}.po"),
                "-l",
                str(w / "out" / src.name),
            ]
            for src in s
        ],
        po_dir=lambda w: w / "po",
        output=lambda w, src: w / "out" / src.name,
        prepare=prepare,
    )


def _locpipe(fmt: str, tool: str = "locpipe") -> Case:
    def prepare(work: Path, sources: list[Path]) -> None:
        (work / "proj" / "articles").mkdir(parents=True)
        (work / "proj" / "glossary").mkdir()
        shutil.copytree(sources[0].parent, work / "proj" / "articles" / "nl")
        (work / "proj" / "locpipe.toml").write_text(
            'source_language = "nl"\nlanguages = ["en"]\n\n[pretranslate]\nengine = "apertium"\n',
            encoding="utf-8",
        )

    jobs = ["--jobs", "1"] if tool == "locpipe-j1" else []

    def command(*args: str) -> Callable[[Path, list[Path]], list[list[str]]]:
        return lambda w, s: [[PY, "-m", "locpipe", *args, *jobs, "--project", str(w / "proj")]]

    return Case(
        tool,
        fmt,
        extract=command("extract", "--lang", "en"),
        build=command("build", "--lang", "en", "--min-translated", "0"),
        po_dir=lambda w: w / "proj" / "locales" / "en",
        output=lambda w, src: w / "proj" / "articles" / "en" / src.name,
        prepare=prepare,
    )


def all_cases() -> list[Case]:
    """Every tool and format the benchmark knows, peers first."""
    return [
        _tt("txt"),
        _tt("md"),
        _mdpo(),
        _po4a("txt"),
        _po4a("md"),
        _locpipe("txt"),
        _locpipe("md"),
        _locpipe("txt", "locpipe-j1"),
        _locpipe("md", "locpipe-j1"),
    ]


def ensure_peers(tools: set[str]) -> dict[str, str]:
    """Install missing peers (pip, and po4a through apt-get as root); return why any is absent."""
    absent: dict[str, str] = {}
    wanted = []
    if "translate-toolkit" in tools and not (
        importlib.util.find_spec("translate") and importlib.util.find_spec("mistletoe")
    ):
        wanted.append("translate-toolkit[markdown]")
    if "mdpo" in tools and not importlib.util.find_spec("mdpo"):
        wanted.append("mdpo")
    if wanted:
        print(f"bench: installing {' '.join(wanted)}", file=sys.stderr)
        subprocess.run(
            [
                *(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
                *("--constraint", str(ROOT / "constraints.txt"), *wanted),
            ],
            check=True,
        )
        importlib.invalidate_caches()
    if "po4a" in tools:
        done = subprocess.run(
            [
                "bash",
                "-c",
                "source scripts/debian-packages.sh; "
                "need po4a command -v po4a-updatepo; install_missing bench/run.py",
            ],
            cwd=ROOT,
        )
        if done.returncode != 0 or not shutil.which("po4a-updatepo"):
            absent["po4a"] = "po4a is not installed and apt-get is not available as root"
    return absent


def compile_locpipe() -> None:
    """Write the bytecode of the locpipe being measured, as installing a wheel does.

    The peers come from wheels, whose modules pip compiles on install; a locpipe run from
    its source tree (an editable install) with PYTHONDONTWRITEBYTECODE set would otherwise
    compile all its modules again in every process, some 40 ms each time.
    """
    spec = importlib.util.find_spec("locpipe")
    if spec is not None and spec.origin is not None:
        compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def fill_identity(po_dir: Path) -> int:
    """Set msgstr = msgid in every PO file under po_dir, so a rebuild must give the source."""
    count = 0
    for path in sorted(po_dir.rglob("*.po")):
        catalog = polib.pofile(str(path), wrapwidth=0)
        for entry in catalog:
            if entry.obsolete:
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        catalog.save(str(path))
        count += 1
    return count


def run_stage(commands: list[list[str]]) -> dict[str, object]:
    """Run commands in a fresh measuring process; return wall, maxrss_kb and failures."""
    done = subprocess.run(
        [PY, str(BENCH / "stage.py")],
        input=json.dumps(commands),
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


@dataclass
class Runs:
    """One tool's runs on one format so far: each stage's measurements, the last round trip."""

    case: Case
    files: int
    extract: list[dict[str, object]]
    build: list[dict[str, object]]
    exact: int | None = None  # the fewest exact round trips of any round
    errors: tuple[str, ...] = ()


def run_round(case: Case, sources: list[Path], scratch: Path, runs: Runs) -> None:
    """Time one tool on one format once, and check its round trip."""
    work = scratch / f"{case.tool}-{case.fmt}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    case.prepare(work, sources)
    runs.extract.append(run_stage(case.extract(work, sources)))
    fill_identity(case.po_dir(work))
    runs.build.append(run_stage(case.build(work, sources)))
    exact = sum(
        1
        for src in sources
        if case.output(work, src).is_file()
        and case.output(work, src).read_bytes() == src.read_bytes()
    )
    runs.exact = exact if runs.exact is None else min(runs.exact, exact)
    errors = list(runs.errors)
    for stage in (runs.extract[-1], runs.build[-1]):
        errors += [
            f"{' '.join(f['command'][:3])}...: {f['stderr'].strip()[-300:]}"  # type: ignore[index]
            for f in stage["failed"]  # type: ignore[attr-defined]
        ]
    runs.errors = tuple(errors)


def summarize(runs: Runs) -> dict[str, object]:
    """A tool's runs on one format as a result row: median times, the largest peak memory,
    exact only if every round was."""

    def median(stages: list[dict[str, object]], key: str) -> float:
        return statistics.median(float(s[key]) for s in stages)  # type: ignore[arg-type]

    extract, build = runs.extract, runs.build
    return {
        "tool": runs.case.tool,
        "format": runs.case.fmt,
        "files": runs.files,
        "exact": runs.exact or 0,
        "correct": runs.exact == runs.files,
        "extract_s": median(extract, "wall"),
        "build_s": median(build, "wall"),
        "total_s": median(extract, "wall") + median(build, "wall"),
        # CPU seconds of every process: on a shared machine the wall time also holds the
        # waits for CPUs others took; the CPU time holds less of them.
        "extract_cpu_s": median(extract, "cpu"),
        "build_cpu_s": median(build, "cpu"),
        "total_cpu_s": median(extract, "cpu") + median(build, "cpu"),
        "extract_rss_mb": max(float(s["maxrss_kb"]) for s in extract) / 1024,  # type: ignore[arg-type]
        "build_rss_mb": max(float(s["maxrss_kb"]) for s in build) / 1024,  # type: ignore[arg-type]
        "runs": {
            "extract": [s["wall"] for s in extract],
            "build": [s["wall"] for s in build],
            "extract_cpu": [s["cpu"] for s in extract],
            "build_cpu": [s["cpu"] for s in build],
        },
        "errors": sorted(set(runs.errors))[:5],
    }


def add_combined(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Add one 'txt+md' row per tool that handles both formats, summing times."""
    combined = []
    for tool in TOOLS:
        mine = [r for r in rows if r["tool"] == tool]
        if {r["format"] for r in mine} != {"txt", "md"}:
            continue
        row: dict[str, object] = {"tool": tool, "format": "txt+md"}
        for key in (
            *("files", "exact", "extract_s", "build_s", "total_s"),
            *("extract_cpu_s", "build_cpu_s", "total_cpu_s"),
        ):
            row[key] = sum(r[key] for r in mine)  # type: ignore[misc]
        for key in ("extract_rss_mb", "build_rss_mb"):
            row[key] = max(r[key] for r in mine)  # type: ignore[type-var]
        row["correct"] = all(r["correct"] for r in mine)
        combined.append(row)
    return rows + combined


def add_ratios(rows: list[dict[str, object]]) -> None:
    """Ratio of each row's time to the fastest peer (not locpipe) on the same format.

    ``*_vs_peer`` compares with the fastest peer whose round trip is exact, the only fair
    comparison; ``*_vs_any_peer`` with the fastest peer at all, for context.
    """
    for fmt in {r["format"] for r in rows}:
        any_peer = [
            r for r in rows if r["format"] == fmt and not str(r["tool"]).startswith("locpipe")
        ]
        correct = [r for r in any_peer if r["correct"]]
        for suffix, peers in (("peer", correct), ("any_peer", any_peer)):
            for key in ("extract_s", "build_s", "total_s"):
                best = min(peers, key=lambda r: r[key], default=None)  # type: ignore[arg-type,return-value]
                for r in rows:
                    if r["format"] != fmt:
                        continue
                    r[f"{key[:-2]}_vs_{suffix}"] = (
                        float(r[key]) / float(best[key]) if best else None  # type: ignore[arg-type]
                    )
                    r[f"{key[:-2]}_fastest_{suffix}"] = best["tool"] if best else None
        # Round by round, with the fastest exact peer, or else the fastest peer at all.
        best = min(correct or any_peer, key=lambda r: r["total_s"], default=None)  # type: ignore[arg-type,return-value]
        for r in rows:
            if r["format"] == fmt:
                r["total_paired"] = paired_ratios(r, best) if best else None
                r["total_paired_peer"] = best["tool"] if best else None


def paired_ratios(row: dict[str, object], peer: dict[str, object]) -> dict[str, float] | None:
    """The ratio of ``row``'s extract+build time to ``peer``'s round by round: its median,
    smallest and largest; None for rows without rounds (the sums over formats).

    A tool and its peer run one after the other in each round, so the machine's speed,
    which drifts over minutes on a shared host, is about the same for both; a ratio of
    medians mixes rounds run at different speeds.
    """
    mine, theirs = row.get("runs"), peer.get("runs")
    if not isinstance(mine, dict) or not isinstance(theirs, dict):
        return None
    ratios = [
        (a + b) / (c + d)
        for a, b, c, d in zip(
            mine["extract"], mine["build"], theirs["extract"], theirs["build"], strict=True
        )
    ]
    return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}


def format_table(rows: list[dict[str, object]]) -> str:
    """A Markdown table of the results, grouped by format."""
    head = (
        "| tool | format | exact/total | extract s | build s | extract+build s | CPU s "
        "| peak RSS MB | vs fastest correct peer | round by round (range, peer) "
        "| vs fastest peer |\n"
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    order = {"txt": 0, "md": 1, "txt+md": 2}
    for r in sorted(rows, key=lambda r: (order[str(r["format"])], TOOLS.index(str(r["tool"])))):
        ratio = r.get("total_vs_peer")
        ratio_text = "-" if ratio is None else f"{ratio:.2f}x"
        if not r["correct"]:
            ratio_text += " (not exact)"
        paired = r.get("total_paired")
        paired_text = (
            f"{paired['median']:.2f}x ({paired['min']:.2f} to {paired['max']:.2f}, "  # type: ignore[index]
            f"{r['total_paired_peer']})"
            if paired
            else "-"
        )
        any_ratio = r.get("total_vs_any_peer")
        any_text = "-" if any_ratio is None else f"{any_ratio:.2f}x ({r['total_fastest_any_peer']})"
        lines.append(
            f"| {r['tool']} | {r['format']} | {r['exact']}/{r['files']} | {r['extract_s']:.2f} "
            f"| {r['build_s']:.2f} | {r['total_s']:.2f} | {r['total_cpu_s']:.2f} "
            f"| {max(r['extract_rss_mb'], r['build_rss_mb']):.0f} | {ratio_text} "  # type: ignore[type-var]
            f"| {paired_text} | {any_text} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, object]:
    """nproc, CPU model and RAM of this machine."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024**2, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def versions() -> dict[str, str]:
    """Versions of the tools compared."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("locpipe", "translate-toolkit", "mdpo", "polib"):
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    if shutil.which("po4a-translate"):
        out = subprocess.run(["po4a-translate", "--version"], capture_output=True, text=True)
        found["po4a"] = (out.stdout or out.stderr).split("\n", 1)[0].strip()
    return found


def report_header() -> dict[str, object]:
    """What every benchmark's JSON starts with: format version, date and command line."""
    return {
        "version": 1,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
    }


def write_report(
    path: Path,
    settings: dict[str, object],
    skipped: dict[str, str],
    rows: list[dict[str, object]],
    table: str,
) -> None:
    """A benchmark's JSON document: header, its settings, the machine, the versions of the
    tools, the tools skipped and why, the result rows and the table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {
        **report_header(),
        **settings,
        "machine": machine(),
        "versions": versions(),
        "skipped": skipped,
        "results": rows,
        "table": table,
    }
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


# Rounds by default. At 500 articles a stage takes a third of a second, and one round's
# ratio to a peer ranged from 0.6 to 1.35 (docs/benchmarks.md): the median of three rounds
# can land a tenth away from the median of many. At 5,000 a round takes minutes, and
# start-up, the noisiest part, is a hundredth of it.
_SMALL = 1000
_REPEAT_SMALL = 7
_REPEAT = 3


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, run every tool on it, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument(
        "--repeat",
        type=int,
        help=f"rounds (default: {_REPEAT_SMALL} up to {_SMALL:,} articles, {_REPEAT} above)",
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="comma-separated subset of " + ",".join(TOOLS)
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = _REPEAT_SMALL if args.articles <= _SMALL else _REPEAT
    tools = set(args.tools.split(","))
    if unknown := tools - set(TOOLS):
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")

    absent = ensure_peers(tools)
    if tools & {"locpipe", "locpipe-j1"}:
        compile_locpipe()
    for tool, why in absent.items():
        print(f"bench: skipping {tool}: {why}", file=sys.stderr)
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="locpipe-bench-"))
    try:
        corpus = generate_corpus(scratch / "corpus", args.articles, seed=args.seed)
        cases = [
            case
            for case in all_cases()
            if case.tool in tools and case.tool not in absent and corpus[case.fmt]
        ]
        runs = [Runs(case, len(corpus[case.fmt]), [], []) for case in cases]
        # Round by round, every tool once a round: on a shared machine whose speed drifts
        # over minutes, each tool meets the same spells, rather than one tool the slow one.
        for number in range(1, args.repeat + 1):
            for run in runs:
                case = run.case
                print(
                    f"bench: round {number}/{args.repeat}: {case.tool} {case.fmt} "
                    f"({run.files} files)",
                    file=sys.stderr,
                )
                run_round(case, corpus[case.fmt], scratch / "work", run)
        rows = [summarize(run) for run in runs]
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    rows = add_combined(rows)
    add_ratios(rows)
    table = format_table(rows)
    print(table)
    for r in rows:
        for error in r.get("errors", []):  # type: ignore[attr-defined]
            print(f"bench: {r['tool']} {r['format']}: {error}", file=sys.stderr)
    if args.json:
        settings = {"articles": args.articles, "repeat": args.repeat, "seed": args.seed}
        write_report(args.json, settings, absent, rows, table)
    # A command that failed means the harness no longer drives that tool: that is an error.
    # A round trip that is not exact is a result, reported in the table, and is not.
    return 1 if any(r.get("errors") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
