"""The Lambda package: its zipped size, and the cold start of the function built from it.

    python -m bench.lambda_package [--before REV] [--runs 7]

Builds the function's package the way the Makefile does (``lambda-requirements.txt`` installed
with pip, ``skill/`` without ``skill/tools``, the audio manifest, byte-compiled), once for
Lambda's platform (arm64, CPython 3.12: the size that is uploaded) and once for this machine
(to run it). The cold start is a fresh isolated interpreter (``python -I``) that sees only the
package and, behind it, a directory holding boto3 and botocore: what AWS Lambda's Python
runtime provides. It imports the handler (building the skill and its store) and answers one
"I had a cramp". ``--before REV`` builds the package of an earlier commit's requirements too,
in the same run. Needs pip to reach a package index.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LAMBDA_PLATFORM = ["--platform", "manylinux2014_aarch64", "--implementation", "cp"]
LAMBDA_PLATFORM += ["--python-version", "3.12", "--only-binary=:all:"]
#: What the runtime provides (boto3 pins its botocore; python-dateutil as botocore needs it).
RUNTIME = ["boto3", "botocore"]

PROBE = r"""
import json, sys, time
start, cpu = time.perf_counter(), time.process_time()
import skill.hosts.lambda_handler as lh
imported, imported_cpu = time.perf_counter(), time.process_time()
lh.handler(json.loads(sys.argv[1]))
done, done_cpu = time.perf_counter(), time.process_time()
where = {m: getattr(sys.modules.get(m), "__file__", "") or "" for m in ("boto3", "botocore")}
print(json.dumps({"import_ms": (imported - start) * 1000, "total_ms": (done - start) * 1000,
                  "import_cpu_ms": (imported_cpu - cpu) * 1000,
                  "total_cpu_ms": (done_cpu - cpu) * 1000,
                  "modules": len(sys.modules), "boto3": where["boto3"]}))
"""


def pip_install(requirements: Path, target: Path, lambda_platform: bool) -> None:
    command = [sys.executable, "-m", "pip", "install", "-q", "--no-compile"]
    command += ["--requirement", str(requirements), "--target", str(target)]
    command += LAMBDA_PLATFORM if lambda_platform else ["--only-binary=:all:"]
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=900)


def build(requirements: Path, target: Path, lambda_platform: bool) -> Path:
    """The package, laid out and byte-compiled as the Makefile does (by this interpreter)."""
    pip_install(requirements, target, lambda_platform)
    shutil.copytree(ROOT / "skill", target / "skill", ignore=shutil.ignore_patterns("tools"))
    (target / "audio").mkdir()
    shutil.copy(ROOT / "audio" / "manifest.json", target / "audio" / "manifest.json")
    for cache in target.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", str(target)],
        check=False,  # a vendored file for another Python version may not compile
        capture_output=True,
    )
    return target


def zipped_mb(directory: Path) -> float:
    archive = directory.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                out.write(path, path.relative_to(directory))
    return archive.stat().st_size / 1e6


def _probe(package: Path, runtime: Path, store: str) -> dict[str, Any]:
    from skill.tools.simulator.envelopes import EnvelopeFactory

    env = {
        "PATH": os.environ.get("PATH", ""),
        "CRAMP_COACH_DB": store,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        # Nothing answers here: the DynamoDB case fails its read fast and answers without memory.
        "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:9",
    }
    path = f"import sys; sys.path[:0] = [{str(package)!r}, {str(runtime)!r}]\n"
    event = json.dumps(EnvelopeFactory().intent("CrampReliefIntent"))
    result = subprocess.run(
        [sys.executable, "-I", "-c", path + PROBE, event],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    sample: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    boto3 = sample.pop("boto3")
    sample["boto3_from"] = (
        "runtime" if str(runtime) in boto3 else "package" if boto3 else "not imported"
    )
    return sample


def cold_starts(packages: dict[str, Path], runtime: Path, store: str, runs: int) -> dict[str, Any]:
    """Median cold start of each package, runs interleaved package by package so that a
    change in the machine's load hits all of them alike (one unmeasured run each first)."""
    samples: dict[str, list[dict[str, Any]]] = {label: [] for label in packages}
    for run in range(runs + 1):
        for label, package in packages.items():
            sample = _probe(package, runtime, store)
            if run:
                samples[label].append(sample)
    out = {}
    for label, rows in samples.items():
        out[label] = {
            key: statistics.median(row[key] for row in rows)
            for key in ("import_ms", "total_ms", "import_cpu_ms", "total_cpu_ms")
        }
        out[label]["boto3_from"] = rows[0]["boto3_from"]
    return out


def requirements_at(rev: str | None, workdir: Path) -> Path:
    if rev is None:
        return ROOT / "lambda-requirements.txt"
    text = subprocess.run(
        ["git", "show", f"{rev}:lambda-requirements.txt"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = workdir / f"requirements-{rev}.txt"
    path.write_text(text)
    return path


def run(before: str | None = None, runs: int = 7) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        runtime = workdir / "runtime"
        runtime_requirements = workdir / "runtime.txt"
        runtime_requirements.write_text("\n".join(RUNTIME) + "\n")
        pip_install(runtime_requirements, runtime, lambda_platform=False)
        local: dict[str, Path] = {}
        for label, rev in (("before", before), ("after", None)):
            if label == "before" and rev is None:
                continue
            requirements = requirements_at(rev, workdir)
            uploaded = build(requirements, workdir / f"{label}-lambda", lambda_platform=True)
            local[label] = build(requirements, workdir / f"{label}-local", lambda_platform=False)
            rows.append(
                {
                    "label": label,
                    "package": f"{label} ({rev or 'this checkout'})",
                    "zipped_mb": zipped_mb(uploaded),
                    "boto3_packaged": (uploaded / "boto3").exists(),
                }
            )
        for store in ("none", "dynamodb:bench-table"):
            figures = cold_starts(local, runtime, store, runs)
            for row in rows:
                row[store] = figures[row["label"]]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=None)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.before, args.runs), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
