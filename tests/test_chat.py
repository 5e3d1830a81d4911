"""``cramp-coach chat`` and ``say``: piped input, real envelopes, in-process or over HTTP."""

from __future__ import annotations

import functools
import io
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.builder import build_skill
from skill.hosts import lambda_handler
from skill.hosts.lambda_handler import invoke
from skill.settings import Settings
from skill.store import adapter_from_settings
from skill.tools import cli
from skill.tools.commands import serve
from skill.tools.simulator.chat import Options, describe, prompted, run
from skill.tools.simulator.conversation import Conversation
from skill.tools.simulator.device import Simulator
from skill.tools.simulator.envelopes import DEFAULT_USER_ID
from skill.tools.simulator.local_server import serve_in_thread
from skill.tools.simulator.speaker import Speaker, for_espeak
from tests.conftest import AUDIO_BASE_URL

ROOT = Path(__file__).resolve().parents[1]


def cramp_coach(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would, with piped input (no TTY), in a fresh interpreter:
    for what only a real process shows (its exit status, its pipes). Everything else runs
    the same ``main`` in this process (:func:`cramp_coach_here`), without the start-up."""
    return subprocess.run(
        [sys.executable, "-m", "skill.tools.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env=env,
    )


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def cramp_coach_here(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""
) -> Done:
    """``cramp-coach ARGS`` with piped input, run by ``cli.main`` in this process: the exit
    status it would return (argparse's included), what it prints on stdout and stderr."""
    capsys.readouterr()  # only this command's output
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = cli.main(list(args))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return Done(code, out, err)


@pytest.mark.slow
def test_piped_chat_prints_the_spoken_instructions_and_exits_0() -> None:
    done = cramp_coach("chat", stdin="open cramp coach\nmy hamstring is cramping\nnext\nstop\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "you> my hamstring is cramping" in out
    assert "alexa> Straighten your leg. Slowly pull your toes toward you." in out
    assert "[pause 10s]" in out or "[pause 8.8s]" in out
    assert "And release." in out
    assert "Now massage the back of your thigh." in out
    assert "Goodbye." in out and out.rstrip().endswith("(session ended)")
    assert "hold [" not in out and "\r" not in out and "\x1b" not in out  # no live bar


def test_say_does_one_turn_for_scripts(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    done = cramp_coach_here(
        monkeypatch, capsys, "say", "Alexa, ask cramp coach when should I see a doctor"
    )
    assert done.returncode == 0, done.stderr
    assert "See a doctor" in done.stdout or "see a doctor" in done.stdout
    assert done.stdout.count("\n") == 1


class Recorder:
    """The Lambda handler, keeping every request envelope it was sent."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def __call__(self, envelope: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(envelope)
        return lambda_handler.handler(envelope)

    @property
    def types(self) -> list[str]:
        return [
            r["request"].get("intent", {}).get("name") or r["request"]["type"]
            for r in self.requests
        ]


def chat_with(simulator: Simulator, lines: list[str], **options: Any) -> str:
    out = io.StringIO()
    assert run(simulator, lines, out, Options(echo=True, **options)) == 0
    return out.getvalue()


def chat_lines(lines: list[str], recorder: Recorder, **options: Any) -> str:
    return chat_with(Simulator(Conversation(recorder)), lines, **options)


def test_real_envelopes_carry_the_session_and_a_stable_user() -> None:
    recorder = Recorder()
    chat_lines(["open cramp coach", "yes", "next"], recorder)
    first, second, third = recorder.requests[:3]
    assert recorder.types[:3] == ["LaunchRequest", "AMAZON.YesIntent", "AMAZON.NextIntent"]
    assert first["session"]["new"] is True and second["session"]["new"] is False
    assert second["session"]["sessionId"] == first["session"]["sessionId"]
    assert third["session"]["attributes"].get("routine")  # the relief routine is carried
    users = {r["session"]["user"]["userId"] for r in recorder.requests}
    assert users == {DEFAULT_USER_ID}


def test_leaving_mid_session_sends_session_ended() -> None:
    recorder = Recorder()
    out = chat_lines(["open cramp coach", "my hamstring is cramping"], recorder)
    assert recorder.types[-1] == "SessionEndedRequest"
    assert recorder.requests[-1]["request"]["reason"] == "USER_INITIATED"
    assert out.rstrip().endswith("(you left; session ended)")


def test_exit_ends_the_session_and_nothing_is_sent_after_stop() -> None:
    recorder = Recorder()
    out = chat_lines(["open cramp coach", "exit", "exit"], recorder)
    assert recorder.types == ["LaunchRequest", "SessionEndedRequest"]
    assert "(no session is open)" in out
    recorder = Recorder()
    chat_lines(["tell cramp coach my hamstring is cramping", "stop"], recorder)
    assert recorder.types == ["CrampReliefIntent", "AMAZON.StopIntent"]


def test_a_one_shot_starts_a_new_session() -> None:
    recorder = Recorder()
    chat_lines(["open cramp coach", "ask cramp coach for another tip"], recorder)
    assert recorder.types[:2] == ["LaunchRequest", "PreventionIntent"]
    assert recorder.requests[1]["session"]["new"] is True


def test_show_intents_explains_each_line() -> None:
    out = chat_lines(["ugh my left hammy is seizing up"], Recorder(), show_intents=True)
    assert "[CrampReliefIntent Leg=left · meaning " in out
    heard = Simulator(Conversation(lambda_handler.handler)).hear("open cramp coach")
    assert describe(heard) == "[LaunchRequest]"


def test_live_mode_draws_the_bar_in_simulated_time() -> None:
    slept: list[float] = []
    out = chat_lines(["my hamstring is cramping"], Recorder(), live=True, sleep=slept.append)
    assert 29.9 < sum(slept) < 30.1
    assert "hold [" in out and "released" in out
    # After the bar, the rest of the answer (the first-use disclaimer, then how to go on).
    assert "When you're ready, say next." in out.split("released")[-1]


def test_prompted_reads_until_end_of_input_or_ctrl_c() -> None:
    out = io.StringIO()
    lines = iter(["next\n", ""])
    assert list(prompted(lambda: next(lines), out)) == ["next\n"]
    assert out.getvalue() == "you> you> \n"

    def interrupted() -> str:
        raise KeyboardInterrupt

    assert list(prompted(interrupted, io.StringIO())) == []


# --- --url: a real HTTP server on 127.0.0.1 wrapping the Lambda handler --------------------
@pytest.fixture
def skill_server() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            assert self.headers["Content-Type"] == "application/json"
            answer = json.dumps(recorder(json.loads(body))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stop = serve_in_thread(server)  # stops at once, without waiting out a poll interval
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/alexa", recorder
    finally:
        stop()


def test_chat_against_a_url(
    skill_server: tuple[str, Recorder], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    url, recorder = skill_server
    monkeypatch.setattr(sys, "stdin", io.StringIO("open cramp coach\ngive me a tip\n"))
    assert cli.main(["chat", "--url", url]) == 0
    out = capsys.readouterr().out
    assert "alexa> Cramp Coach. Is your hamstring cramping" in out
    assert recorder.types == ["LaunchRequest", "PreventionIntent", "SessionEndedRequest"]


def test_say_against_a_url(skill_server: tuple[str, Recorder], capsys) -> None:
    url, recorder = skill_server
    assert cli.main(["say", "--url", url, "my hamstring is cramping"]) == 0
    assert capsys.readouterr().out.startswith("alexa> Straighten your leg.")
    assert recorder.types == ["CrampReliefIntent"]


def test_an_unreachable_url_is_reported_not_raised(capsys) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/alexa"
    assert cli.main(["say", "--url", url, "next"]) == 1
    assert f"cannot talk to {url}" in capsys.readouterr().err


# --- --speak ------------------------------------------------------------------------------
def test_speak_without_espeak_gives_a_notice_and_carries_on(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert cli.main(["say", "--speak", "give me a tip"]) == 0
    captured = capsys.readouterr()
    assert "espeak-ng is not installed" in captured.err
    assert captured.out.startswith("alexa> ")


def test_speaker_hands_espeak_the_ssml_it_can_play() -> None:
    launched: list[list[str]] = []

    class Done:
        returncode = 0

        def communicate(self) -> tuple[str, str]:
            return "", ""

    def launch(command: list[str], **kwargs: Any) -> Done:
        launched.append(command)
        return Done()

    Speaker("espeak-ng", launch).say(
        '<speak><s>Hold it.</s><break time="10s"/><audio src="https://x/a.mp3"/></speak>'
    )
    assert launched == [
        ["espeak-ng", "-m", "-s", "150", '<speak><s>Hold it.</s><break time="10s"/></speak>']
    ]
    assert for_espeak('<amazon:emotion name="x">Hi</amazon:emotion>') == "<speak>Hi</speak>"


def test_hosted_audio_shows_the_countdown_clip_and_its_length() -> None:
    skill = build_skill(Settings(audio_base_url=AUDIO_BASE_URL))
    simulator = Simulator(Conversation(functools.partial(invoke, skill)))
    out = chat_with(simulator, ["my hamstring is cramping"])
    assert "toward you. [countdown clip 30.4s] And release." in out
    live = chat_with(simulator, ["leg cramp"], live=True, sleep=lambda seconds: None)
    assert "hold [" in live and "released" in live


def test_speak_says_so_when_espeak_cannot_play(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """espeak-ng without a sound device prints ALSA errors and exits 0: say so once."""
    fake = tmp_path / "espeak-ng"
    fake.write_text(
        '#!/bin/sh\necho "ALSA lib pcm.c:2666: Unknown PCM default" >&2\n'
        'echo "error: No such file or directory" >&2\nexit 0\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    done = cramp_coach_here(
        monkeypatch, capsys, "chat", "--speak", stdin="open cramp coach\nno\nstop\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("espeak-ng could not play the answer") == 1, done.stderr
    assert "error: No such file or directory" in done.stderr
    assert "alexa> " in done.stdout  # the text goes on


def test_speaker_reports_a_failed_launch_once_and_stops_trying() -> None:
    said: list[str] = []

    def launch(command: list[str], **kwargs: Any) -> Any:
        raise OSError("No such file or directory: 'espeak-ng'")

    speaker = Speaker("espeak-ng", launch, report=said.append)
    speaker.say("<speak>One.</speak>")
    speaker.say("<speak>Two.</speak>")
    assert len(said) == 1 and "could not play" in said[0]
    assert speaker.failed


@pytest.mark.slow
def test_say_into_a_closed_pipe_exits_quietly() -> None:
    """`cramp-coach say ... | head -1`, and a reader that is gone before anything is written:
    exit 0, no BrokenPipeError traceback."""
    binary = str(Path(sys.executable).with_name("cramp-coach"))
    shell = subprocess.run(
        f"'{binary}' say 'ask cramp coach to start a stretch session' | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert shell.returncode == 0 and shell.stdout.startswith("alexa> ")
    assert "Traceback" not in shell.stderr and "BrokenPipe" not in shell.stderr
    process = subprocess.Popen(
        [binary, "say", "ask cramp coach to start a stretch session"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader leaves before the first byte is written
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors


@pytest.mark.slow
def test_chat_into_a_closed_pipe_exits_0_quietly(tmp_path: Path) -> None:
    """`cramp-coach chat ... | head -1` (issue #28): the reader leaves after one line; chat
    used to take the broken pipe for an unreachable skill ("cannot talk to None") and exit 1.
    The exit status is chat's own (PIPESTATUS), not head's."""
    binary = str(Path(sys.executable).with_name("cramp-coach"))
    lines = "open cramp coach\\nmy hamstring is cramping\\nnext\\nnext\\nstop\\n"
    shell = subprocess.run(
        [
            "bash",
            "-c",
            f"printf '{lines}' | '{binary}' chat | head -1; "
            'echo "chat exit ${PIPESTATUS[1]}" >&2',
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "CRAMP_COACH_DB": str(tmp_path / "memory.sqlite3")},
    )
    assert shell.stdout.count("\n") == 1 and shell.stdout.startswith("you> open cramp coach")
    assert shell.stderr == "chat exit 0\n", shell.stderr


def test_the_simulator_remembers_per_locale_and_new_user_is_a_stranger(
    monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path
) -> None:
    """A routine left in English is offered back in English only: Spanish, and a run with
    ``--new-user``, start fresh (issue #28: after the README demo every launch, even in
    Spanish, opened with "Welcome back")."""
    settings = Settings(db=str(tmp_path / "memory.sqlite3"))
    skill = build_skill(settings, persistence_adapter=adapter_from_settings(settings))
    monkeypatch.setattr(lambda_handler, "handler", lambda event, context=None: invoke(skill, event))
    left = cramp_coach_here(
        monkeypatch,
        capsys,
        "chat",
        "--no-alexa-api",
        stdin="open cramp coach\nmy hamstring is cramping\n",
    )
    assert left.returncode == 0
    english = cramp_coach_here(
        monkeypatch, capsys, "chat", "--no-alexa-api", stdin="open cramp coach\n"
    )
    assert "Welcome back. You stopped at step 1" in english.stdout
    spanish = cramp_coach_here(
        monkeypatch,
        capsys,
        "chat",
        "--no-alexa-api",
        "--locale",
        "es-US",
        stdin="abre entrenador de calambres\n",
    )
    assert "¿Tienes un calambre" in spanish.stdout and "Hola de nuevo" not in spanish.stdout
    stranger = cramp_coach_here(
        monkeypatch, capsys, "chat", "--no-alexa-api", "--new-user", stdin="open cramp coach\n"
    )
    assert "Is your hamstring cramping right now?" in stranger.stdout
    assert "Welcome back" not in stranger.stdout
    again = cramp_coach_here(
        monkeypatch, capsys, "chat", "--no-alexa-api", stdin="open cramp coach\n"
    )
    assert "Welcome back" in again.stdout  # --new-user cleared nothing of the usual person's


def test_serve_names_the_verification_setting_on_its_terminal_only(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """`serve` says at start-up why a local curl gets 400 and which setting turns the check
    off; the refused client still gets a bare 400 that names neither."""
    from skill.hosts import web

    monkeypatch.delenv("CRAMP_COACH_VERIFY_SIGNATURES", raising=False)
    ran: list[Any] = []
    monkeypatch.setattr(web.Flask, "run", lambda app, **kw: ran.append(app))
    assert cli.main(["serve"]) == 0
    err = capsys.readouterr().err
    assert "CRAMP_COACH_VERIFY_SIGNATURES=0" in err and "400" in err
    (app,) = ran
    envelope = lambda_handler_envelope()
    answer = app.test_client().post("/alexa", json=envelope)
    assert answer.status_code == 400
    assert b"CRAMP_COACH" not in answer.data and b"signature" not in answer.data.lower()
    monkeypatch.setenv("CRAMP_COACH_VERIFY_SIGNATURES", "0")
    assert cli.main(["serve"]) == 0
    assert serve.VERIFY_HINT not in capsys.readouterr().err


def lambda_handler_envelope() -> dict[str, Any]:
    from skill.tools.simulator.envelopes import EnvelopeFactory

    return EnvelopeFactory().launch()


@pytest.mark.slow
def test_a_broken_connection_to_the_url_is_still_reported(capsys) -> None:
    """The skill's side of the socket breaking is not the caller's pipe closing: reported,
    exit 1."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]

        def slam() -> None:
            conn, _ = listener.accept()
            conn.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            conn.close()  # a reset, mid-request

        thread = threading.Thread(target=slam, daemon=True)
        thread.start()
        code = cli.main(["say", "--no-alexa-api", "--url", f"http://127.0.0.1:{port}/alexa", "hi"])
        thread.join(5)
    assert code == 1
    assert f"cannot talk to http://127.0.0.1:{port}/alexa" in capsys.readouterr().err


def test_chat_sets_checks_and_cancels_timers_against_the_fake_alexa_api(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """By default chat points its requests at a fake Timers API on 127.0.0.1, so timer
    lines behave as on a device; --no-alexa-api gives the no-API answer instead."""
    lines = "set a timer for my hold\nhow much time is left\ncancel the timer\n"
    done = cramp_coach_here(monkeypatch, capsys, "chat", stdin=lines)
    assert done.returncode == 0, done.stderr
    assert "Timer set for 30 seconds." in done.stdout
    assert "timer has 30 seconds left." in done.stdout or "29 seconds left" in done.stdout
    assert "Timer cancelled." in done.stdout
    assert "can't set Alexa timers" not in done.stdout
    without = cramp_coach_here(
        monkeypatch, capsys, "say", "--no-alexa-api", "ask cramp coach to set a timer for my hold"
    )
    assert "I can't set Alexa timers on this device." in without.stdout


def test_chat_sets_lists_and_cancels_a_reminder_against_the_fake_alexa_api(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """chat's fake Alexa API keeps reminders (issue 27): one is set, read back and
    cancelled in the terminal; --no-alexa-api says plainly that nothing was set."""
    lines = (
        "remind me to stretch every evening at eight\n"
        "ask cramp coach what reminders do i have\n"
        "ask cramp coach to cancel my reminders\n"
    )
    done = cramp_coach_here(monkeypatch, capsys, "chat", stdin=lines)
    assert done.returncode == 0, done.stderr
    assert "Okay. I'll remind you to stretch every day at 8 PM." in done.stdout
    assert "A reminder to stretch every day at 8 PM." in done.stdout
    assert "Done. I cancelled your reminder." in done.stdout
    without = cramp_coach_here(
        monkeypatch, capsys, "say", "--no-alexa-api", "ask cramp coach to remind me to stretch"
    )
    assert "so nothing was set" in without.stdout
