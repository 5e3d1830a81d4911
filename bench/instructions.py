"""CPU instructions per call (callgrind) and wall time per call, for the cases of bench/cases.py.

    python -m bench.instructions [--calls 16] [--before REV] [--log-before REV]

Why instructions: a target checked against p99 latency on a shared 2-core machine measures the
scheduler, and a 2x regression hides in its noise. Callgrind (Debian's ``valgrind``) counts the
instructions a call executes, which the load on the machine does not change: the targets are
ratios of these counts within one run. Wall times are measured beside them, natively.

How a call is isolated: each measured batch runs inside a ``ctypes`` callback, so it is the only
code under libffi's ``ffi_call``; callgrind writes its counts out and starts again from zero on
entering it (``--dump-before``) and on leaving it (``--dump-after``), so each batch gets a
profile of its own, with every thread's instructions (the store's calls run on a worker
thread: counting only the caller's would miss them). An empty batch is measured the same way
and subtracted. Everything else (imports, building the skill, preparing envelopes, seeding the
store) falls outside the batches' profiles. ``PYTHONHASHSEED`` is fixed, so a count repeats
to within a fraction of a percent.

``--before REV`` measures the same cases on the skill of an earlier commit too (its ``skill/``
extracted with ``git archive``), in the same run, with this checkout's cases and hello skill.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.dynalite_server import DynaliteUnavailable

ROOT = Path(__file__).resolve().parents[1]
CASES_FILE = Path(__file__).with_name("cases.py")

#: The measuring child: ``python -c CHILD <tree> <plan as JSON>``, cwd ``tree``.
CHILD = r"""
import ctypes, importlib.util, json, statistics, sys, time
tree, plan = sys.argv[1], json.loads(sys.argv[2])
sys.path[0] = tree
spec = importlib.util.spec_from_file_location("bench_cases", plan["cases_file"])
cases_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cases_module)
cases = cases_module.GROUPS[plan["group"]]()
calls = plan["calls"]
REGION = ctypes.CFUNCTYPE(None)
errors = []

def batch(case, n):
    def run():
        try:
            for _ in range(n):
                case()
        except BaseException as error:  # a ctypes callback cannot raise
            errors.append(repr(error))
    return run

def nothing():
    return None

def reset(case):
    if hasattr(case, "reset"):
        case.reset()

out = {"names": [], "wall_us": {}}
if plan["mode"] == "count":
    REGION(batch(nothing, calls))()  # the harness alone: subtracted from every case
    for name, case in cases.items():
        reset(case)
        for _ in range(2):  # warm: caches filled, lazy imports done
            case()
        reset(case)
        REGION(batch(case, calls))()
        out["names"].append(name)
else:
    for name, case in cases.items():
        reset(case)
        for _ in range(2):
            case()
        samples = []
        deadline = time.perf_counter() + plan["seconds"]
        while time.perf_counter() < deadline or len(samples) < 5:
            reset(case)
            start = time.perf_counter()
            for _ in range(calls):
                case()
            samples.append((time.perf_counter() - start) / calls * 1e6)
        out["names"].append(name)
        out["wall_us"][name] = statistics.median(samples)
if errors:
    raise SystemExit("a measured call failed: " + "; ".join(errors))
print(json.dumps(out))
"""

_TOTALS = re.compile(r"^totals:\s+(\d+)", re.MULTILINE)


def valgrind() -> str | None:
    return shutil.which("valgrind")


def _child_env(store: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMP_COACH_")}
    env.update(PYTHONHASHSEED="0", CRAMP_COACH_DB=store, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    return env


def _plan(group: str, calls: int, mode: str, seconds: float) -> str:
    return json.dumps(
        {
            "group": group,
            "calls": calls,
            "mode": mode,
            "seconds": seconds,
            "cases_file": str(CASES_FILE),
        }
    )


@contextmanager
def _store(group: str, workdir: Path) -> Iterator[dict[str, str]]:
    """The child's environment for ``group``'s store; for DynamoDB, a dynalite on 127.0.0.1
    with a fresh table, for the child's run."""
    if group == "sqlite":
        yield _child_env(str(workdir / "bench.sqlite3"))
    elif group == "dynamodb":
        from tests.dynalite_server import Dynalite

        with Dynalite() as server:
            server.create_table("bench-instructions")
            yield {**_child_env("dynamodb:bench-instructions"), **server.env()}
    else:
        yield _child_env("none")


