"""The web app's HTTP surface: body limits, garbage, health, audio files, start-up warnings,
and that no client input yields a 500."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill
from flask import Flask

from skill.alexa.envelope_check import MAX_JSON_DEPTH
from skill.hosts.web import MAX_BODY_BYTES, create_app
from skill.settings import Settings
from skill.tools.simulator.envelopes import DEFAULT_SKILL_ID, EnvelopeFactory
from tests import pki
from tests.web_support import InvokeSpy, encode, post, signed_app, speech

OPEN = Settings(verify_signatures=False)


@pytest.fixture(scope="module")
def good() -> pki.Pki:
    return pki.make_pki()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> InvokeSpy:
    return InvokeSpy().install(monkeypatch)


@pytest.fixture
def open_app() -> Flask:
    """Verification off, as in local development: the body checks must hold on their own."""
    return create_app(OPEN)


def test_unverified_app_answers_launch(open_app: Flask) -> None:
    response = post(open_app, encode(EnvelopeFactory().launch()))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "cramp" in speech(response).lower()


@pytest.mark.parametrize("verified", [False, True], ids=["open", "verified"])
def test_oversized_body_is_413(verified: bool, good: pki.Pki, spy: InvokeSpy) -> None:
    app = signed_app(good) if verified else create_app(OPEN)
    envelope = EnvelopeFactory().launch()
    envelope["request"]["padding"] = "x" * MAX_BODY_BYTES
    body = encode(envelope)
    response = post(app, body, good.headers(body))
    assert response.status_code == 413
    assert response.get_json()["error"] == "Request Entity Too Large"
    assert spy.calls == []


@pytest.mark.parametrize("extra", [1, 100_000])
def test_oversized_chunked_body_is_413(extra: int, open_app: Flask, spy: InvokeSpy) -> None:
    """Without a Content-Length the size shows only by reading (Werkzeug stops silently at
    its limit). The environ is what gunicorn passes for a chunked body."""
    response = open_app.test_client().post(
        "/alexa",
        input_stream=io.BytesIO(b" " * (MAX_BODY_BYTES + extra)),
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
    )
    assert response.status_code == 413
    assert spy.calls == []


def test_body_just_under_the_limit_is_read(open_app: Flask) -> None:
    envelope = EnvelopeFactory().launch()
    envelope["request"]["padding"] = ""
    size = len(encode(envelope))
    envelope["request"]["padding"] = "x" * (MAX_BODY_BYTES - size)
    body = encode(envelope)
    assert len(body) == MAX_BODY_BYTES
    assert post(open_app, body).status_code == 200


def nested_attributes(depth: int) -> bytes:
    """A launch whose session attributes nest so the envelope's containers are ``depth`` deep."""
    envelope = EnvelopeFactory().launch()
    inner: object = 1
    for _ in range(depth - 2):  # envelope -> session -> attributes -> ...
        inner = {"a": inner}
    envelope["session"]["attributes"] = inner
    return encode(envelope)


GARBAGE = {
    "empty": b"",
    "not json": b"hello, skill",
    "not utf-8": b'{"request": "\xff\xfe"}',
    "json list": b"[1, 2, 3]",
    "json string": b'"LaunchRequest"',
    "no request": b'{"version": "1.0"}',
    "request not object": b'{"version": "1.0", "request": "LaunchRequest"}',
    "request without type": b'{"version": "1.0", "request": {"requestId": "x"}}',
    "unknown request type": b'{"version": "1.0", "request": {"type": "NoSuchRequest"}}',
    "bad timestamp": b'{"version": "1.0", "request": {"type": "LaunchRequest", "timestamp": "x"}}',
    "context not object": b'{"context": 5, "request": {"type": "LaunchRequest"}}',
    "truncated": encode(EnvelopeFactory().launch())[:-10],
    "nested past json's recursion": b"[" * 100_000,
    "nested past the depth limit": nested_attributes(MAX_JSON_DEPTH + 1),
}


