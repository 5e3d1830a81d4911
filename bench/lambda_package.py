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
start = time.perf_counter()
import skill.hosts.lambda_handler as lh
imported = time.perf_counter()
lh.handler(json.loads(sys.argv[1]))
done = time.perf_counter()
where = {m: getattr(sys.modules.get(m), "__file__", "") or "" for m in ("boto3", "botocore")}
print(json.dumps({"import_ms": (imported - start) * 1000, "total_ms": (done - start) * 1000,
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


def cold_start(package: Path, runtime: Path, store: str, runs: int) -> dict[str, Any]:
    from skill.tools.envelopes import EnvelopeFactory

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
    samples = []
    for _ in range(runs + 1):
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
        samples.append(json.loads(result.stdout.splitlines()[-1]))
    samples = samples[1:]  # the first filled the OS's file cache
    return {
        "import_ms": statistics.median(s["import_ms"] for s in samples),
        "total_ms": statistics.median(s["total_ms"] for s in samples),
        "boto3_from": "runtime"
        if str(runtime) in samples[0]["boto3"]
        else "package"
        if samples[0]["boto3"]
        else "not imported",
    }


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
        for label, rev in (("before", before), ("after", None)):
            if label == "before" and rev is None:
                continue
            requirements = requirements_at(rev, workdir)
            uploaded = build(requirements, workdir / f"{label}-lambda", lambda_platform=True)
            local = build(requirements, workdir / f"{label}-local", lambda_platform=False)
            row: dict[str, Any] = {
                "package": f"{label} ({rev or 'this checkout'})",
                "zipped_mb": zipped_mb(uploaded),
                "boto3_packaged": (uploaded / "boto3").exists(),
            }
            for store in ("none", "dynamodb:bench-table"):
                row[store] = cold_start(local, runtime, store, runs)
            rows.append(row)
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
