"""Work only for what the device can use (#26 item 4), through real envelopes.

A voice-only device gets no screen, so no screen data may be built for it; a hold the APLA
countdown carries is never also rendered as a spoken countdown. Each test answers a real
request envelope through the Lambda entry point and checks the response envelope, and counts
what was built on the way (a spy on the one function that builds each form).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from skill.alexa import presentation
from skill.core import holds, screens, ssml
from skill.hosts import lambda_handler
from skill.tools.simulator.envelopes import EnvelopeFactory

APL = "Alexa.Presentation.APL.RenderDocument"
APLA = "Alexa.Presentation.APLA.RenderDocument"


def _spy(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _relief(screen: bool) -> dict[str, Any]:
    return lambda_handler.handler(EnvelopeFactory(screen=screen).intent("CrampReliefIntent"))


def _types(answer: dict[str, Any]) -> list[str]:
    return [d["type"] for d in answer["response"].get("directives", [])]


def test_the_voice_only_relief_turn_builds_no_screen_and_speaks_no_countdown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    step_screens = _spy(monkeypatch, screens, "step_screen")
    spoken = _spy(monkeypatch, holds, "spoken_countdown")
    answer = _relief(screen=False)
    said = ssml.plain_text(answer["response"]["outputSpeech"]["ssml"])
    assert "Straighten your leg" in said
    # The hold is the APLA document's, and only there.
    assert _types(answer) == [APLA]
    hold = answer["response"]["directives"][0]["datasources"]["hold"]
    assert hold["items"][0]["ssml"] == "<speak><s>Hold it, gently.</s></speak>"
    assert "Hold it" not in said and "seconds left" not in said
    assert "<p>" not in answer["response"]["outputSpeech"]["ssml"]
    # Nothing built for the screen the device lacks, nor a spoken countdown never sent.
    assert "screen" not in json.dumps(answer).lower()
    assert step_screens == [] and spoken == []


def test_a_screen_device_still_gets_its_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    step_screens = _spy(monkeypatch, screens, "step_screen")
    answer = _relief(screen=True)
    assert _types(answer) == [APL, APLA]
    shown = answer["response"]["directives"][0]["datasources"]["coach"]["properties"]
    assert shown["hold"]["seconds"] == 30 and shown["instruction"].startswith("Straighten")
    assert len(step_screens) == 1


def test_the_spoken_countdown_is_rendered_when_it_is_what_is_heard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The operator's spoken countdown (no APLA): rendered once, and in the speech."""
    monkeypatch.setenv("CRAMP_COACH_HOLD_AUDIO", "ssml")
    spoken = _spy(monkeypatch, holds, "spoken_countdown")
    from skill.alexa.builder import build_skill
    from skill.settings import Settings

    skill = build_skill(Settings.from_env())
    answer = lambda_handler.invoke(skill, EnvelopeFactory().intent("CrampReliefIntent"))
    assert APLA not in _types(answer)
    assert "Hold it, gently" in ssml.plain_text(answer["response"]["outputSpeech"]["ssml"])
    assert len(spoken) == 1


def test_the_apla_document_is_sent_compact() -> None:
    """The hold document goes without its file's own description, and is small."""
    sent = _relief(screen=False)["response"]["directives"][0]["document"]
    assert "description" not in sent
    assert sent["mainTemplate"] == presentation.hold_document()["mainTemplate"]
    assert len(json.dumps(sent, separators=(",", ":"))) < 1200


def test_the_voice_only_launch_builds_no_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    launches = _spy(monkeypatch, screens, "launch_screen")
    buttons = _spy(monkeypatch, screens, "with_yes_no")
    answer = lambda_handler.handler(EnvelopeFactory().launch())
    assert answer["response"]["shouldEndSession"] is False  # it asks whether it is cramping
    assert _types(answer) == [] and launches == [] and buttons == []
    shown = lambda_handler.handler(EnvelopeFactory(screen=True).launch())
    assert _types(shown) == [APL] and len(launches) == 1 and len(buttons) == 1
