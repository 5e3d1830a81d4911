"""Run every benchmark in one go and write ``bench/RESULTS.md``.

Usage: ``python -m bench [--quick]``. Every figure sits next to its baseline, measured in
the same run, because these machines are shared and noisy: the ratios are what count.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import ssl
import sys
from pathlib import Path

from bench import coldstart, inprocess
from bench.report import Report

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine() -> str:
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {ssl.OPENSSL_VERSION}, "
        f"{platform.system()} {platform.release()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    rounds = 300 if args.quick else 3000
    repeats = 3 if args.quick else 9

    report = Report(date=datetime.date.today().isoformat(), machine=machine())
    print("in-process latency ...", file=sys.stderr)
    report.in_process(inprocess.run(rounds))
    print("cold start ...", file=sys.stderr)
    report.cold_start(coldstart.run(repeats))
    args.out.write_text(report.markdown())
    print(report.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
