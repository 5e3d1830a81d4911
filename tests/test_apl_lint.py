"""Every APL and APLA document and data source passes Amazon's own linter, apl-suggester.

The npm package (pinned in tools/node/apl/package-lock.json) is installed from its lock file on
first use, like dynalite (``.ci/run`` installs it up front); only on a machine without node and
npm do these tests skip, with a loud reason, and never when ``CI`` is set.
tools/node/apl/lint.js runs the validator offline and also reports what it only logs, component
types it silently skips, and its own crashes.

Explained findings (the only ones allowed):
- ``No mixin for component : X`` (logged): X is the parent of some component and is a
  single-child component (Frame, TouchWrapper, ScrollView) or the mainTemplate; such parents
  add no child-layout properties, so there is nothing to merge. Informational.
- APLA: apl-suggester 2024.2 knows only APL (its schema accepts ``type`` "APL" and APL
  versions). On an APLA document its component walker recurses without end through nested
  Sequencer/Mixer (RangeError). So an APLA document is checked here against the APLA component
  reference instead (:data:`APLA_PROPERTIES`), and its data sources by apl-suggester.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from skill.core import holds
from skill.core.catalogue import catalogue_for
from skill.hosts import lambda_handler
from skill.tools.simulator.conversation import APL_RENDER, APLA_RENDER, Conversation
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.npm_install import npm_ci_once

pytestmark = pytest.mark.slow  # the node APL linter

ROOT = Path(__file__).resolve().parents[1]
LINT = ROOT / "tools" / "node" / "apl" / "lint.js"
PACKAGE = ROOT / "tools" / "node" / "apl" / "node_modules" / "apl-suggester"
APL_DOCUMENT = ROOT / "skill" / "data" / "apl" / "coach.json"
APLA_DOCUMENT = ROOT / "skill" / "data" / "apla" / "hold.json"
DATASOURCE_FILES = sorted((ROOT / "skill" / "data" / "apl" / "datasources").glob("*.json"))

WORDS = catalogue_for("en-US").countdown
EXPLAINED_LOG_PARENTS = {"Frame", "TouchWrapper", "ScrollView", "mainTemplate"}
APLA_CRASH = "RangeError: Maximum call stack size exceeded"

#: The APLA components and their properties (APL for Audio reference: base component
#: properties, multiple-child properties, and each component's own).
_BASE = {"type", "when", "bind", "description", "duration", "id", "filters"}
_MULTI = {"data", "item", "items"}
APLA_PROPERTIES = {
    "Speech": _BASE | {"content", "contentType"},
    "Silence": _BASE,
    "Audio": _BASE | {"source"},
    "Sequencer": _BASE | _MULTI | {"repeatCount"},
    "Mixer": _BASE | _MULTI,
    "Selector": _BASE | _MULTI | {"strategy"},
}
APLA_FILTERS = {"Volume": {"amount"}, "FadeIn": {"duration"}, "FadeOut": {"duration"}}


def ensure_linter() -> bool:
    """apl-suggester, installed from tools/node/apl's lock file if it is not yet (a clean clone)."""
    return npm_ci_once(LINT.parent, PACKAGE)


def _node() -> str:
    node = shutil.which("node")
    if node is None or not ensure_linter():
        reason = (
            "APL LINT NOT RUN: needs node and npm to install tools/node/apl "
            f"(node {'found' if node else 'missing'}, npm "
            f"{'found' if shutil.which('npm') else 'missing'})"
        )
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must install it (.ci/run)")
        pytest.skip(reason)
    return node


