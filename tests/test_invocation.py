"""The ways people address the skill, as Alexa routes them."""

from __future__ import annotations

import pytest

from skill.tools.simulator.invocation import Addressed, address


@pytest.mark.parametrize(
    "said",
    [
        "open cramp coach",
        "Alexa, open Cramp Coach",
        "alexa launch cramp coach",
        "start cramp coach",
        "ask cramp coach",
        "talk to cramp coach",
        "hey alexa open cramp coach please",
    ],
)
def test_launch_forms(said: str) -> None:
    assert address(said) == Addressed("launch", new_session=True)


@pytest.mark.parametrize(
    ("said", "rest"),
    [
        ("ask cramp coach to start a stretch session", "start a stretch session"),
        ("Alexa, tell cramp coach my hamstring is cramping", "my hamstring is cramping"),
        ("tell cramp coach that my leg is cramping", "my leg is cramping"),
        ("ask cramp coach what causes cramps", "what causes cramps"),
        ("ask cramp coach about the causes", "the causes"),
        ("ask cramp coach for a tip", "a tip"),
        ("open cramp coach and start a stretch session", "start a stretch session"),
        ("start a warm-up with cramp coach", "start a warm-up"),
    ],
)
def test_one_shot_forms_open_a_new_session(said: str, rest: str) -> None:
    assert address(said) == Addressed("intent", rest, new_session=True)


def test_without_the_name_the_words_go_to_the_open_session() -> None:
    assert address("Alexa, next") == Addressed("intent", "next")
    assert address("my hamstring is cramping") == Addressed("intent", "my hamstring is cramping")


@pytest.mark.parametrize("said", ["exit", "Alexa, exit", "exit the skill"])
def test_exit_ends_the_session(said: str) -> None:
    assert address(said).kind == "exit"
