"""Dependencies are declared where they are used: what the code imports is declared in
pyproject.toml, in the group that installs that code, and nothing is declared that nothing uses."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.source import tree
from tests.test_lambda_import import _closure

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
OURS = {"skill", "bench", "tests"}
#: Imported only to see whether it imports (skill/alexa/sdk_compat.py): ask-sdk-webservice-support
#: requires it, and the skill works without it. snapshot_restore_py (SnapStart runtime hooks,
#: skill/hosts/lambda_handler.py) comes with Lambda's Python runtimes; elsewhere it is not needed.
PROBED = {"certvalidator", "snapshot_restore_py"}
#: Declared for what they run as commands, type stubs or pytest plugins, not for an import.
NOT_IMPORTED = {
    "ruff",
    "mypy",
    "types-requests",
    "types-pyyaml",
    "cfn-lint",
    "pytest-xdist",
    "pytest-random-order",
}
#: Declared only to hold its range: ask-sdk-core's date parser, which on Lambda the runtime's own
#: botocore also imports (lambda-requirements.txt).
NOT_IMPORTED |= {"python-dateutil"}


def name(requirement: str) -> str:
    return Requirement(requirement).name.lower().replace("_", "-")


def group(extra: str) -> set[str]:
    declared = {name(r) for r in PROJECT["optional-dependencies"][extra]}
    return {n for n in declared if n != "cramp-coach"}


CORE = {name(r) for r in PROJECT["dependencies"]}
AWS, AUDIO, NLU, DEV = group("aws"), group("audio"), group("nlu"), group("dev")


@cache
def imports(folder: str) -> frozenset[str]:
    """Top-level third-party modules imported anywhere under ``folder`` (lazy imports too)."""
    top = ROOT / folder
    paths = [top] if top.is_file() else top.rglob("*.py")
    return frozenset().union(*(file_imports(path) for path in paths))


@cache
def file_imports(path: Path) -> frozenset[str]:
    """What :func:`imports` finds in one file, parsed once per run (the tests ask about
    ``skill/core`` and then ``skill``)."""
    found = set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", None) == "importorskip"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value).split(".")[0])
    return frozenset(m for m in found if m not in sys.stdlib_module_names and m not in OURS)


@cache
def _owners() -> dict[str, list[str]]:
    return dict(metadata.packages_distributions())


def distributions(module: str) -> set[str]:
    owners = _owners().get(module, [])
    return {d.lower().replace("_", "-") for d in owners}


def undeclared(folder: str, allowed: set[str]) -> dict[str, set[str]]:
    return {
        module: distributions(module)
        for module in imports(folder) - PROBED
        if not distributions(module) & allowed
    }


def test_the_skill_imports_only_what_its_groups_declare() -> None:
    # Running on Alexa or a host: the core; the DynamoDB store: `aws`.
    for layer in ("core", "alexa", "hosts", "store"):
        assert undeclared(f"skill/{layer}", CORE | AWS) == {}, layer


def test_the_tools_import_only_what_the_core_and_extras_declare() -> None:
    assert undeclared("skill/tools", CORE | AUDIO | NLU | DEV) == {}


def test_tests_and_benchmarks_import_only_declared_packages() -> None:
    everything = CORE | AWS | AUDIO | NLU | DEV
    assert undeclared("tests", everything) == {}
    assert undeclared("bench", everything) == {}


def test_everything_declared_is_used() -> None:
    used = set()
    for folder in ("skill", "tests", "bench", "setup.py"):
        for module in imports(folder):
            used |= distributions(module)
    declared = CORE | AWS | AUDIO | NLU | DEV
    assert declared - used - NOT_IMPORTED == set()


def test_the_wheel_does_not_pull_in_the_audio_builder() -> None:
    # chat, say, serve and the Lambda handler need none of it.
    assert not (AUDIO & CORE)


SAY = """
import sys
at_startup = set(sys.modules)  # e.g. .pth hooks such as setuptools' _distutils_hack
from skill.tools.cli import main
main(["say", "my hamstring is cramping"])
print(" ".join({name.split(".")[0] for name in set(sys.modules) - at_startup}), file=sys.stderr)
"""


def test_the_lambda_package_does_not_pull_in_the_nlu() -> None:
    # numpy is the offline NLU's (skill/tools, which the Lambda build leaves out).
    assert not (NLU & CORE) and not (NLU & AWS)


@pytest.mark.slow
def test_chat_and_say_need_only_the_core_dependencies() -> None:
    # `pip install -e '.[nlu]'` and `cramp-coach chat` is the README's first command; a line
    # the exact stages understand needs the core alone (numpy is loaded for the meaning
    # stage only, tests/test_nlu_meaning.py).
    env = {**os.environ, "CRAMP_COACH_DB": "none"}
    done = subprocess.run(
        [sys.executable, "-c", SAY], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stderr.split()) - set(sys.stdlib_module_names) - OURS - PROBED
    core = _closure(sorted(CORE))
    outside = {
        m: distributions(m) for m in loaded if distributions(m) and not distributions(m) & core
    }
    assert outside == {}
