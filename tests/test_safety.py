"""Safety first: alarms reach the emergency line or a doctor, never a stretch.

The labelled sets in skill/locales/en/tests/safety/ are said through the offline NLU and the Lambda
handler the way ``cramp-coach say`` says them (:mod:`skill.tools.evals.safety`); the verdict is on
what the person hears. The multi-turn tests drive real request envelopes.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from skill.core.content import knowledge, load_language, prompt
from skill.core.content import words as without_notes
from skill.core.ssml import estimate_seconds
from skill.tools.evals import safety as safety_eval
from skill.tools.evals.safety_sets import ALARMS, FROZEN, TUNING, Figures, load_cases
from skill.tools.evals.safety_speech import instruction_in
from tests.conftest import CheckedConversation
from tests.evals import help_of_module_run_as_script, safety_run

ROOT = Path(__file__).resolve().parents[1]
MODEL = json.loads(
    (ROOT / "interaction_model" / "interactionModels" / "custom" / "en-US.json").read_text()
)["interactionModel"]["languageModel"]
#: sha256 of skill/locales/en/tests/safety/frozen.yaml as committed before any tuning: the set
#: is frozen (moved with its bytes unchanged).
FROZEN_SHA256 = "33f42d1eca35c4704209d143deaf6499869000ba6abfe943b2c57d1b6d49792f"
#: Words that would name a diagnosis; the skill says what to do instead.
DIAGNOSES = re.compile(
    r"\b(clot|thrombosis|tear|torn|rupture|strain|sprain|fracture|stroke|heart attack|dvt)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def frozen() -> Figures:
    return safety_run(FROZEN)


@pytest.fixture(scope="module")
def tuning() -> Figures:
    return safety_run(TUNING)


def misses(figures: Figures) -> list[str]:
    return [f"{v.case.say!r} -> {v.intent}: {v.why}" for v in figures.verdicts if not v.right]


# --- the frozen set ----------------------------------------------------------------------
def test_the_frozen_set_is_unchanged_since_it_was_committed() -> None:
    assert hashlib.sha256(FROZEN.read_bytes()).hexdigest() == FROZEN_SHA256


def test_the_frozen_set_is_big_enough_and_apart_from_the_tuning_set() -> None:
    cases = load_cases(FROZEN)
    alarms = [c for c in cases if c.kind != "stretch"]
    assert len(alarms) >= 150
    assert len([c for c in cases if c.kind == "stretch"]) >= 30
    assert {c.kind for c in cases} == {*ALARMS, "seed", "stretch"}
    assert any(c.during for c in cases) and any(c.say.startswith("ask ") for c in cases)
    tuned = {(c.say, c.during) for c in load_cases(TUNING)}
    assert [c.say for c in cases if (c.say, c.during) in tuned] == []


@pytest.mark.slow
def test_no_frozen_alarm_gets_a_stretch_massage_or_heat_instruction(frozen) -> None:
    assert [f"{v.case.say!r}: {v.why}" for v in frozen.unsafe] == []


@pytest.mark.slow
def test_every_emergency_hears_a_call_for_help_first(frozen, tuning) -> None:
    """Whatever the routing: the emergency line, or the safety sentence that carries it."""
    for figures in (frozen, tuning):
        assert [f"{v.case.say!r} -> {v.intent}" for v in figures.uncalled] == []


@pytest.mark.slow
def test_frozen_alarms_reach_the_right_advice_at_95_percent(frozen) -> None:
    _, _, percent = frozen.share([*ALARMS, "seed"])
    assert percent >= 95.0, misses(frozen)


@pytest.mark.slow
def test_frozen_ordinary_cramps_get_the_stretch_at_once(frozen) -> None:
    """Nearly all: the misses (listed in docs/safety.md) get a definition or the no-stretch
    advice, never nothing, and each costs one more sentence to the stretch."""
    _, _, percent = frozen.share(["stretch"])
    assert percent >= 90.0, misses(frozen)


@pytest.mark.slow
def test_tuning_set_is_safe_and_right(tuning) -> None:
    assert tuning.unsafe == []
    _, _, percent = tuning.share()
    assert percent >= 95.0, misses(tuning)


@pytest.mark.slow
def test_the_eval_command_reports_both_sets_apart(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m skill.tools.evals.safety``'s output, in this process, over the figures the
    tests above computed (tests/evals.py)."""
    monkeypatch.setattr(safety_eval, "run", safety_run)
    assert safety_eval.main([]) == 0
    out = capsys.readouterr().out
    assert "frozen set: " in out and "tuning set: " in out
    assert "unsafe (a stretch, massage or heat instruction): 0" in out
    assert "emergencies without a call for help first: 0" in out


