"""Run every benchmark in one go and write ``bench/RESULTS.md``.

Usage: ``python -m bench [--quick]``. Every figure sits next to its baseline, measured in
the same run, because these machines are shared and noisy: the ratios are what count.

The skill remembers people in the store ``CRAMP_COACH_DB`` names, by default a SQLite file in
the user's data directory. A benchmark must not write there: unless the caller names a store,
the whole run (in-process, gunicorn workers, cold-start children) uses none, as the targets and
the stock-stack figures assume; the HTTP section adds a server with a throw-away SQLite store.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import platform
import ssl
import sys
from pathlib import Path

from bench.http_app import STORE_ENV
from bench.report import NOTES, Report

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine(store: str) -> str:
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {ssl.OPENSSL_VERSION}, "
        f"{platform.system()} {platform.release()}; skill store: {store}"
    )


def step(name: str) -> None:
    print(f"{name} ...", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if os.environ.get(STORE_ENV, "").strip():
        return run(args.quick, args.out, f"CRAMP_COACH_DB={os.environ[STORE_ENV]}")
    os.environ[STORE_ENV] = "none"
    try:
        return run(args.quick, args.out, "none (CRAMP_COACH_DB=none)")
    finally:
        del os.environ[STORE_ENV]


def run(quick: bool, out: Path, store: str) -> int:
    # Imported only now: importing the skill builds it with the store set above.
    from bench import breakdown, coldstart, http_load, inprocess, verification

    rounds = 300 if quick else 3000
    repeats = 3 if quick else 9
    report = Report(date=datetime.date.today().isoformat(), machine=machine(store))
    step("1/6 in-process latency")
    report.in_process(inprocess.run(rounds))
    step("2/6 HTTP under gunicorn + wrk")
    report.http(http_load.run(rounds=2, seconds=2, warmup_s=1) if quick else http_load.run())
    step("3/6 cold start")
    report.cold_start(coldstart.run(repeats))
    step("4/6 signature verification")
    logging.disable(logging.WARNING)  # the "verification off" set-up warns, as it should
    try:
        signature = verification.bench_signature(2_000 if quick else 20_000)
        endpoint = verification.bench_endpoint(300 if quick else 3_000)
    finally:
        logging.disable(logging.NOTSET)
    report.signature(signature, endpoint)
    step("5/6 where the time goes")
    report.breakdown(breakdown.run(300 if quick else 2_000))
    step("6/6 DynamoDB store against dynalite")
    report.add(dynamodb_section(quick))
    report.add(NOTES)
    out.write_text(report.markdown())
    print(report.markdown())
    return 0


def dynamodb_section(quick: bool) -> str:
    """The DynamoDB rows (bench/dynamodb.py), or why they are missing (no node on this
    machine: dynalite runs on it)."""
    from bench import dynamodb
    from tests.dynalite_server import DynaliteUnavailable

    try:
        return dynamodb.markdown(dynamodb.run(quick))
    except DynaliteUnavailable as error:
        return f"## DynamoDB store against dynalite\n\nNot measured: {error}.\n"


if __name__ == "__main__":
    sys.exit(main())
