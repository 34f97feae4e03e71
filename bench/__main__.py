"""`python -m bench …`: see bench/README.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

RESULTS = Path(__file__).resolve().parent / "results"
PAGE_KEYS = ("home", "news", "bank", "heavy")
"""`oneurl`'s pages (`bench.oneurl.PAGES` describes them; not imported here, which would load
the scanner for every mode)."""


def _ints(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 1,2,4, not {text!r}") from None


def _keys(text: str) -> list[str]:
    keys = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in keys if k not in PAGE_KEYS]
    if unknown or not keys:
        raise argparse.ArgumentTypeError(f"expected page keys of {','.join(PAGE_KEYS)}, "
                                         f"not {text!r}")
    return keys


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="mode")
    tp = sub.add_parser("throughput", help="pages/s vs the floor and the peers (default)")
    tp.add_argument("--pages", type=int, default=50)
    tp.add_argument("--runs", type=int, default=3)
    tp.add_argument("--concurrency", type=_ints, default=[1, 2, 4])
    tp.add_argument("--peers", action="store_true", help="also pa11y-ci and Lighthouse (npm)")
    tp.add_argument("--lighthouse-pages", type=int, default=10)
    tp.add_argument("--seed", type=int, default=1)
    tp.add_argument("--out", type=Path, default=RESULTS)
    soak = sub.add_parser("soak", help="RSS over a long scan in one process")
    soak.add_argument("--pages", type=int, default=2000)
    soak.add_argument("--concurrency", type=int, default=4)
    soak.add_argument("--every", type=int, default=100)
    soak.add_argument("--seed", type=int, default=1)
    soak.add_argument("--out", type=Path, default=RESULTS)
    batch = sub.add_parser("batch", help="sites/min: local runner vs one and two Celery workers "
                           "(and one that launches a browser per site; one and two on a core each)")
    batch.add_argument("--sites", type=int, default=200)
    batch.add_argument("--pages", type=int, default=3, help="pages per site")
    batch.add_argument("--runs", type=int, default=1)
    batch.add_argument("--seed", type=int, default=1)
    batch.add_argument("--out", type=Path, default=RESULTS)
    batch.add_argument("--modes", help="comma-separated mode keys (default: all), e.g. "
                       "celery-1-core-each,celery-2-core-each")
    batch.add_argument("--postgres", metavar="URL", help="a PostgreSQL server (a database URL "
                       "whose user may create databases): each run's store is a fresh "
                       "database there instead of a SQLite file")
    steps = sub.add_parser("steps", help="CPU a page of each capture step, split by process")
    steps.add_argument("--pages", type=int, default=30)
    steps.add_argument("--runs", type=int, default=3)
    steps.add_argument("--seed", type=int, default=1)
    steps.add_argument("--out", type=Path, default=RESULTS)
    one = sub.add_parser("oneurl", help="seconds of one whole process checking one URL: "
                         "elderscan vs pa11y and Lighthouse")
    one.add_argument("--runs", type=int, default=3)
    one.add_argument("--pages", type=_keys, default=list(PAGE_KEYS),
                     help=f"comma-separated, of {','.join(PAGE_KEYS)} (default: all)")
    one.add_argument("--timeout", type=float, default=120, help="seconds a run may take")
    one.add_argument("--seed", type=int, default=1)
    one.add_argument("--out", type=Path, default=RESULTS)
    pair = sub.add_parser("pair", help="the same scan from two git revisions, interleaved: "
                          "each round's B over A")
    pair.add_argument("a", help="revision A, e.g. main~1")
    pair.add_argument("b", nargs="?", default="HEAD", help="revision B (default: HEAD)")
    pair.add_argument("--pages", type=int, default=50)
    pair.add_argument("--runs", type=int, default=6)
    pair.add_argument("--concurrency", type=int, default=3)
    pair.add_argument("--seed", type=int, default=1)
    pair.add_argument("--out", type=Path, default=RESULTS)
    suite = sub.add_parser("suite", help="the test suite of two git revisions, each run by its "
                           "own ./quickstart test, interleaved: each round's B over A")
    suite.add_argument("a", help="revision A, e.g. the commit a time target was set on")
    suite.add_argument("b", nargs="?", default="HEAD", help="revision B (default: HEAD)")
    suite.add_argument("--runs", type=int, default=2)
    suite.add_argument("--browser-free", action="store_true",
                       help="also B's tests that need no browser (-m 'not browser') each round")
    suite.add_argument("--timeout", type=float, default=3600, help="seconds a run may take")
    suite.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    console = Console()
    if args.mode == "suite":
        from bench import suite as suite_mode

        suite_mode.run(args.a, args.b, args.runs, args.browser_free, args.timeout, args.out,
                       console)
        return
    from bench import measure

    measure.compiled()
    if args.mode == "pair":
        from bench import pair as pair_mode

        pair_mode.run(args.a, args.b, args.pages, args.runs, args.concurrency, args.seed,
                      args.out, console)
        return
    if args.mode == "oneurl":
        from bench import oneurl

        oneurl.run(args.runs, args.pages, args.timeout, args.seed, args.out, console)
        return
    if args.mode == "batch":
        from bench import batch as batch_mode

        batch_mode.run(args.sites, args.pages, args.runs, args.seed, args.out, console,
                       args.modes.split(",") if args.modes else None, args.postgres)
        return
    if args.mode == "steps":
        from bench import steps as steps_mode

        steps_mode.run(args.pages, args.runs, args.seed, args.out, console)
        return
    if args.mode == "soak":
        from bench import soak as soak_mode

        soak_mode.run(args.pages, args.concurrency, args.every, args.seed, args.out, console)
        return
    if args.mode is None:
        args = tp.parse_args([])
    from bench import throughput

    throughput.run(args.pages, args.runs, args.concurrency, args.peers, args.lighthouse_pages,
                   args.seed, args.out, console)


if __name__ == "__main__":
    main()
