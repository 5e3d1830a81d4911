"""The local language understanding: the stages, slots and the fallback."""

from __future__ import annotations

import pytest

from skill.tools.nlu.embedding import load
from skill.tools.nlu.model import (
    FALLBACK,
    MEANING_THRESHOLD,
    THRESHOLD,
    Model,
    normalise,
    understand,
)
from skill.tools.nlu.overlap import drop_fillers, stem, words


def test_a_sample_matches_exactly_with_its_custom_slot_id() -> None:
    heard = understand("I have a cramp in my left-side leg!")
    assert heard.intent == "CrampReliefIntent"
    assert heard.stage == "exact"
    assert heard.slots == {"Leg": {"value": "left-side", "id": "left"}}


def test_number_and_duration_slots_are_sent_as_alexa_sends_them() -> None:
    assert understand("make the holds twenty five seconds").slots == {"Seconds": "25"}
    assert understand("hold for an hour and a half").slots == {"Duration": "PT1H30M"}
    assert understand("hold each stretch for two minutes").slots == {"Duration": "PT2M"}


def test_a_slot_word_that_is_not_a_value_does_not_match_the_slot_sample() -> None:
    heard = understand("tell me about hamstring cramps")
    assert heard.intent == "AboutCrampsIntent"


def test_other_slots_of_the_intent_are_filled_from_the_words() -> None:
    heard = understand("start a stretch session on my right leg")
    assert heard.slots["SessionKind"]["id"] == "stretch"
    assert heard.slots["Leg"]["id"] == "right"


def test_fillers_are_ignored() -> None:
    heard = understand("um alexa uh my left hamstring is cramping please")
    assert (heard.intent, heard.stage) == ("CrampReliefIntent", "fillers")
    assert heard.slots["Leg"]["id"] == "left"
    assert understand("okay stop now").intent == "AMAZON.StopIntent"
    assert understand("oh no cramp").intent == "CrampReliefIntent"


def test_built_in_phrasings() -> None:
    assert understand("yes please").intent == "AMAZON.YesIntent"
    assert understand("never mind").intent == "AMAZON.CancelIntent"
    assert understand("start over").intent == "AMAZON.StartOverIntent"
    assert understand("hang on").intent == "AMAZON.PauseIntent"


def test_a_custom_sample_wins_over_a_built_in_phrase() -> None:
    """The shipped model has no such sample now ("keep going" became a ResumeIntent sample
    in issue 23), so a small model shows the rule: "carry on" is a built-in Resume phrase."""
    model = Model(
        {
            "interactionModel": {
                "languageModel": {
                    "invocationName": "cramp coach",
                    "intents": [
                        {"name": "TellMeMoreIntent", "samples": ["carry on"]},
                        {"name": "AMAZON.ResumeIntent", "samples": []},
                    ],
                    "types": [],
                }
            }
        }
    )
    assert model.understand("carry on").intent == "TellMeMoreIntent"
    assert understand("keep going").intent == "AMAZON.ResumeIntent"


def test_a_question_is_never_heard_as_stop() -> None:
    """ "Enough" is a Stop phrase; a question that contains it is not (issue 23)."""
    assert understand("enough").intent == "AMAZON.StopIntent"
    for question in ("is water enough", "is that enough stretching", "why does it stop"):
        assert understand(question).intent not in ("AMAZON.StopIntent", "AMAZON.CancelIntent")


#: The third stage: meaning (word overlap blended with similarity) with numpy, else overlap.
STAGE_3, LOWEST = ("meaning", MEANING_THRESHOLD) if load() else ("overlap", THRESHOLD)


def test_paraphrase_resolves_by_the_third_stage_and_says_which_sample() -> None:
    heard = understand("ow my hammy is seizing up right now")
    assert heard.intent == "CrampReliefIntent"
    assert heard.stage == STAGE_3 and heard.score >= LOWEST
    assert heard.sample
    assert "Leg" not in heard.slots  # "right now" is not the right leg


def test_overlap_fills_slots_of_the_chosen_intent() -> None:
    heard = understand("could it be my statins")
    assert heard.intent == "CausesIntent"
    assert heard.slots == {"Cause": {"value": "statins", "id": "medication"}}


@pytest.mark.parametrize("said", ["", "um", "play some jazz", "what's the capital of peru"])
def test_anything_else_falls_back(said: str) -> None:
    heard = understand(said)
    assert heard.intent == FALLBACK and heard.stage == "fallback"
    assert heard.score < LOWEST


def test_normalise_keeps_apostrophes_and_word_hyphens() -> None:
    assert normalise("  What's   the WARM-UP? ") == "what's the warm-up"
    assert normalise("a - b") == "a b"


def test_words_expand_contractions_and_map_gym_words() -> None:
    assert words("I've got a cramp in my hammy") == [
        "i",
        "have",
        "got",
        "a",
        "cramp",
        "in",
        "my",
        "hamstring",
    ]
    assert drop_fillers("okay so um stop") == "stop"
    assert drop_fillers("okay") == "okay"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cramping", "cramp"),
        ("cramps", "cramp"),
        ("hamstrings", "hamstr"),
        ("hamstring", "hamstr"),
        ("stretches", "stretch"),
        ("worried", "worry"),
        ("legs", "leg"),
        ("is", "is"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_a_model_compiles_only_the_patterns_an_utterance_reaches() -> None:
    """Compiling every sample's pattern at start-up took most of a one-line
    ``cramp-coach say``: a pattern is compiled when an utterance first reaches it (one that
    starts with its first word, or with a slot), and matches as before."""
    import json

    from skill.tools.nlu.model import MODELS_DIR, Model

    model = Model(json.loads((MODELS_DIR / "en-US.json").read_text(encoding="utf-8")))
    patterns = [*model.exact, *model.loose]
    assert not [p for p in patterns if "regex" in vars(p)]
    heard = model.understand("my hamstring is cramping")
    assert heard.intent == "CrampReliefIntent"
    compiled = [p for p in patterns if "regex" in vars(p)]
    assert 0 < len(compiled) < len(patterns) // 4, (len(compiled), len(patterns))
    assert all(p.first in (None, "my") for p in compiled), {p.first for p in compiled}
