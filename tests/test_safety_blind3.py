"""The third blind safety set of issue 22 (`skill/locales/*/tests/safety/frozen_blind3.yaml`).

Written by someone who never read this repository, after the issue's first round of work and
committed before the second (the meaning stage's rework); the sha256 pins keep it unedited.
Its first figure, and every later one, are in docs/safety.md."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from skill.tools.evals.safety import safety_set

#: Each language's set, moved into its folder with its bytes unchanged.
SHA256 = {
    safety_set("en", "frozen_blind3"): (
        "9a16b084e574dac77058bb5198a5afa45f70746488b1f37d3723be7d7dcfb308"
    ),
    safety_set("es", "frozen_blind3"): (
        "c6b5d6f1b2cd0e2e968e8ad8ce8cab28fb345967f6d469eb724fb88c1f7fd4a8"
    ),
}


@pytest.mark.parametrize("path", sorted(SHA256), ids=lambda p: p.parent.parent.parent.name)
def test_the_third_blind_sets_are_the_ones_committed(path: Path) -> None:
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA256[path]