def lint(paths: list[Path]) -> dict[str, list[dict[str, str]]]:
    result = subprocess.run(
        [_node(), str(LINT), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, list[dict[str, str]]] = json.loads(result.stdout)
    return found


def unexplained(findings: list[dict[str, str]]) -> list[dict[str, str]]:
    left = []
    for finding in findings:
        message = finding["errorMessage"]
        mixin = finding["level"] == "LOG" and message.startswith("No mixin for component : ")
        if mixin and message.rsplit(" : ", 1)[1] in EXPLAINED_LOG_PARENTS:
            continue
        left.append(finding)
    return left


def _write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@functools.cache
def sent_by_the_skill() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The APL and APLA data sources of real responses on an Echo Show: every step of every
    routine, doctor advice, a symptom check, and a routine's end."""
    apl: list[dict[str, Any]] = []
    apla: list[dict[str, Any]] = []

    def keep(heard: Any) -> None:
        for directive in heard.directives:
            if directive["type"] == APL_RENDER:
                apl.append(directive["datasources"])
            elif directive["type"] == APLA_RENDER:
                apla.append(directive["datasources"])

    for start, slots in [
        ("CrampReliefIntent", {"Leg": {"value": "left", "id": "left"}}),
        ("StretchSessionIntent", {"SessionKind": {"value": "stretch", "id": "stretch"}}),
        ("StretchSessionIntent", {"SessionKind": {"value": "warm up", "id": "warmup"}}),
    ]:
        talk = Conversation(lambda_handler.handler, EnvelopeFactory(screen=True))
        heard = talk.intent(start, **slots)
        keep(heard)
        while not heard.ended and "Well done" not in heard.speech:
            heard = talk.intent("AMAZON.NextIntent")
            keep(heard)
    talk = Conversation(lambda_handler.handler, EnvelopeFactory(screen=True))
    keep(talk.intent("DoctorAdviceIntent"))
    keep(talk.intent("SymptomCheckIntent", Symptom={"value": "numbness", "id": "numbness"}))
    # Issue 23: the launch screen, and a yes/no question with no screen of its own.
    talk = Conversation(lambda_handler.handler, EnvelopeFactory(screen=True))
    keep(talk.launch())
    keep(talk.intent("PreventionIntent"))
    return apl, apla


def test_the_apl_document_and_data_source_files_pass(tmp_path: Path) -> None:
    found = lint([APL_DOCUMENT, *DATASOURCE_FILES])
    assert len(DATASOURCE_FILES) >= 3  # several data sources, one document
    for path, findings in found.items():
        assert unexplained(findings) == [], path


def test_every_screen_the_skill_sends_passes(tmp_path: Path) -> None:
    apl, _ = sent_by_the_skill()
    screens = {json.dumps(source, sort_keys=True) for source in apl}
    assert len(screens) >= 15
    # Issue 23: the launch screen, a yes/no screen, and hold screens with a picture and
    # Pause, Longer and Shorter are among them.
    shown = [source["coach"]["properties"] for source in apl]
    assert any(p["screen"] == "launch" for p in shown)
    assert any(p["screen"] == "question" and len(p["buttons"]) == 2 for p in shown)
    held = [p for p in shown if p["screen"] == "step" and p["hold"]["seconds"]]
    assert held and all(p["picture"] for p in held)
    assert all({"pause", "longer", "shorter"} <= {b["action"] for b in p["buttons"]} for p in held)
    paths = [_write(tmp_path, f"screen{i}.json", json.loads(s)) for i, s in enumerate(screens)]
    for path, findings in lint(paths).items():
        assert findings == [], path


def test_apla_documents_and_data_sources_pass(tmp_path: Path) -> None:
    """apl-suggester on the APLA document gives exactly the explained crash; its data sources
    (every hold length, with and without the tick, and the ones the skill sent) pass."""
    _, sent = sent_by_the_skill()
    assert sent
    sources = [
        {"hold": {**holds.apla_countdown(s, WORDS), "after": "<speak>x</speak>"}}
        for s in range(20, 31)
    ]
    sources += [
        {"hold": holds.apla_countdown(25, WORDS, "soundbank://soundlibrary/clocks/ticks/ticks_01")}
    ]
    paths = [_write(tmp_path, f"apla{i}.json", s) for i, s in enumerate([*sent, *sources])]
    found = lint([APLA_DOCUMENT, *paths])
    assert found.pop(str(APLA_DOCUMENT)) == [
        {"path": "", "errorMessage": APLA_CRASH, "level": "CRASH"}
    ]
    for path, findings in found.items():
        assert findings == [], path


def _apla_components(node: Any, path: str = "mainTemplate") -> list[tuple[str, dict[str, Any]]]:
    out = []
    for key in ("item", "items"):
        for index, child in enumerate(node.get(key) or [] if isinstance(node, dict) else []):
            here = f"{path}/{key}/{index}"
            out.append((here, child))
            out += _apla_components(child, here)
    return out


def test_the_apla_document_uses_only_documented_components_and_properties() -> None:
    document = json.loads(APLA_DOCUMENT.read_text(encoding="utf-8"))
    assert document["type"] == "APLA" and document["version"] == "0.91"
    assert set(document) <= {"type", "version", "description", "mainTemplate", "resources"}
    components = _apla_components(document["mainTemplate"])
    assert {c["type"] for _, c in components} >= {"Speech", "Silence", "Audio", "Mixer"}
    for path, component in components:
        allowed = APLA_PROPERTIES.get(component["type"])
        assert allowed is not None, f"{path}: unknown APLA component {component['type']}"
        assert set(component) <= allowed, (path, set(component) - allowed)
        assert not ("item" in component and "items" in component), path
        for spec in component.get("filters", []):
            assert set(spec) - {"type", "when", "description"} <= APLA_FILTERS[spec["type"]]


def test_the_linter_is_not_a_rubber_stamp(tmp_path: Path) -> None:
    """A broken copy of the document is caught: a made-up property and a made-up component."""
    document = json.loads(APL_DOCUMENT.read_text(encoding="utf-8"))
    button = document["layouts"]["CoachButton"]["item"]
    button["item"]["item"]["fontSizee"] = "20dp"
    document["mainTemplate"]["items"][0]["items"].append({"type": "Frobnicate"})
    findings = unexplained(
        lint([_write(tmp_path, "broken.json", document)])[str(tmp_path / "broken.json")]
    )
    messages = " ".join(f["errorMessage"] for f in findings)
    assert "fontSizee" in messages and "Frobnicate" in messages