def count(tree: Path, group: str, calls: int) -> dict[str, float]:
    """Instructions per call of each case of ``group``, on the skill in ``tree``."""
    tool = valgrind()
    if tool is None:
        raise RuntimeError("valgrind is not installed (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        out_file = workdir / "cg.out"
        prefix = [
            tool,
            "--tool=callgrind",
            "--dump-before=ffi_call",
            "--dump-after=ffi_call",
            f"--callgrind-out-file={out_file}",
        ]
        plan = _plan(group, calls, "count", 0)
        with _store(group, workdir) as env:
            names = _child(prefix, tree, env, plan, "callgrind run")["names"]
        dumps = sorted(
            (p for p in workdir.iterdir() if p.name.startswith("cg.out.")),
            key=lambda p: int(p.name.rsplit(".", 1)[1]),
        )
        # A batch's profile is the one its end wrote (the others hold what ran between).
        texts = [p.read_text() for p in dumps]
        totals = [
            int(_TOTALS.search(text).group(1))  # type: ignore[union-attr]
            for text in texts
            if "Trigger: --dump-after=ffi_call" in text.split("\ntotals", 1)[0]
        ]
    if len(totals) != len(names) + 1:
        raise RuntimeError(f"expected {len(names) + 1} callgrind dumps, got {len(totals)}")
    empty, measured = totals[0], totals[1:]
    return {name: (total - empty) / calls for name, total in zip(names, measured, strict=True)}


def wall(tree: Path, group: str, calls: int, seconds: float) -> dict[str, float]:
    """Median wall microseconds per call of each case (batches of ``calls``), natively."""
    with tempfile.TemporaryDirectory() as work, _store(group, Path(work)) as env:
        answer = _child([], tree, env, _plan(group, calls, "time", seconds), "timing run")
    figures: dict[str, float] = answer["wall_us"]
    return figures


def _child(
    prefix: list[str], tree: Path, env: dict[str, str], plan: str, what: str
) -> dict[str, Any]:
    """The measuring child's answer (its last line, JSON): :data:`CHILD` run on ``tree`` with
    ``plan``, behind ``prefix`` (callgrind, or nothing); ``what`` names it in the error."""
    result = subprocess.run(
        [*prefix, sys.executable, "-c", CHILD, str(tree), plan],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed: {result.stderr[-2000:]}")
    answer: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return answer


@contextmanager
def tree_at(rev: str | None) -> Iterator[Path]:
    """This checkout (``rev`` None), or a copy of ``skill/`` (and the files it reads) at
    ``rev``, extracted from git into a temporary directory."""
    if rev is None:
        yield ROOT
        return
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work) / "tree.tar"
        paths = ["skill", "audio/manifest.json", "interaction_model"]
        subprocess.run(
            ["git", "archive", "--format=tar", f"--output={archive}", rev, *paths],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        target = Path(work) / "tree"
        target.mkdir()
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
        yield target


#: The groups measured on this checkout; an earlier commit gets the first two (the web group
#: needs this checkout's tests/pki.py and web host).
GROUPS = ("none", "sqlite", "dynamodb", "web")
#: The groups measured on the "before" tree too (the web stack is measured once).
STORE_GROUPS = ("none", "sqlite")
#: The groups of the cramp-log rows, measured on a third tree when asked (``--log-before``).
#: Not the DynamoDB store's: on a tree of the old layout (the log as 10,000 DynamoDB numbers,
#: each parsed by botocore) even 4 calls outlasted 21 minutes under callgrind.
LOG_GROUPS = ("sqlite",)
#: Fewer calls for a group whose calls are slow under callgrind: botocore reading an item of
#: the old layout (10,000 logged times as DynamoDB numbers) costs some 50 M instructions, and
#: 16 of them (with the seeding) outlasted the child's 30 minutes on a loaded machine.
GROUP_CALLS = {"dynamodb": 4}


def run(
    calls: int = 16, seconds: float = 2.0, before: str | None = None, log_before: str | None = None
) -> dict[str, Any]:
    """Counts and wall times for every group, on this checkout and (if asked) on ``before``;
    the stores' groups (the cramp-log rows) on ``log_before`` too, if asked."""
    figures: dict[str, Any] = {
        "calls": calls,
        "before": before,
        "log_before": log_before,
        "trees": {},
    }
    plan = (("after", None, GROUPS), ("before", before, STORE_GROUPS))
    plan += (("log_before", log_before, LOG_GROUPS),)
    for label, rev, groups in plan:
        if label != "after" and rev is None:
            continue
        with tree_at(rev) as tree:
            rows: dict[str, dict[str, float]] = {}
            for group in groups:
                group_calls = min(calls, GROUP_CALLS.get(group, calls))
                try:
                    counted = count(tree, group, group_calls)
                    timed = wall(tree, group, min(group_calls, 16), seconds)
                except (DynaliteUnavailable, RuntimeError, subprocess.TimeoutExpired) as failed:
                    # No node, a failed or too slow child: these rows say n/a and why, and the
                    # run goes on (a whole run must not be lost to one group on a busy machine).
                    reason = f"{type(failed).__name__}: {str(failed)[:200]}"
                    figures.setdefault("skipped", {})[f"{group} ({label})"] = reason
                    continue
                for name, instructions in counted.items():
                    rows[name] = {"instructions": instructions, "wall_us": timed.get(name, 0.0)}
            figures["trees"][label] = rows
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--before", default=None, help="also measure this git revision")
    parser.add_argument(
        "--log-before", default=None, help="also measure the stores' groups on this revision"
    )
    args = parser.parse_args(argv)
    figures = run(args.calls, args.seconds, args.before, args.log_before)
    for label, rows in figures["trees"].items():
        print(f"## {label}")
        for name, row in rows.items():
            print(f"{name:55} {row['instructions']:>14,.0f} {row['wall_us']:>10,.1f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
