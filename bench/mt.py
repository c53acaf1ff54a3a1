"""Machine translation throughput: workers against a loopback engine that answers slowly.

Starts the LibreTranslate-compatible test server on 127.0.0.1 with a fixed delay per
request, pretranslates N distinct units through the real ``libre`` engine with 1 and with
W workers, and reports wall time, requests and the speed-up.  That a second run sends
nothing (the cache) is shown by tests/test_pretranslate.py.  Nothing leaves this machine.

    python bench/mt.py --units 2000 --delay 0.1 --workers 8
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.libre_server import LibreServer  # noqa: E402

from locpipe.engines import create_engine  # noqa: E402
from locpipe.engines.dispatch import RetryPolicy, dispatch  # noqa: E402

WORDS = (ROOT / "articles" / "nl" / "atacms.txt").read_text(encoding="utf-8").split()


def texts(count: int, seed: int) -> list[str]:
    """Distinct Dutch-looking sentences, deterministic from the seed."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < count:
        out[" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 24))) + f" {len(out)}."] = None
    return list(out)


def timed_run(url: str, units: list[str], workers: int, batch: int) -> tuple[float, int]:
    """Seconds and requests to translate every unit once, without a cache."""
    engine = create_engine("libre", {"url": url, "requests_per_second": 10_000}, timeout=30)
    # Batch size is a class constant of each engine; set it to model one-text-per-request
    # engines (google, mymemory: batch 1) or LibreTranslate's lists (25).
    type(engine).max_batch = batch
    started = time.perf_counter()
    result = dispatch(
        engine, units, source="nl", target="en", workers=workers, policy=RetryPolicy()
    )
    assert result.error is None and len(result.translations) == len(units)
    return time.perf_counter() - started, result.requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds per request")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--batch", type=int, default=25, help="texts per request")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    server = LibreServer()
    server.state.delay = args.delay
    units = texts(args.units, args.seed)
    try:
        one, requests_one = timed_run(server.url, units, 1, args.batch)
        many, requests_many = timed_run(server.url, units, args.workers, args.batch)
    finally:
        server.close()
    result = {
        "units": args.units,
        "delay_seconds": args.delay,
        "batch": args.batch,
        "one_worker": {"seconds": round(one, 3), "requests": requests_one},
        f"{args.workers}_workers": {"seconds": round(many, 3), "requests": requests_many},
        "speed_up": round(one / many, 2),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
