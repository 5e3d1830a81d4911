"""``cramp-coach chat --device show``: one line per screen, and touches on its buttons."""

from __future__ import annotations

import io

import pytest

from skill.hosts import lambda_handler
from skill.tools import cli
from skill.tools.simulator import chat
from skill.tools.simulator.conversation import Conversation
from skill.tools.simulator.device import Simulator
from skill.tools.simulator.envelopes import EnvelopeFactory


def transcript(lines: list[str], screen: bool = True) -> str:
    simulator = Simulator(Conversation(lambda_handler.handler, EnvelopeFactory(screen=screen)))
    out = io.StringIO()
    chat.run(simulator, lines, out, chat.Options(echo=True, show_intents=True))
    return out.getvalue()


def test_each_screen_is_one_line_and_buttons_can_be_tapped() -> None:
    out = transcript(["my left hamstring is cramping", "tap Other leg", "tap next", "tap stop"])
    screens = [line for line in out.splitlines() if line.startswith(chat.SCREEN)]
    assert screens == [
        "screen> Step 1 of 5 | Gently stretch | Left leg | picture: seated | 30 s countdown"
        " | buttons: Next, Repeat, Other leg, Pause, Longer, Shorter, Stop",
        "screen> Step 1 of 5 | Gently stretch | Right leg | picture: seated | 30 s countdown"
        " | buttons: Next, Repeat, Other leg, Pause, Longer, Shorter, Stop",
        # A step with no leg shows none, and no "Other leg" (issue 23).
        "screen> Step 2 of 5 | Massage | buttons: Next, Repeat, Stop",
    ]
    assert "[UserEvent other_leg relief:0]" in out and "[UserEvent next relief:0]" in out
    assert out.rstrip().endswith("(session ended)")


def test_a_button_that_is_not_there_is_said_so_and_nothing_is_sent() -> None:
    out = transcript(["when should i see a doctor", "tap next", "tap dance"])
    # One line per see-a-doctor situation of the seed (knowledge.json doctor items).
    assert "screen> When to see a doctor | 6 lines | If you think it is an emergency" in out
    assert "(no 'next' button on the screen: Yes, No)" in out
    assert "(no 'dance' button on the screen: Yes, No)" in out


def test_a_speaker_shows_no_screen() -> None:
    out = transcript(["my left hamstring is cramping", "tap next"], screen=False)
    assert chat.SCREEN not in out
    assert "(no 'next' button on the screen)" in out


def test_the_command_line_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli.main(["say", "--device", "show", "--no-alexa-api", "ask cramp coach for a stretch"])
        == 0
    )
    assert (
        "screen> Step 1 of 6 | Standing stretch | Right leg | picture: standing | 30 s countdown"
        in capsys.readouterr().out
    )
    assert cli.main(["say", "ask cramp coach for a stretch"]) == 0
    assert "screen>" not in capsys.readouterr().out


def test_the_launch_screen_and_yes_no_buttons_can_be_tapped() -> None:
    """Issue 23: the launch screen's three buttons, and Yes and No when the voice asks."""
    out = transcript(["open cramp coach", "tap stretch session", "tap longer", "stop"])
    assert (
        "screen> Cramp Coach | 1 lines | buttons: I have a cramp, Stretch session, "
        "When to see a doctor" in out
    )
    assert "[UserEvent session" in out and "Okay, 35 second holds" not in out
    assert "I can do holds from twenty to thirty seconds" in out
    tips = transcript(["give me a tip", "tap yes"])
    assert "buttons: Yes, No" in tips and "[UserEvent yes" in tips
