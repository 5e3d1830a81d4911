"""Generated hostile input through both entries, the Lambda handler and ``POST /alexa``.

Envelopes (real request types and intents, and made-up ones; fields dropped or of the wrong
type), session attributes (the skill's own names with any JSON, and other names) and slot
values ("NaN", 400 digits, SSML, control characters, any text) must never raise, never give
a 5xx, and every answer must be SSML Alexa accepts (skill.core.ssml.validate: well-formed,
supported tags, breaks up to 10 s, under 8,000 characters, no audio of unknown origin) with
no tag or URL from the input in it.

Bounded: ``FUZZ_EXAMPLES`` examples per test (derandomised when ``CI`` is set, so CI runs
the same examples every time; locally each run explores new ones).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.alexa.builder import build_skill
from skill.core.session_state import SCHEMA
from skill.core.ssml import SUPPORTED_TAGS, parse, tag_name, validate_response
from skill.hosts import lambda_handler
from skill.hosts.web import create_app
from skill.settings import Settings
from skill.store.sqlite import SQLiteAdapter
from skill.tools.simulator.envelopes import EnvelopeFactory, slot_value

pytestmark = pytest.mark.slow  # hypothesis: hundreds of generated envelopes

ROOT = Path(__file__).resolve().parents[1]
MODEL = json.loads((ROOT / "interaction_model/interactionModels/custom/en-US.json").read_text())[
    "interactionModel"
]["languageModel"]
SLOTS = {i["name"]: [s["name"] for s in i.get("slots", [])] for i in MODEL["intents"]}
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
#: Markers planted in the input: none may come back as markup.
EVIL_HOST = "evil.example"
HOSTILE = [
    "NaN",
    "nan",
    "1e309",
    "-1e309",
    "Infinity",
    "9" * 400,
    "-5",
    "0",
    "?",
    "2.5",
    "PT" + "9" * 400 + "S",
    "PT30S",
    "P1D",
    "PT0S",
    f"<audio src='https://{EVIL_HOST}/x.mp3'/>",
    '<break time="60s"/>',
    "<speak>hi</speak>",
    "]]><![CDATA[",
    "&amp;&",
    "left",
    "right",
    "warm-up",
    "rest",
    "last night",
    "line\nFORGED",
    "\x00\x1f",
    "٣٠",
    "x" * 9000,
]

settings.register_profile(
    "fuzz",
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    database=None if os.environ.get("CI") else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("fuzz")

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
# The skill's own attributes with plausible and wild values, plus names it never writes.
plausible = {
    "question": st.sampled_from(["is_cramping", "next_tip", "more", "forget_data", "nope"]),
    "routine": st.fixed_dictionaries(
        {"routine": st.sampled_from(["relief", "warmup", "cooldown", "stretch", "x"])},
        optional={
            "index": st.one_of(st.integers(-5, 40), json_scalars),
            "hold": st.one_of(st.integers(0, 100), json_scalars),
            "leg": st.sampled_from(["left", "right", None, "both"]),
            "paused": st.one_of(st.booleans(), json_scalars),
        },
    ),
    # What "repeat" would say: markup planted here must come back as text, if at all.
    "said": st.fixed_dictionaries(
        {
            "speech": st.lists(
                st.one_of(
                    st.sampled_from([h for h in HOSTILE if len(h) < 100]),
                    st.floats(min_value=0, max_value=12),
                    st.text(max_size=20),
                ),
                min_size=1,
                max_size=4,
            )
        }
    ),
}
attribute_values = st.one_of(json_values, *plausible.values())
session_attributes = st.one_of(
    st.fixed_dictionaries({"said": plausible["said"]}),
    st.dictionaries(
        st.one_of(st.sampled_from(sorted(SCHEMA)), st.text(max_size=12)),
        attribute_values,
        max_size=5,
    ),
)
slot_values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


@st.composite
def envelopes(draw: st.DrawFn) -> dict[str, Any]:
    factory = EnvelopeFactory()
    factory.locale = draw(st.sampled_from(["en-US", "en-GB", "en-IN", "es-ES", "xx", ""]))
    factory.session_attributes = draw(session_attributes)
    factory.new = draw(st.booleans())
    kind = draw(
        st.sampled_from(
            ["IntentRequest"] * 6
            + ["LaunchRequest", "SessionEndedRequest", "Connections.Response", "Made.Up"]
        )
    )
    if kind == "IntentRequest":
        name = draw(
            st.one_of(
                st.just("AMAZON.RepeatIntent"),  # replays session state: weighted up
                st.sampled_from(sorted(SLOTS)),
                st.text(max_size=20),
            )
        )
        names = SLOTS.get(name, []) + draw(st.lists(st.text(max_size=8), max_size=1))
        slots = {slot: draw(slot_values) for slot in names if draw(st.booleans())}
        envelope = factory.intent(name)
        envelope["request"]["intent"]["slots"] = {k: slot_value(k, v) for k, v in slots.items()}
    elif kind == "LaunchRequest":
        envelope = factory.launch()
    elif kind == "SessionEndedRequest":
        envelope = factory.session_ended(
            draw(st.sampled_from(["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS", "x"])),
            error_type=draw(st.sampled_from([None, "INVALID_RESPONSE", "x\ny"])),
        )
    elif kind == "Connections.Response":
        envelope = factory.connections_response(
            draw(st.sampled_from(["ACCEPTED", "DENIED", "NOT_ANSWERED", "x"])),
            token=draw(st.one_of(st.just("cramp-coach-timer:hold:25"), slot_values)),
        )
    else:
        envelope = factory.launch()
        envelope["request"]["type"] = kind
    # Sometimes a field of the wrong type or missing, as a forged request would have it.
    damage = draw(st.sampled_from([None, None, None, "session", "context", "timestamp", "new"]))
    if damage == "session":
        envelope["session"]["attributes"] = draw(json_values)
    elif damage == "context":
        envelope["context"]["System"]["apiEndpoint"] = draw(
            st.sampled_from(["http://[::1", "ftp://x", "", "https://127.0.0.1:1"])
        )
        envelope["context"]["System"]["apiAccessToken"] = draw(slot_values)
    elif damage == "timestamp":
        envelope["request"]["timestamp"] = draw(json_scalars)
    elif damage == "new":
        envelope["session"]["new"] = draw(json_scalars)
    return envelope


def check_answer(answer: dict[str, Any]) -> None:
    response = answer.get("response")
    assert isinstance(response, dict), answer
    # No clip durations are known to this check: any <audio> at all is reported.
    assert validate_response(response, {}) == [], response
    for path in (("outputSpeech",), ("reprompt", "outputSpeech")):
        node: Any = response
        for key in path:
            node = (node or {}).get(key)
        ssml = (node or {}).get("ssml")
        if ssml is None:
            continue
        for element in parse(ssml).iter():
            assert tag_name(element) in SUPPORTED_TAGS
            assert tag_name(element) != "audio", ssml
            assert not any(EVIL_HOST in value for value in element.attrib.values()), ssml
            assert not any("\n" in value for value in element.attrib.values()), ssml


@FUZZ
@given(envelope=envelopes())
def test_lambda_handler_answers_everything(envelope: dict[str, Any]) -> None:
    answer = lambda_handler.handler(copy.deepcopy(envelope))
    json.dumps(answer)  # what the Lambda runtime must be able to send back
    check_answer(answer)


@pytest.fixture(scope="module")
def web_client() -> Any:
    return create_app(Settings(verify_signatures=False, db="none")).test_client()


@FUZZ
@given(envelope=envelopes())
def test_web_endpoint_answers_everything(web_client: Any, envelope: dict[str, Any]) -> None:
    body = json.dumps(envelope)  # Python's JSON: NaN and Infinity included, as a forger may
    response = web_client.post("/alexa", data=body, content_type="application/json")
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code == 200:
        check_answer(response.get_json())


@pytest.fixture(scope="module")
def remembering_skill(tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = SQLiteAdapter(tmp_path_factory.mktemp("fuzz") / "coach.sqlite3")
    return build_skill(Settings(), persistence_adapter=store)


@FUZZ
@given(envelope=envelopes())
def test_a_skill_with_memory_answers_everything(
    remembering_skill: Any, envelope: dict[str, Any]
) -> None:
    """The memory paths too (log, count, forget, resume), on a real SQLite file."""
    answer = lambda_handler.invoke(remembering_skill, copy.deepcopy(envelope))
    check_answer(answer)
