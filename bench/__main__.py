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
import subprocess
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
    parser.add_argument(
        "--before",
        default=BEFORE,
        help="the commit whose skill the instruction counts and Lambda package compare with "
        f"(default {BEFORE}, main before #26); '' for none",
    )
    parser.add_argument(
        "--log-before",
        default=LOG_BEFORE,
        help="the commit whose stores the cramp-log rows also compare with "
        f"(default {LOG_BEFORE}, main before the packed log); '' for none",
    )
    args = parser.parse_args(argv)
    before = args.before or None
    log_before = args.log_before or None
    if os.environ.get(STORE_ENV, "").strip():
        store = f"CRAMP_COACH_DB={os.environ[STORE_ENV]}"
        return run(args.quick, args.out, store, before, log_before)
    os.environ[STORE_ENV] = "none"
    try:
        return run(args.quick, args.out, "none (CRAMP_COACH_DB=none)", before, log_before)
    finally:
        del os.environ[STORE_ENV]


#: main before the work of #26: the "before" of the instruction counts and the package.
BEFORE = "4b46b52"
#: main before the cramp log was kept apart, packed (#26 item 5): a second "before" of the
#: cramp-log rows.
LOG_BEFORE = "ae04399"


def commit() -> str:
    """This checkout's commit, and whether its skill or bench differ from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "skill", "bench"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return head + (" + uncommitted changes" if dirty else "")


def run(
    quick: bool, out: Path, store: str, before: str | None = None, log_before: str | None = None
) -> int:
    # Imported only now: importing the skill builds it with the store set above.
    from bench import breakdown, coldstart, http_load, inprocess, verification

    rounds = 300 if quick else 3000
    repeats = 3 if quick else 9
    report = Report(date=datetime.date.today().isoformat(), machine=machine(store), commit=commit())
    start_load = os.getloadavg()[0]
    step("1/8 instruction counts (callgrind)")
    report.add(instructions_section(quick, before, log_before))
    step("2/8 the Lambda package")
    report.add(package_section(quick, before))
    step("3/8 in-process latency")
    report.in_process(inprocess.run(rounds))
    step("4/8 HTTP under gunicorn + wrk")
    report.http(http_load.run(rounds=2, seconds=2, warmup_s=1) if quick else http_load.run())
    step("5/8 cold start")
    report.cold_start(coldstart.run(repeats))
    step("6/8 signature verification")
    logging.disable(logging.WARNING)  # the "verification off" set-up warns, as it should
    try:
        signature = verification.bench_signature(2_000 if quick else 20_000)
        endpoint = verification.bench_endpoint(300 if quick else 3_000)
    finally:
        logging.disable(logging.NOTSET)
    report.signature(signature, endpoint)
    step("7/8 where the time goes")
    report.breakdown(breakdown.run(300 if quick else 2_000))
    step("8/8 DynamoDB store against dynalite")
    report.add(dynamodb_section(quick))
    report.add(NOTES)
    report.load = f"{start_load:.2f} / {os.getloadavg()[0]:.2f} (2 shared cores)"
    out.write_text(report.markdown())
    print(report.markdown())
    return 0


def instructions_section(quick: bool, before: str | None, log_before: str | None = None) -> str:
    """Instruction counts (bench/instructions.py), or why they are missing (no valgrind)."""
    from bench import instructions, instructions_report

    if instructions.valgrind() is None:
        return "## CPU instructions per call (callgrind)\n\nNot measured: valgrind is missing.\n"
    load = os.getloadavg()[0]
    figures = instructions.run(
        calls=4 if quick else 16,
        seconds=0.5 if quick else 2.0,
        before=None if quick else before,
        log_before=None if quick else log_before,
    )
    return instructions_report.markdown(figures, (load, os.getloadavg()[0]))


def package_section(quick: bool, before: str | None) -> str:
    """The Lambda package's size and cold start (bench/lambda_package.py); it needs pip to
    reach a package index, and is left out of a quick run."""
    from bench import instructions_report, lambda_package

    if quick:
        return "## The Lambda package: size and cold start\n\nNot measured in a quick run.\n"
    try:
        rows = lambda_package.run(before=before, runs=7)
    except subprocess.CalledProcessError as error:
        return (
            "## The Lambda package: size and cold start\n\n"
            f"Not measured: {' '.join(map(str, error.cmd[:4]))} failed (no package index?).\n"
        )
    return instructions_report.package_markdown(rows)


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
