"""The Lambda entry point's import: light with SQLite, and packaged by lambda-requirements.txt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from skill.tools.simulator.envelopes import EnvelopeFactory

pytestmark = pytest.mark.slow  # fresh interpreters

ROOT = Path(__file__).resolve().parents[1]
#: Not needed to answer a turn that calls no Alexa API: each would add tens of milliseconds
#: to every cold start (requests, xml.sax and urllib.request pull in ssl, http and email).
HEAVY = (
    "flask",
    "boto3",
    "botocore",
    "gtts",
    "werkzeug",
    "ask_sdk_webservice_support",
    "requests",
    "urllib3",
    "http",
    "email",
    "xml",
)

PROBE = """
import json, sys
envelope = json.load(sys.stdin)
at_startup = set(sys.modules)  # e.g. .pth hooks such as setuptools' _distutils_hack
import skill.hosts.lambda_handler as lh
reply = lh.handler(envelope)
print(json.dumps({"modules": sorted(set(sys.modules) - at_startup),
                  "store": type(lh.SKILL.persistence_adapter).__name__,
                  "speech": reply["response"]["outputSpeech"]["ssml"][:40]}))
"""


def fresh_import(tmp_path: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "CRAMP_COACH_"))
    }
    env.update(PYTHONPATH=str(ROOT), CRAMP_COACH_DB=str(tmp_path / "coach.sqlite3"))
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        input=json.dumps(EnvelopeFactory().intent("CrampReliefIntent")),
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_lambda_import_with_sqlite_pulls_in_neither_flask_nor_boto3(tmp_path: Path) -> None:
    probe = fresh_import(tmp_path)
    loaded = {name.split(".")[0] for name in probe["modules"]}
    assert probe["store"] == "SafeAdapter"
    assert "Straighten your leg" in probe["speech"]
    assert (tmp_path / "coach.sqlite3").exists()  # the first request used the store
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    tools = [name for name in probe["modules"] if name.startswith("skill.tools")]
    assert not tools, tools  # the Lambda package leaves skill/tools out


def _closure(names: list[str]) -> set[str]:
    """Distributions installed by ``names`` and their dependencies (no extras)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        for raw in metadata.requires(name) or []:
            requirement = Requirement(raw)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def test_lambda_requirements_cover_every_third_party_import(tmp_path: Path) -> None:
    lines = (ROOT / "lambda-requirements.txt").read_text().splitlines()
    wanted = [Requirement(line).name for line in lines if line.strip() and line[0] != "#"]
    assert not {"flask", "gunicorn", "gtts", "flask-ask-sdk"} & {w.lower() for w in wanted}
    # Lambda's Python runtimes include snapshot_restore_py (SnapStart runtime hooks).
    packaged = _closure(wanted) | {"snapshot-restore-py"}
    owners = metadata.packages_distributions()
    top_level = {name.split(".")[0] for name in fresh_import(tmp_path)["modules"]}
    third_party = {
        name
        for name in top_level
        if name not in sys.stdlib_module_names and name != "skill" and name in owners
    }
    missing = {
        name
        for name in third_party
        if not {d.lower().replace("_", "-") for d in owners[name]} & packaged
    }
    assert missing == set()
    assert {"ask_sdk_core", "ask_sdk_model"} <= third_party


#: What AWS Lambda's Python runtime gives every function: the AWS SDK for Python, and the
#: SnapStart runtime hooks. The package leaves them out (docs/deploy.md).
RUNTIME_PROVIDED = ("boto3", "botocore", "snapshot-restore-py")

IMPORT_ONLY = """
import json, sys
at_startup = set(sys.modules)
import skill.hosts.lambda_handler as lh
print(json.dumps({"modules": sorted(set(sys.modules) - at_startup),
                  "store": type(lh.SKILL.persistence_adapter.inner).__name__}))
"""


def test_the_package_leaves_out_what_the_runtime_provides(tmp_path: Path) -> None:
    """No boto3 or botocore in the package; with the DynamoDB store, every module the entry
    point imports comes from the package or from the runtime's own SDK."""
    lines = (ROOT / "lambda-requirements.txt").read_text().splitlines()
    wanted = [Requirement(line).name for line in lines if line.strip() and line[0] != "#"]
    assert not {"boto3", "botocore"} & {w.lower() for w in wanted}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CRAMP_COACH_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        CRAMP_COACH_DB="dynamodb:coach-table",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
    )
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ONLY],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    assert probe["store"] == "DynamoDbStore"
    top_level = {name.split(".")[0] for name in probe["modules"]}
    assert "boto3" in top_level
    owners = metadata.packages_distributions()
    provided = _closure(wanted) | _closure(list(RUNTIME_PROVIDED[:2])) | {RUNTIME_PROVIDED[2]}
    missing = {
        name
        for name in top_level
        if name not in sys.stdlib_module_names
        and name != "skill"
        and name in owners
        and not {d.lower().replace("_", "-") for d in owners[name]} & provided
    }
    assert missing == set()


def test_lambda_requirements_are_pyprojects_own() -> None:
    # pyproject.toml is the one source of each version range (the pins of the SDK the
    # serializer's equivalence tests ran on included); the Lambda list only picks lines.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {*project["dependencies"], *project["optional-dependencies"]["aws"]}
    lines = (ROOT / "lambda-requirements.txt").read_text().splitlines()
    wanted = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert set(wanted) <= declared
