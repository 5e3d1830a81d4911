"""In-process latency of the main requests, against the hello-skill baseline.

Both skills answer the same envelopes through a Lambda-style handler (dict in, dict out),
interleaved request by request so that machine noise hits both alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench import hello_skill
from bench.cases import LOCAL_API
from bench.stats import summary
from skill.hosts import lambda_handler
from skill.tools.simulator.envelopes import EnvelopeFactory

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def scenarios() -> dict[str, dict[str, Any]]:
    """The requests a person makes most, as envelopes (with session state where needed)."""
    factory = EnvelopeFactory(api_endpoint=LOCAL_API)  # no call leaves the machine
    relief = factory.intent("CrampReliefIntent")
    factory.carry(lambda_handler.handler(relief))
    next_step = factory.intent("AMAZON.NextIntent")
    factory.new_session()
    return {
        "launch": factory.launch(),
        "one-shot relief (with hold)": relief,
        "next step": next_step,
        "prevention tip": factory.intent("PreventionIntent"),
        "doctor advice": factory.intent("DoctorAdviceIntent"),
    }


def measure(
    handler: Handler, baseline: Handler, envelope: dict[str, Any], rounds: int
) -> tuple[list[float], list[float]]:
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(50):  # warm up both
        handler(envelope)
        baseline(envelope)
    clock = time.perf_counter
    for _ in range(rounds):
        start = clock()
        handler(envelope)
        ours.append(clock() - start)
        start = clock()
        baseline(envelope)
        theirs.append(clock() - start)
    return ours, theirs


def run(rounds: int = 2000) -> list[dict[str, Any]]:
    rows = []
    for name, envelope in scenarios().items():
        ours, theirs = measure(lambda_handler.handler, hello_skill.handler, envelope, rounds)
        skill_stats, base_stats = summary(ours), summary(theirs)
        rows.append(
            {
                "request": name,
                "skill_p50_us": skill_stats["p50"] * 1e6,
                "skill_p99_us": skill_stats["p99"] * 1e6,
                "base_p50_us": base_stats["p50"] * 1e6,
                "base_p99_us": base_stats["p99"] * 1e6,
                "p99_ratio": skill_stats["p99"] / base_stats["p99"],
            }
        )
    return rows