@pytest.mark.parametrize("verified", [False, True], ids=["open", "verified"])
@pytest.mark.parametrize("body", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_body_is_400(body: bytes, verified: bool, good: pki.Pki, spy: InvokeSpy) -> None:
    app = signed_app(good) if verified else create_app(OPEN)
    response = post(app, body, good.headers(body))
    assert response.status_code == 400
    assert response.get_json()["error"] == "Bad Request"
    assert spy.calls == []


def test_nesting_up_to_the_limit_is_served(open_app: Flask) -> None:
    assert post(open_app, nested_attributes(MAX_JSON_DEPTH)).status_code == 200


def test_skill_id_checked_even_without_signature_checks(spy: InvokeSpy) -> None:
    app = create_app(Settings(skill_ids=("amzn1.ask.skill.mine",), verify_signatures=False))
    response = post(app, encode(EnvelopeFactory().launch()))
    assert response.status_code == 400
    assert spy.calls == []
    mine = EnvelopeFactory(skill_id="amzn1.ask.skill.mine").launch()
    assert post(app, encode(mine)).status_code == 200


def test_skill_failure_is_a_json_500(open_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fault of ours (not the client's) is still an error envelope, not an HTML page."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(CustomSkill, "invoke", broken)
    response = post(open_app, encode(EnvelopeFactory().launch()))
    assert response.status_code == 500
    assert response.get_json()["error"] == "Internal Server Error"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/alexa", 405), ("PUT", "/alexa", 405), ("GET", "/nope", 404), ("POST", "/", 404)],
)
def test_other_routes_answer_json_errors(open_app: Flask, method: str, path: str, status: int):
    response = open_app.test_client().open(path, method=method)
    assert response.status_code == status
    assert response.get_json()["error"]


def test_healthz(open_app: Flask) -> None:
    response = open_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.fixture
def audio_app(tmp_path: Path, open_app: Flask) -> Flask:
    (tmp_path / "hold_25s.mp3").write_bytes(b"ID3fake-mp3-bytes")
    (tmp_path / "notes.txt").write_text("not audio")
    (tmp_path.parent / "secret.mp3").write_bytes(b"outside the audio folder")
    open_app.config["AUDIO_DIR"] = tmp_path
    return open_app


def test_audio_served_as_mpeg_with_long_cache(audio_app: Flask) -> None:
    response = audio_app.test_client().get("/audio/hold_25s.mp3")
    assert response.status_code == 200
    assert response.data == b"ID3fake-mp3-bytes"
    assert response.mimetype == "audio/mpeg"
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.public


def test_audio_supports_range_requests(audio_app: Flask) -> None:
    response = audio_app.test_client().get("/audio/hold_25s.mp3", headers={"Range": "bytes=0-2"})
    assert response.status_code == 206
    assert response.data == b"ID3"


@pytest.mark.parametrize("name", ["missing.mp3", "notes.txt", "../secret.mp3", "%2e%2e/secret.mp3"])
def test_audio_only_mp3_inside_the_folder(audio_app: Flask, name: str) -> None:
    assert audio_app.test_client().get(f"/audio/{name}").status_code == 404


def test_default_audio_folder_is_the_repo_audio_dir() -> None:
    assert create_app(OPEN).config["AUDIO_DIR"] == Path(__file__).parent.parent / "audio"


def test_verification_off_warns_loudly(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="skill.hosts.web"):
        create_app(OPEN)
    assert "VERIFICATION IS OFF" in caplog.text


def test_verification_on_with_skill_id_does_not_warn(
    caplog: pytest.LogCaptureFixture, good: pki.Pki
) -> None:
    with caplog.at_level(logging.WARNING, logger="skill.hosts.web"):
        signed_app(good, skill_ids=(DEFAULT_SKILL_ID,))
    assert caplog.text == ""


def test_missing_trusted_roots_file_fails_at_start(tmp_path: Path) -> None:
    settings = Settings(trusted_roots_path=str(tmp_path / "absent.pem"))
    with pytest.raises(FileNotFoundError):
        create_app(settings)