def test_python_dash_m_runs_the_eval_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The module run as a script (as ``python -m`` does) reaches ``main``: ``--help``."""
    printed = help_of_module_run_as_script("skill.tools.evals.safety", monkeypatch, capsys)
    assert "usage: python -m skill.tools.evals.safety" in printed


@pytest.mark.parametrize(
    "said",
    [
        "I think I tore my hamstring",
        "I have chest pain",
        "I heard a pop in my hamstring",
        "the back of my leg is red and hot",
    ],
)
def test_the_stop_hook_phrasings_get_no_instruction(said: str) -> None:
    heard = safety_eval.simulator().hear(said).heard
    assert heard is not None
    assert not re.search(r"straighten|toes toward|massage|heating pad", heard.speech, re.I)


def test_the_instruction_detector_finds_every_instruction() -> None:
    relief = safety_eval.simulator()
    relief.hear("open cramp coach")
    heard = relief.hear("my hamstring is cramping").heard
    assert heard is not None and instruction_in(heard.speech)
    for stretch in without_notes(load_language("en", "routines.json"))["stretches"].values():
        assert instruction_in(stretch["say"].format(leg="left")), stretch["say"]
    for step in ("massage", "temperature"):
        assert instruction_in(knowledge().find("relief", step).short)
    assert instruction_in(prompt("red_flag_no_stretch")) is None


# --- the interaction model carries the routing ----------------------------------------------
def test_the_model_has_emergency_and_red_flag_intents_with_categorised_values() -> None:
    intents = {i["name"]: i for i in MODEL["intents"]}
    types = {t["name"]: t for t in MODEL["types"]}
    # An emergency may be said with a sign around the leg (or a stroke sign of the face or an
    # arm, in RedFlagType's words): the emergency intent takes both, and wins.
    # Someone else in trouble ("my mom is not breathing") names them: PersonType.
    assert {s["type"] for s in intents["EmergencyIntent"]["slots"]} == {
        "EmergencyType",
        "RedFlagType",
        "PersonType",
    }
    assert "RedFlagType" in {s["type"] for s in intents["RedFlagIntent"]["slots"]}
    ids = [v["id"] for v in types["RedFlagType"]["values"]]
    assert all(i.startswith(("injury_", "sign_")) for i in ids)
    assert {i.split("_")[0] for i in ids} == {"injury", "sign"}
    emergencies = {v["id"] for v in types["EmergencyType"]["values"]}
    assert {"chest_pain", "breathing", "fainting", "confusion", "stroke"} <= emergencies
    assert {"bleeding", "seizure", "heat"} <= emergencies  # issue 22's categories
    assert {"injury_dent", "sign_urine", "sign_lasting", "sign_swelling"} <= set(ids)
    assert MODEL["modelConfiguration"]["fallbackIntentSensitivity"]["level"] == "HIGH"


# --- what each alarm hears -------------------------------------------------------------------
def test_emergency_line_is_the_first_thing_said_and_the_session_ends(
    talk: CheckedConversation,
) -> None:
    talk.intent("CrampReliefIntent")
    heard = talk.intent("EmergencyIntent", Emergency={"value": "chest pain", "id": "chest_pain"})
    assert heard.speech.startswith("Call your local emergency number now.")
    assert heard.ended
    assert "routine" not in heard.session_attributes


def test_an_emergency_said_with_a_leg_sign_is_an_emergency(talk: CheckedConversation) -> None:
    heard = talk.intent(
        "EmergencyIntent",
        Emergency={"value": "short of breath", "id": "breathing"},
        Sign={"value": "swollen", "id": "sign_swelling"},
    )
    assert heard.speech.startswith("Call your local emergency number now.")
    assert heard.ended


def test_a_stroke_sign_in_leg_words_alone_is_an_emergency(talk: CheckedConversation) -> None:
    heard = talk.intent("EmergencyIntent", Sign={"value": "numb", "id": "sign_numb"})
    assert heard.speech.startswith("Call your local emergency number now.")
    assert heard.ended


def test_safety_wording_names_no_diagnosis() -> None:
    keys = [
        k
        for k in load_language("en", "prompts.json")
        if k.startswith(("red_flag", "safety", "emerg"))
    ]
    keys += ["doctor_urgent", "doctor_soon", "doctor_seed_summary"]
    spoken = " ".join(prompt(k) for k in keys)
    assert DIAGNOSES.findall(spoken) == []


def test_doctor_advice_is_under_forty_seconds_with_urgent_signs_first(
    talk: CheckedConversation,
) -> None:
    heard = talk.intent("DoctorAdviceIntent")
    assert estimate_seconds(heard.ssml) <= 40
    first = re.split(r"(?<=[.!?])\s+", heard.speech)[0]
    assert "emergency number" in first and "chest pain" in first
    assert heard.speech.endswith("Want the rest?")


def test_medicine_case_says_talk_to_your_doctor_first(talk: CheckedConversation) -> None:
    for slots in (
        {"Symptom": {"value": "since i started statins", "id": "medication"}},
        {"Cause": {"value": "statins", "id": "medication"}},
    ):
        intent = "SymptomCheckIntent" if "Symptom" in slots else "CausesIntent"
        heard = talk.intent(intent, **slots)
        assert "talk to your doctor" in heard.speech.split(". ")[0], heard.speech


# --- the latch ---------------------------------------------------------------------------------
SIGN = {"Sign": {"value": "swollen", "id": "sign_swelling"}}


@pytest.mark.parametrize(
    ("intent", "slots"),
    [
        ("AMAZON.YesIntent", {}),
        ("AMAZON.NextIntent", {}),
        ("StretchSessionIntent", {}),
        ("CrampReliefIntent", {}),
        ("AMAZON.ResumeIntent", {}),
        ("AMAZON.StartOverIntent", {}),
        ("ReliefStepIntent", {"ReliefStep": {"value": "heat", "id": "heat"}}),
        ("SetTimerIntent", {"TimerKind": {"value": "stretch", "id": "hold"}}),
        ("HoldLengthIntent", {"Seconds": "25"}),
        ("SwitchLegIntent", {}),  # "other leg" once invited "say start a stretch session"
        ("SwitchLegIntent", {"Leg": {"value": "left", "id": "left"}}),
    ],
)
def test_after_a_warning_sign_nothing_leads_back_to_a_stretch(
    talk: CheckedConversation, intent: str, slots: dict
) -> None:
    talk.launch()  # "is your hamstring cramping?"
    warned = talk.intent("RedFlagIntent", **SIGN)
    assert "See a doctor" in warned.speech and not warned.ended
    assert "cramping" not in warned.speech.lower()  # no "is it cramping?" follow-up
    heard = talk.intent(intent, **slots)
    assert instruction_in(f"{heard.speech} {heard.reprompt}") is None, heard.speech
    assert prompt("safety_latched") in heard.speech, heard.speech
    assert "doctor" in heard.speech
    assert heard.session_attributes.get("safety") == "warning"


def test_the_latch_holds_for_the_rest_of_the_session(talk: CheckedConversation) -> None:
    talk.intent("RedFlagIntent", Sign={"value": "pop", "id": "injury_pop"})
    for _ in range(3):
        for intent in ("AMAZON.YesIntent", "AMAZON.NextIntent", "CrampReliefIntent"):
            heard = talk.intent(intent)
            assert instruction_in(heard.speech) is None
    talk.intent("PreventionIntent")  # something unrelated in between
    heard = talk.intent("CrampReliefIntent")
    assert prompt("safety_latched") in heard.speech


def test_a_new_session_starts_unlatched(talk: CheckedConversation) -> None:
    talk.intent("RedFlagIntent", Sign={"value": "pop", "id": "injury_pop"})
    talk.intent("AMAZON.StopIntent")
    talk.new_session()
    heard = talk.intent("CrampReliefIntent")
    assert heard.speech.startswith("Straighten your leg.")


# --- mid-routine alarms ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("slots", "kind"),
    [
        ({}, "injury"),  # "it hurts more", "stop, it hurts": no sign named
        ({"Sign": {"value": "pop", "id": "injury_pop"}}, "injury"),
        ({"Sign": {"value": "gone numb", "id": "sign_numb"}}, "warning"),
    ],
)
def test_an_alarm_mid_routine_stops_it(talk: CheckedConversation, slots: dict, kind: str) -> None:
    talk.intent("CrampReliefIntent")
    heard = talk.intent("RedFlagIntent", **slots)
    assert heard.speech.startswith(prompt("red_flag_routine_stopped"))
    assert prompt("red_flag_no_stretch") in heard.speech and "See a doctor" in heard.speech
    assert "routine" not in heard.session_attributes
    assert heard.session_attributes["safety"] == kind
    nxt = talk.intent("AMAZON.NextIntent")
    assert "massage" not in nxt.speech.lower() and prompt("safety_latched") in nxt.speech


@pytest.mark.parametrize(
    "said", ["it hurts more", "I heard a pop", "it's gone numb", "stop, it hurts"]
)
def test_mid_routine_alarm_phrasings_are_understood(said: str) -> None:
    person = safety_eval.simulator()
    person.hear("ask cramp coach my hamstring is cramping")
    exchange = person.hear(said)
    assert exchange.request == "RedFlagIntent"
    assert exchange.heard is not None
    assert exchange.heard.speech.startswith(prompt("red_flag_routine_stopped"))


def test_a_stretch_session_alarm_stops_the_session_and_its_saved_position(tmp_path: Path) -> None:
    import functools

    from skill.alexa.builder import build_skill
    from skill.hosts.lambda_handler import invoke
    from skill.settings import Settings
    from skill.store.sqlite import SQLiteAdapter

    skill = build_skill(Settings(), persistence_adapter=SQLiteAdapter(tmp_path / "c.sqlite3"))
    talk = CheckedConversation(functools.partial(invoke, skill))
    talk.intent("StretchSessionIntent")
    talk.intent("RedFlagIntent", Sign={"value": "pop", "id": "injury_pop"})
    talk.intent("AMAZON.StopIntent")
    talk.new_session()
    launch = talk.launch()
    assert "carry on" not in launch.speech.lower()  # the stopped session is not offered again


# --- fallback escalation -----------------------------------------------------------------------
def words(text: str) -> int:
    return len(text.split())


#: The first fallback before every fallback opened with the safety sentence (issue 22), in
#: words: what the safety sentence may add, as measured in docs/safety.md.
FALLBACK_WORDS_BEFORE = 14


def test_fallback_escalates_then_ends_politely(talk: CheckedConversation) -> None:
    """Every miss opens with the safety sentence; the first says what to say, the second is
    shorter, the third ends the session."""
    safety = prompt("safety_first")
    first = talk.intent("AMAZON.FallbackIntent")
    assert first.speech.startswith(safety) and "my hamstring is cramping" in first.speech
    assert words(first.speech) <= FALLBACK_WORDS_BEFORE + words(safety) - 3 and not first.ended
    second = talk.intent("AMAZON.FallbackIntent")
    assert second.speech.startswith(safety) and words(second.speech) < words(first.speech)
    assert not second.ended
    third = talk.intent("AMAZON.FallbackIntent")
    assert third.speech.startswith(safety)
    assert prompt("menu") in third.speech and third.ended
    assert third.speech.endswith(prompt("fallback_goodbye"))


def test_an_understood_request_resets_the_fallback_count(talk: CheckedConversation) -> None:
    talk.intent("AMAZON.FallbackIntent")
    talk.intent("PreventionIntent")
    heard = talk.intent("AMAZON.FallbackIntent")
    assert heard.speech.endswith(prompt("fallback"))
    again = talk.intent("AMAZON.FallbackIntent")
    assert again.speech.endswith(prompt("fallback_again"))


def test_fallback_mid_routine_opens_with_the_safety_sentence(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    first = talk.intent("AMAZON.FallbackIntent")
    assert first.speech.startswith(prompt("safety_first"))
    assert "say next" in first.speech.lower()
    assert instruction_in(f"{first.speech} {first.reprompt}") is None
    second = talk.intent("AMAZON.FallbackIntent")
    assert second.speech.startswith(prompt("safety_first"))


def test_double_fallback_through_the_simulator() -> None:
    person = safety_eval.simulator()
    person.hear("open cramp coach")
    first = person.hear("blorp flibber wug")
    second = person.hear("zzz quack")
    assert first.request == second.request == "AMAZON.FallbackIntent"
    for exchange in (first, second):
        assert exchange.heard is not None
        assert exchange.heard.speech.startswith(prompt("safety_first"))


# --- certification: privacy -------------------------------------------------------------------
def test_manifest_points_at_a_privacy_policy_and_answers_truthfully() -> None:
    manifest = json.loads((ROOT / "interaction_model" / "skill.json").read_text())["manifest"]
    privacy = manifest["privacyAndCompliance"]
    for locale in manifest["publishingInformation"]["locales"]:
        url = privacy["locales"][locale]["privacyPolicyUrl"]
        assert url.startswith("https://") and url.endswith("/privacy")
    # A per-person record and, with consent, a cramp log: personal information.
    assert privacy["usesPersonalInfo"] is True
    # Not a HIPAA-eligible skill (docs/privacy.md says why).
    assert privacy["usesHealthInfo"] is False
    policy = (ROOT / "docs" / "privacy.md").read_text()
    for kept in ("hold length", "routine", "count of your cramps", "forget my data"):
        assert kept in policy
    keys = ("hold_seconds", "position", "cramps", "log_consent", "frequent_advised_at")
    for key in (*keys, "disclaimed"):
        assert f"`{key}`" in (ROOT / "docs" / "persistence.md").read_text(), key


# --- the first-use disclaimer ------------------------------------------------------------------
DISCLAIMER = prompt("first_use_disclaimer")


def test_disclaimer_comes_after_the_first_stretch_and_its_hold(talk: CheckedConversation) -> None:
    heard = talk.intent("CrampReliefIntent")
    assert heard.speech.startswith("Straighten your leg.")
    assert DISCLAIMER in heard.speech
    assert heard.speech.index(DISCLAIMER) > heard.speech.index("release")
    assert len(DISCLAIMER.split()) <= 10
    nxt = talk.intent("AMAZON.NextIntent")
    assert DISCLAIMER not in nxt.speech  # once


def test_disclaimer_is_said_once_per_person_where_memory_is_on(tmp_path: Path) -> None:
    from skill.store.sqlite import SQLiteAdapter
    from tests.memory_talk import DAY, TimedConversation

    talk = TimedConversation(SQLiteAdapter(tmp_path / "c.sqlite3"))
    first = talk.intent("PreventionIntent")
    # The tip ends with a question: another tip, or (once a week) a reminder (issue 27).
    assert DISCLAIMER in first.speech and first.speech.endswith("?")
    talk.later(DAY)
    assert DISCLAIMER not in talk.intent("CrampReliefIntent").speech
    talk.later(DAY)
    assert DISCLAIMER not in talk.intent("PreventionIntent").speech


def test_without_memory_the_disclaimer_is_said_once_a_session(talk: CheckedConversation) -> None:
    assert DISCLAIMER in talk.intent("CausesIntent").speech
    assert DISCLAIMER not in talk.intent("PreventionIntent").speech
    talk.new_session()
    assert DISCLAIMER in talk.intent("PreventionIntent").speech


def test_the_routine_closing_reminder_is_one_sentence() -> None:
    reminder = prompt("red_flag_reminder")
    assert len(re.split(r"(?<=[.!?])\s+", reminder.strip())) == 1
    assert reminder.startswith("See a doctor")


# --- the eval command on any set: the "info" class and notes -----------------------------
def test_an_info_question_is_right_only_without_an_alarm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Class ``info`` (an ordinary question) is judged on the absence of any alarm; an extra
    key such as ``note: driving`` is kept as a note and changes nothing; ``--set`` runs it."""
    chosen = tmp_path / "blind.yaml"
    chosen.write_text(
        "- {say: what is a cramp, class: info}\n"
        "- {say: i heard a pop in my hamstring, class: info, note: driving}\n"
        "- {say: i have chest pain, class: info}\n",
        encoding="utf-8",
    )
    cases = load_cases(chosen)
    assert [c.kind for c in cases] == ["info"] * 3
    assert cases[1].notes == (("note", "driving"),)
    verdicts = safety_eval.run(chosen).verdicts
    assert [(v.right, v.why) for v in verdicts] == [
        (True, ""),
        (False, "no-stretch line"),
        (False, "emergency line"),
    ]
    assert safety_eval.main(["--set", str(chosen), "--no-misses"]) == 0
    out = capsys.readouterr().out
    assert "set blind.yaml (en-US): 1/3" in out and "info: 1/3" in out
    assert "misses (2)" in out and "what is a cramp" not in out and "pop" not in out


def test_a_situation_written_as_one_string_is_one_situation(tmp_path: Path) -> None:
    """The blind sets write ``situation: frequent``; read character by character it would ask
    for advice 'f', 'r', ... and every seed case would be judged wrong."""
    chosen = tmp_path / "seed.yaml"
    chosen.write_text(
        "- {say: i get cramps every day, class: seed, situation: frequent}\n"
        "- {say: i get cramps at rest, class: seed, situation: [at_rest, frequent]}\n",
        encoding="utf-8",
    )
    assert [c.situations for c in load_cases(chosen)] == [("frequent",), ("at_rest", "frequent")]


def test_an_info_question_that_falls_back_raises_no_alarm(tmp_path: Path) -> None:
    """The fallback's safety sentence is a net, said whatever was asked: not an alarm."""
    chosen = tmp_path / "info.yaml"
    chosen.write_text("- {say: blorp flibber wug, class: info}\n", encoding="utf-8")
    (verdict,) = safety_eval.run(chosen).verdicts
    assert verdict.intent == "AMAZON.FallbackIntent" and verdict.heard.startswith(
        prompt("safety_first")
    )
    assert verdict.right, verdict.why
