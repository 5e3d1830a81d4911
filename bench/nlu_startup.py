"""The offline NLU's start-up and memory, and ``cramp-coach say``'s cost: ``python -m
bench.nlu_startup``.

Each figure is from a fresh process (the costs are once per process). Time is CPU time
(user + system), the steady figure on this shared 2-core machine, where wall time swings
with the other engineers' load; on a quiet machine a start-up is CPU-bound, so wall time is
close to it. Memory is the resident set's growth. Target (issue 22): ``cramp-coach say``
under 1 s on a quiet machine, with a line the meaning stage understands.

The embedded samples are cached between runs (skill/tools/nlu/semantic.py): each figure is
taken cold (an empty cache directory: the samples are embedded and the cache written) and
warm (the same directory again: the cache is read).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 1.0
#: A line only the meaning stage understands, and one the exact stage does.
BY_MEANING = "ow my hammy is seizing up right now"
EXACT = "my hamstring is cramping"

STEPS = r"""
import json, os, time

def cpu():
    t = os.times()
    return t.user + t.system

def rss():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmRSS")) / 1024

marks = [("start", cpu(), rss())]
from skill.tools.nlu.model import default_model
model = default_model()
marks.append(("word stages (import, patterns, overlap index)", cpu(), rss()))
import numpy
marks.append(("numpy import", cpu(), rss()))
from skill.tools.nlu import embedding as nlu_embedding
nlu_embedding.load()
marks.append(("reading the model file", cpu(), rss()))
index = model.meaning
marks.append((f"embedding the samples ({len(index.entries)} texts) or reading them", cpu(), rss()))
for _ in range(20):
    model.understand(%r)
marks.append(("20 lines through stage 3", cpu(), rss()))
print(json.dumps(marks))
"""


def _env(cache: str) -> dict[str, str]:
    return {**os.environ, "CRAMP_COACH_DB": "none", "CRAMP_COACH_NLU_CACHE": cache}


def steps(cache: str = "none") -> list[tuple[str, float, float]]:
    """(step, CPU seconds, MB of resident memory added) in one fresh process, with the
    embedded-sample cache in directory ``cache`` ("none": no cache)."""
    done = subprocess.run(
        [sys.executable, "-c", STEPS % BY_MEANING],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=_env(cache),
        timeout=300,
    )
    marks = json.loads(done.stdout)
    return [
        (name, cpu - marks[i][1], rss - marks[i][2]) for i, (name, cpu, rss) in enumerate(marks[1:])
    ]


def say_seconds(line: str, cache: str = "none") -> tuple[float, float]:
    """CPU seconds and peak resident MB of ``cramp-coach say line`` in a fresh process,
    with the embedded-sample cache in directory ``cache`` ("none": no cache)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "skill.tools.cli", "say", line],
        capture_output=True,
        check=True,
        cwd=ROOT,
        env=_env(cache),
        timeout=300,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, after.ru_maxrss / 1024


def main() -> int:
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="nlu-cache-") as cache:
        # The exact line first: a child's peak memory is the largest of any child so far.
        # Then the meaning line cold (the cache written), then warm (the cache read).
        for line, how in ((EXACT, "no cache"), (BY_MEANING, "cold"), (BY_MEANING, "warm")):
            cpu, peak = say_seconds(line, "none" if how == "no cache" else cache)
            worst = max(worst, cpu) if how != "cold" else worst
            print(f"cramp-coach say {line!r} ({how}): {cpu:.2f} s CPU, peak {peak:.0f} MB")
        for how, directory in (("no cache", "none"), ("warm cache", cache)):
            print(f"the NLU's start-up, step by step (one fresh process, {how}):")
            for name, cpu, mb in steps(directory):
                print(f"  {name}: {cpu:.3f} s CPU, {mb:+.1f} MB")
    verdict = "within" if worst < TARGET_SECONDS else "OVER"
    print(f"target: say under {TARGET_SECONDS:.0f} s on a quiet machine: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
