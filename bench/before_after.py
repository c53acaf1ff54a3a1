"""Measure an older locpipe against this one and the peers in one run, round by round.

    git archive 366ba3d | tar -x -C /tmp/before
    python bench/before_after.py --before /tmp/before/src --articles 500 --rounds 3 \\
        --json bench/results/before-after-500.json

On a shared machine the load changes between runs: ratios from two runs are not
comparable.  Here, as in ``bench/run.py``, every round runs every case once, in turn
(Translate Toolkit, mdpo, this locpipe, the older one, with workers and in one process),
and the table gives each case's median over the rounds.  ``locpipe-before`` rows run the
locpipe found in ``--before`` (a ``src`` folder), with this checkout's dependencies.
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import run
from corpus import generate_corpus

PEERS = ("translate-toolkit", "mdpo", "locpipe", "locpipe-j1")


def before_case(case: run.Case, source: Path) -> run.Case:
    """The same case, with the older locpipe in ``source`` first on the module path."""
    boot = (
        f"import sys; sys.path.insert(0, {str(source)!r}); import runpy; "
        "runpy.run_module('locpipe', run_name='__main__', alter_sys=True)"
    )

    def older(
        commands: Callable[[Path, list[Path]], list[list[str]]],
    ) -> Callable[[Path, list[Path]], list[list[str]]]:
        # Each command is [python, "-m", "locpipe", *arguments].
        return lambda w, s: [[c[0], "-c", boot, *c[3:]] for c in commands(w, s)]

    tool = case.tool.replace("locpipe", "locpipe-before")
    return dataclasses.replace(
        case, tool=tool, extract=older(case.extract), build=older(case.build)
    )


def main(argv: list[str] | None = None) -> int:
    """Run every case once per round, then print and write the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--before", type=Path, required=True, help="src folder of the older one")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    source = args.before.resolve()
    if not (source / "locpipe" / "__main__.py").is_file():
        parser.error(f"{source} holds no locpipe package")

    absent = run.ensure_peers(set(PEERS))
    run.compile_locpipe()
    compileall.compile_dir(source / "locpipe", quiet=1)  # as for this one: see compile_locpipe
    cases = [c for c in run.all_cases() if c.tool in PEERS and c.tool not in absent]
    cases += [before_case(c, source) for c in cases if c.tool.startswith("locpipe")]
    run.TOOLS = (*run.TOOLS, "locpipe-before", "locpipe-before-j1")  # the table's order
    scratch = Path(tempfile.mkdtemp(prefix="locpipe-before-after-"))
    try:
        corpus = generate_corpus(scratch / "corpus", args.articles, seed=args.seed)
        runs = [run.Runs(case, len(corpus[case.fmt]), [], []) for case in cases if corpus[case.fmt]]
        for number in range(args.rounds):
            for each in runs:
                print(f"round {number + 1}: {each.case.tool} {each.case.fmt}", file=sys.stderr)
                run.run_round(each.case, corpus[each.case.fmt], scratch / "work", each)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rows = run.add_combined([run.summarize(each) for each in runs])
    run.add_ratios(rows)
    table = run.format_table(rows)
    print(table)
    if args.json:
        report = {
            **run.report_header(),
            "before": str(source),
            "articles": args.articles,
            "rounds": args.rounds,
            "seed": args.seed,
            "machine": run.machine(),
            "versions": run.versions(),
            "results": rows,
            "table": table,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if any(r.get("errors") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
