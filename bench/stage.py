"""Run one timed stage: a JSON list of commands on stdin, run one after another.

Prints one JSON object: ``wall`` (seconds, from the first command's start to the last one's
end), ``cpu`` (user and system seconds of every process of the tree) and ``maxrss_kb`` (the
largest resident set of any process of the tree), both from ``getrusage(RUSAGE_CHILDREN)``,
which this fresh process only sees for the stage's own children, and ``failed``, the
commands that exited non-zero with the end of their stderr.  The disks are flushed
first, untimed.
"""

import json
import os
import resource
import subprocess
import sys
import time


def main() -> None:
    """Run the commands given on stdin and report their time and peak memory."""
    commands = json.load(sys.stdin)
    failed = []
    # What the harness wrote before this stage (the copied sources, the catalogs it filled
    # in, the last round's folders it removed) goes to disk now, untimed: a tool that
    # flushes its own files would otherwise flush the harness's too, on its own time.
    if hasattr(os, "sync"):  # not on Windows
        os.sync()
    start = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            failed.append(
                {"command": command, "stderr": done.stderr.decode(errors="replace")[-2000:]}
            )
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    json.dump(
        {"wall": wall, "cpu": cpu, "maxrss_kb": usage.ru_maxrss, "failed": failed}, sys.stdout
    )


if __name__ == "__main__":
    main()
