"""template.yaml: cfn-lint clean, and what the SAM transform makes of it (offline)."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from skill.tools.simulator.envelopes import EnvelopeFactory

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"
SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
FUNCTION = "CrampCoachFunction"


def load_template() -> dict[str, Any]:
    from samtranslator.yaml_helper import yaml_parse

    return yaml_parse(TEMPLATE.read_text())


class _NoManagedPolicies:
    """The translator asks IAM for managed policy ARNs only if the template names some."""

    def load(self) -> dict[str, str]:
        return {}


def transformed(template: dict[str, Any] | None = None) -> dict[str, Any]:
    pytest.importorskip("samtranslator")
    from samtranslator.translator.transform import transform

    template = copy.deepcopy(template or load_template())
    # The translator only accepts an uploaded artefact; `sam build` provides one for real.
    template["Resources"][FUNCTION]["Properties"]["CodeUri"] = "s3://bucket/cramp-coach.zip"
    return transform(template, {"AlexaSkillId": SKILL_ID}, _NoManagedPolicies())


@pytest.fixture(autouse=True)
def _region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def _cfn_lint() -> str | None:
    found = shutil.which("cfn-lint")
    beside = Path(sys.executable).with_name("cfn-lint")
    return str(beside) if beside.exists() else found


@pytest.mark.slow
def test_cfn_lint_is_clean() -> None:
    cfn_lint = _cfn_lint()
    if cfn_lint is None:
        pytest.skip("cfn-lint is not installed (pip install -e '.[dev]')")
    result = subprocess.run(
        [cfn_lint, str(TEMPLATE)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_alexa_skill_event_becomes_a_permission_for_that_skill_only() -> None:
    resources = transformed()["Resources"]
    permissions = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"]
    assert len(permissions) == 1
    properties = permissions[0]["Properties"]
    assert properties["Principal"] == "alexa-appkit.amazon.com"
    assert properties["Action"] == "lambda:InvokeFunction"
    # On the published alias (what SnapStart serves), not the function's $LATEST.
    assert properties["FunctionName"] == {"Ref": f"{FUNCTION}Aliaslive"}
    assert properties["EventSourceToken"] == {"Ref": "AlexaSkillId"}
    assert "AlexaSkillId" in load_template()["Parameters"]


@pytest.mark.slow
def test_a_misspelt_event_type_is_caught_by_the_transform() -> None:
    """cfn-lint misses this (stack-notes section 4), so the transform test must catch it."""
    from samtranslator.model.exceptions import InvalidDocumentException

    template = load_template()
    template["Resources"][FUNCTION]["Properties"]["Events"]["AlexaSkillEvent"]["Type"] = "AlexaSkil"
    with pytest.raises(InvalidDocumentException):
        transformed(template)


@pytest.mark.slow  # the SAM transform: ~0.6 s of imports (docs/testing.md)
def test_function_settings() -> None:
    function = transformed()["Resources"][FUNCTION]
    assert function["Type"] == "AWS::Lambda::Function"
    properties = function["Properties"]
    assert properties["Handler"] == "skill.hosts.lambda_handler.handler"
    major, minor = re.fullmatch(r"python(\d+)\.(\d+)", properties["Runtime"]).groups()
    assert (int(major), int(minor)) >= (3, 12)
    assert properties["Timeout"] <= 8
    assert 256 <= properties["MemorySize"] <= 3008
    variables = properties["Environment"]["Variables"]
    assert variables["CRAMP_COACH_DB"] == {"Fn::Sub": "dynamodb:${AttributesTable}"}


@pytest.mark.slow  # the SAM transform: ~0.6 s of imports (docs/testing.md)
def test_snapstart_on_published_versions_behind_an_alias_that_alexa_calls() -> None:
    resources = transformed()["Resources"]
    function = resources[FUNCTION]["Properties"]
    assert function["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    major, minor = re.fullmatch(r"python(\d+)\.(\d+)", function["Runtime"]).groups()
    assert (int(major), int(minor)) >= (3, 12)  # SnapStart's first Python
    [version] = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Version"]
    assert version["Properties"]["FunctionName"] == {"Ref": FUNCTION}
    alias = resources[f"{FUNCTION}Aliaslive"]
    assert alias["Type"] == "AWS::Lambda::Alias" and alias["Properties"]["Name"] == "live"
    # Features SnapStart does not support stay off (AWS: provisioned concurrency, EFS,
    # ephemeral storage over 512 MB).
    assert "FileSystemConfigs" not in function
    assert function.get("EphemeralStorage", {"Size": 512})["Size"] <= 512
    assert "ProvisionedConcurrencyConfig" not in alias["Properties"]
    # The endpoint pasted into the Alexa console is the alias.
    assert transformed()["Outputs"]["FunctionArn"]["Value"] == {"Ref": f"{FUNCTION}Aliaslive"}


@pytest.mark.slow  # the SAM transform: ~0.6 s of imports (docs/testing.md)
def test_function_may_only_get_put_and_delete_items_of_its_table() -> None:
    role = transformed()["Resources"][f"{FUNCTION}Role"]["Properties"]
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    assert statements == [
        {
            "Sid": "PersonAttributes",
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
            "Resource": {"Fn::GetAtt": ["AttributesTable", "Arn"]},
        }
    ]
    assert role["ManagedPolicyArns"] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]


def test_table_is_on_demand_recoverable_encrypted_and_keyed_as_the_adapter_expects() -> None:
    table = load_template()["Resources"]["AttributesTable"]["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["SSESpecification"] == {"SSEEnabled": True}
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "S"}]


def test_records_expire_by_the_attribute_the_store_writes() -> None:
    from skill.core.cramp_log import CRAMP_LOG_DAYS
    from skill.core.memory import DAY
    from skill.store.dynamodb import EXPIRES_AT, TTL_SECONDS

    table = load_template()["Resources"]["AttributesTable"]["Properties"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": EXPIRES_AT, "Enabled": True}
    assert TTL_SECONDS == CRAMP_LOG_DAYS * DAY == 90 * DAY  # in line with the cramp log


def test_audio_is_readable_over_tls_only_and_no_acl_can_publish() -> None:
    resources = load_template()["Resources"]
    block = resources["AudioBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert block["BlockPublicAcls"] is True and block["IgnorePublicAcls"] is True
    statements = resources["AudioBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert [s["Action"] for s in allows] == ["s3:GetObject"]
    assert allows[0]["Condition"] == {"Bool": {"aws:SecureTransport": "true"}}
    denies = [s for s in statements if s["Effect"] == "Deny"]
    assert denies and denies[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    outputs = load_template()["Outputs"]
    assert outputs["AudioBaseUrl"]["Value"]["Fn::Sub"].startswith("https://")


def test_makefile_builds_the_function_from_lambda_requirements() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert f"build-{FUNCTION}:" in makefile
    assert "lambda-requirements.txt" in makefile
    metadata = load_template()["Resources"][FUNCTION]["Metadata"]
    assert metadata == {"BuildMethod": "makefile"}


#: The packaged function has no skill.tools, so the envelope comes in on stdin.
PACKAGED_PROBE = """
import json, sys, skill.hosts.lambda_handler as lh
print(json.dumps(lh.handler(json.load(sys.stdin))))
"""


@pytest.mark.slow
def test_the_packaged_function_points_audio_at_the_bucket(tmp_path: Path) -> None:
    """Build the function's code layout with the Makefile (dependency download and
    byte-compiling stubbed out) and answer a request from it with hosted audio."""
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    subprocess.run(
        ["make", "-s", f"build-{FUNCTION}", f"ARTIFACTS_DIR={artifacts}", "PYTHON=true"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert (artifacts / "skill" / "hosts" / "lambda_handler.py").is_file()
    assert not (artifacts / "skill" / "tools").exists()  # tools never run on Alexa
    assert (artifacts / "audio" / "manifest.json").is_file()
    assert not list((artifacts / "audio").glob("*.mp3"))  # the clips live in the bucket
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRAMP_COACH_", "AWS_"))}
    env.update(
        PYTHONPATH=str(artifacts),
        CRAMP_COACH_DB="none",
        CRAMP_COACH_AUDIO_BASE_URL="https://bucket.s3.example.com/audio",
    )
    result = subprocess.run(
        [sys.executable, "-c", PACKAGED_PROBE],
        input=json.dumps(EnvelopeFactory().intent("CrampReliefIntent")),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    ssml = json.loads(result.stdout)["response"]["outputSpeech"]["ssml"]
    assert '<audio src="https://bucket.s3.example.com/audio/hold_30s-' in ssml
