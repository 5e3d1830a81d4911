"""The instruction counts of the bench (bench/instructions.py): the counting itself works.

Callgrind runs one small group (the hello skill answering a launch, and a call doing nothing)
under valgrind: the harness's own cost must cancel out, and a real request must count in the
hundreds of thousands of instructions. Figures, never targets: those are `python -m bench`'s.
"""

from __future__ import annotations

import os

import pytest

from bench import instructions

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def counted() -> dict[str, float]:
    if instructions.valgrind() is None:
        if os.environ.get("CI"):
            pytest.fail("valgrind is missing: .ci/run installs it")
        pytest.skip("valgrind is not installed")
    return instructions.count(instructions.ROOT, "smoke", calls=2)


def test_the_harness_counts_itself_out(counted: dict[str, float]) -> None:
    assert abs(counted["nothing"]) < 2_000


def test_a_request_counts_what_it_executes(counted: dict[str, float]) -> None:
    assert 200_000 < counted["hello, stock serializer: launch"] < 20_000_000


def test_the_measuring_child_reports_a_failing_case() -> None:
    """A case that raises must fail the run, never count as a cheap call."""
    with pytest.raises(RuntimeError, match="failed"):
        instructions.wall(instructions.ROOT, "broken", calls=1, seconds=0)
