"""gTTS offline: its HTTP transport is patched, so gTTS still builds its own request."""

import base64
import json
import shutil
import socket

import lameenc
import numpy as np
import pytest
import requests

from skill.core.audio_manifest import DEFAULT_AUDIO_DIR
from skill.tools.audio.build import build
from skill.tools.audio.engines import EngineError, GttsEngine, make_engine
from skill.tools.audio.spec import load_specs
from skill.tools.audio.verify import verify_set
from skill.tools.cli import main

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed (apt-get install espeak-ng)"
)
SPECS = {spec.id: spec for spec in load_specs()}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("tests must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def google_mp3(seconds=0.5):
    """What Google sends: MPEG-2 layer III at 32 kbps, 24 kHz (not Alexa's 48 kbps)."""
    t = np.arange(int(seconds * 24_000)) / 24_000
    pcm = (0.4 * np.sin(2 * np.pi * 300 * t) * 32767).astype("<i2").tobytes()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(24_000)
    encoder.set_channels(1)
    return bytes(encoder.encode(pcm) + encoder.flush())


class FakeTransport:
    """Stands in for ``requests.Session.send``: answers like Google, or raises ``error``."""

    def __init__(self, error=None):
        self.error, self.calls = error, []

    def send(self, request, **kwargs):
        self.calls.append((request, kwargs))
        if self.error is not None:
            raise self.error
        response = requests.Response()
        response.status_code, response.request = 200, request
        payload = base64.b64encode(google_mp3()).decode()
        response._content = (')]}\'\n[["wrb.fr","jQ1olc","[\\"' + payload + '\\"]"]]').encode()
        response._content_consumed = True
        return response


@pytest.fixture
def transport(monkeypatch):
    def install(error=None):
        fake = FakeTransport(error)
        monkeypatch.setattr(
            requests.Session,
            "send",
            lambda _session, request, **kwargs: fake.send(request, **kwargs),
        )
        return fake

    return install


def test_gtts_success_writes_valid_clips_and_always_sets_a_timeout(tmp_path, transport):
    fake = transport()
    specs = [SPECS["hold_start"], SPECS["hold_20s"]]
    result = build(tmp_path, GttsEngine(timeout=3.5), specs)
    assert result.built == ["hold_start", "hold_20s"]
    assert verify_set(tmp_path, ["hold_start", "hold_20s"]) == []
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert {entry["engine"] for entry in manifest["clips"].values()} == {"gtts"}
    # Seven distinct phrases: "Hold it, gently." is fetched once for both clips.
    assert len(fake.calls) == 7
    assert all(kwargs["timeout"] == 3.5 for _, kwargs in fake.calls)
    request = fake.calls[0][0]
    assert request.url.endswith("/batchexecute") and "Hold%20it%2C%20gently." in request.body


@pytest.mark.parametrize(
    "error",
    [
        requests.ConnectionError("Failed to connect"),
        requests.ReadTimeout("read timed out"),
        requests.ConnectTimeout("connect timed out"),
    ],
)
def test_gtts_failure_raises_and_leaves_no_file(tmp_path, transport, error):
    transport(error)
    out = tmp_path / "audio"
    with pytest.raises(EngineError, match="gTTS failed"):
        build(out, GttsEngine(timeout=1.0), [SPECS["hold_start"]])
    assert list(out.iterdir()) == []


def test_gtts_failure_keeps_an_existing_set_untouched(tmp_path, transport):
    transport()
    build(tmp_path, GttsEngine(), [SPECS["release"]])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    transport(requests.ConnectionError("offline"))
    with pytest.raises(EngineError):
        build(tmp_path, GttsEngine(), [SPECS["release"], SPECS["switch_legs"]])
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.slow  # runs espeak-ng (docs/testing.md)
@needs_espeak
def test_auto_falls_back_to_espeak_once_with_a_one_line_notice(tmp_path, transport, capsys):
    # The shipped set minus two clips: the build renders just those two (auto keeps the rest).
    shutil.copytree(DEFAULT_AUDIO_DIR, tmp_path, dirs_exist_ok=True)
    manifest_path = tmp_path / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    for clip_id in ("release", "switch_legs"):
        (tmp_path / manifest["clips"].pop(clip_id)["file"]).unlink()
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    fake = transport(requests.ConnectionError("Failed to connect"))
    assert main(["audio", "build", "--engine", "auto", "--out", str(tmp_path)]) == 0
    notices = [line for line in capsys.readouterr().err.splitlines() if "notice" in line]
    assert len(notices) == 1 and "using espeak" in notices[0]
    assert len(fake.calls) == 1  # gTTS is not retried for every clip
    assert verify_set(tmp_path, list(SPECS)) == []
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert {entry["engine"] for entry in manifest["clips"].values()} == {"espeak"}


@needs_espeak
def test_auto_uses_gtts_when_it_answers(tmp_path, transport):
    transport()
    notes = []
    build(tmp_path, make_engine("auto", notes.append), [SPECS["switch_legs"]])
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert manifest["clips"]["switch_legs"]["engine"] == "gtts" and notes == []
