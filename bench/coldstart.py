"""Cold start: a fresh interpreter imports a Lambda handler and answers one launch request.

Measured inside the child from before the import to the answer, with compiled bytecode
(a warmed ``__pycache__``) and without (a fresh, empty ``PYTHONPYCACHEPREFIX`` each run, so
every module is compiled from source), for the skill and the hello-skill baseline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.stats import summary

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, sys, time
start = time.perf_counter()
module = __import__(sys.argv[1], fromlist=["handler"])
module.handler(json.loads(sys.argv[2]))
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "modules": sorted(sys.modules)}))
"""


def _launch_envelope() -> str:
    from skill.tools.simulator.envelopes import EnvelopeFactory

    return json.dumps(EnvelopeFactory().launch())


def one_start(module: str, bytecode: bool, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one cold start in a child interpreter; returns seconds and imported modules."""
    return run_child(_CHILD, [module, _launch_envelope()], bytecode, env)


def run_child(
    script: str, args: list[str], bytecode: bool, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``script`` in a fresh interpreter, with the warmed bytecode cache or with none (every
    module compiled from source); its last stdout line, as JSON."""
    child_env = {**os.environ, **(env or {})}
    with tempfile.TemporaryDirectory() as cache:
        if bytecode:
            child_env.pop("PYTHONDONTWRITEBYTECODE", None)
            child_env.pop("PYTHONPYCACHEPREFIX", None)
        else:
            child_env["PYTHONPYCACHEPREFIX"] = cache
            child_env["PYTHONDONTWRITEBYTECODE"] = "1"
        out = subprocess.run(
            [sys.executable, "-c", script, *args],
            cwd=ROOT,
            env=child_env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
    return json.loads(out.stdout.splitlines()[-1])


def run(repeats: int = 7) -> list[dict[str, Any]]:
    rows = []
    for bytecode in (True, False):
        if bytecode:  # warm the bytecode caches once
            one_start("skill.hosts.lambda_handler", True)
            one_start("bench.hello_skill", True)
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(repeats):
            ours.append(one_start("skill.hosts.lambda_handler", bytecode)["seconds"])
            theirs.append(one_start("bench.hello_skill", bytecode)["seconds"])
        skill_p50, base_p50 = summary(ours)["p50"], summary(theirs)["p50"]
        rows.append(
            {
                "bytecode": bytecode,
                "skill_ms": skill_p50 * 1000,
                "base_ms": base_p50 * 1000,
                "ratio": skill_p50 / base_p50,
            }
        )
    return rows
