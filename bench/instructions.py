"""Count the instructions each tool's extract and build execute, where timing cannot settle it.

    python bench/instructions.py --articles 500 --json bench/results/instructions-500.json

On a shared machine two runs of one command can differ by half; a ratio near 1 between
two tools, or a change of a few percent to one of them, then takes dozens of timed runs to
settle.  The number of instructions a process executes hardly moves between runs, so one
run under valgrind's cachegrind (``--cache-sim=no``) settles it.  It measures CPU work
only: waits for the disk, the kernel's time and work done beside the process in other
processes are not in it, and library code the CPU speeds up (sha256 with SHA-NI) counts as
valgrind's slower emulation of it.  Quote it beside ``bench/run.py``'s times, not instead.

Counted is the process each command starts, as the user waits for it, from its first
instruction to its exit: interpreter start-up and imports included.  A process it forks
(locpipe's writer, which makes files durable beside it) is not counted: its count would
repeat the instructions it inherited.  So locpipe is measured in one process (``-j1``),
like every peer.  The corpus, commands and exactness check are ``bench/run.py``'s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from corpus import generate_corpus  # noqa: E402
from run import (  # noqa: E402
    Case,
    all_cases,
    compile_locpipe,
    ensure_peers,
    fill_identity,
    write_report,
)

TOOLS = ("translate-toolkit", "mdpo", "locpipe-j1")
_LOG = re.compile(r"==(\d+)== Parent PID: (\d+)")
_REFS = re.compile(r"==\d+== I\s+refs:\s+([\d,]+)")


def count(commands: list[list[str]], logs: Path) -> tuple[int, list[str]]:
    """Instructions of the processes the commands start (not of those they fork), summed;
    and the commands that failed."""
    total, failed = 0, []
    for command in commands:
        shutil.rmtree(logs, ignore_errors=True)
        logs.mkdir(parents=True)
        done = subprocess.run(
            [
                "valgrind",
                "--tool=cachegrind",
                "--cache-sim=no",
                "--cachegrind-out-file=/dev/null",
                f"--log-file={logs}/%p.log",
                *command,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if done.returncode != 0:
            failed.append(f"{' '.join(command[:3])}...: {done.stderr.decode()[-300:]}")
        started = 0
        for log in logs.glob("*.log"):
            text = log.read_text(encoding="utf-8", errors="replace")
            parent = _LOG.search(text)
            refs = _REFS.search(text)
            # Started by valgrind itself, which this process started: not a fork.
            if parent and refs and os.getpid() == int(parent.group(2)):
                total += int(refs.group(1).replace(",", ""))
                started += 1
        if started != 1:
            failed.append(f"{' '.join(command[:3])}...: {started} counted processes, not 1")
    return total, failed


def measure(case: Case, sources: list[Path], scratch: Path) -> dict[str, Any]:
    """One tool on one format: instructions of extract and of build, and the round trip."""
    work = scratch / f"{case.tool}-{case.fmt}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    case.prepare(work, sources)
    extract, failed = count(case.extract(work, sources), scratch / "logs")
    fill_identity(case.po_dir(work))
    build, failed_build = count(case.build(work, sources), scratch / "logs")
    exact = sum(
        1
        for src in sources
        if case.output(work, src).is_file()
        and case.output(work, src).read_bytes() == src.read_bytes()
    )
    return {
        "tool": case.tool,
        "format": case.fmt,
        "files": len(sources),
        "exact": exact,
        "correct": exact == len(sources),
        "extract_instructions": extract,
        "build_instructions": build,
        "total_instructions": extract + build,
        "errors": failed + failed_build,
    }


def add_ratios(rows: list[dict[str, Any]]) -> None:
    """Each row's total against the fewest of the peers (not locpipe) on its format:
    ``total_vs_peer`` of those whose round trip is exact, ``total_vs_any_peer`` of all."""
    for row in rows:
        peers = [
            r
            for r in rows
            if r["format"] == row["format"] and not str(r["tool"]).startswith("locpipe")
        ]
        for key, among in (
            ("total_vs_peer", [r for r in peers if r["correct"]]),
            ("total_vs_any_peer", peers),
        ):
            best = min(among, key=lambda r: int(r["total_instructions"]), default=None)
            row[key] = (
                int(row["total_instructions"]) / int(best["total_instructions"]) if best else None
            )


def format_table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table, in millions of instructions."""
    lines = [
        "| tool | format | extract (M) | build (M) | total (M) | vs exact peer | vs any peer "
        "| exact |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ratio, any_ratio = r["total_vs_peer"], r["total_vs_any_peer"]
        lines.append(
            f"| {r['tool']} | {r['format']} | {int(r['extract_instructions']) / 1e6:,.0f} "
            f"| {int(r['build_instructions']) / 1e6:,.0f} "
            f"| {int(r['total_instructions']) / 1e6:,.0f} "
            f"| {f'{ratio:.2f}x' if isinstance(ratio, float) else '-'} "
            f"| {f'{any_ratio:.2f}x' if isinstance(any_ratio, float) else '-'} "
            f"| {r['exact']}/{r['files']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, count every tool's instructions on it, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="comma-separated subset of " + ",".join(TOOLS)
    )
    parser.add_argument("--formats", default="txt,md", help="comma-separated subset of txt,md")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    formats = set(args.formats.split(","))
    tools = set(args.tools.split(","))
    if unknown := tools - set(TOOLS):
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    if shutil.which("valgrind") is None:
        print("bench: valgrind is needed (apt-get install valgrind)", file=sys.stderr)
        return 2
    absent = ensure_peers(tools)
    if "locpipe-j1" in tools:
        compile_locpipe()
    scratch = Path(tempfile.mkdtemp(prefix="locpipe-instructions-"))
    try:
        corpus = generate_corpus(scratch / "corpus", args.articles, seed=args.seed)
        rows = []
        for case in all_cases():
            wanted = case.tool in tools and case.fmt in formats
            if wanted and case.tool not in absent and corpus[case.fmt]:
                print(f"bench: {case.tool} {case.fmt}", file=sys.stderr)
                rows.append(measure(case, corpus[case.fmt], scratch / "work"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    add_ratios(rows)
    table = format_table(rows)
    print(table)
    for r in rows:
        for error in r["errors"]:
            print(f"bench: {r['tool']} {r['format']}: {error}", file=sys.stderr)
    if args.json:
        write_report(args.json, {"articles": args.articles, "seed": args.seed}, absent, rows, table)
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
