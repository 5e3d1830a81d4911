"""The README's promises hold: two set-up commands at the top, CI runs the test one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "README has no sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = readme.index("```sh")
    assert readme[:first_block].strip().startswith("# Cramp Coach")
    assert len(readme[:first_block].strip().splitlines()) <= 2
    run, test = readme_commands()
    assert "cramp-coach" in run
    assert "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[1] in ci
