"""Cold start of the Lambda entry point, each run in a fresh interpreter.

Measures importing the Lambda entry point (which builds the skill and its store) and the first
request, for each ``CRAMP_COACH_DB`` choice, with cached .pyc files and without (what Lambda
would pay if the package shipped no .pyc: its file system is read-only).

    python bench/lambda_cold_import.py [runs]

Results are written down in docs/persistence.md.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import json, sys, time
start = time.perf_counter()
import skill.hosts.lambda_handler as lh
imported = time.perf_counter()
first_ms = None
if sys.argv[1] == "call":
    from skill.tools.simulator.envelopes import EnvelopeFactory
    lh.handler(EnvelopeFactory().intent("CrampReliefIntent"))
    first_ms = (time.perf_counter() - imported) * 1000
heavy = sorted(m for m in ("flask", "boto3", "botocore", "gtts") if m in sys.modules)
print(json.dumps({"import_ms": (imported - start) * 1000, "first_ms": first_ms,
                  "modules": len(sys.modules), "heavy": heavy}))
"""


def probe(db: str, call: bool, compiled: bool, workdir: str) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CRAMP_COACH_DB": db,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
    }
    args = [sys.executable]
    if not compiled:  # an empty pycache prefix: every module is compiled from source
        args += ["-X", f"pycache_prefix={tempfile.mkdtemp(dir=workdir)}"]
    args += ["-c", PROBE, "call" if call else "import"]
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=True, timeout=120)
    return json.loads(result.stdout)


def main(runs: int = 7) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        cases = [
            ("sqlite", f"{workdir}/bench.sqlite3", True),
            ("none", "none", True),
            ("dynamodb (import and build only)", "dynamodb:bench-table", False),
        ]
        print(f"{runs} fresh interpreters each, median; Python {sys.version.split()[0]}")
        for label, db, call in cases:
            for compiled in (True, False):
                probe(db, call, True, workdir)  # make sure the .pyc cache exists
                samples = [probe(db, call, compiled, workdir) for _ in range(runs)]
                imp = statistics.median(s["import_ms"] for s in samples)
                first = (
                    f", first request {statistics.median(s['first_ms'] for s in samples):.0f} ms"
                    if call
                    else ""
                )
                pyc = "with .pyc" if compiled else "no .pyc"
                print(
                    f"{label:34} {pyc:9}: import {imp:5.0f} ms{first}; "
                    f"{samples[0]['modules']} modules; heavy: {samples[0]['heavy'] or 'none'}"
                )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
