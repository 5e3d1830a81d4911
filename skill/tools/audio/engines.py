"""Speech engines for the audio builder: gTTS (Google, online), espeak-ng (offline), auto.

Each engine turns text into float32 mono samples at 24 kHz. gTTS needs Google's servers and
can hang forever without a timeout, so it always gets one; ``auto`` tries gTTS once and, if it
fails, says so in one line and uses espeak-ng for the rest of the build.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from skill.tools.audio.mix import resample
from skill.tools.audio.mp3_frames import SAMPLE_RATE

ENGINE_NAMES = ("auto", "gtts", "espeak")
DEFAULT_GTTS_TIMEOUT = 10.0


class EngineError(RuntimeError):
    """The engine could not speak (offline, timed out, not installed, bad output)."""


class SpeechEngine(Protocol):
    @property
    def name(self) -> str:
        """Short name recorded in the manifest ("gtts", "espeak")."""

    @property
    def engine_id(self) -> str:
        """Name plus settings that change the sound; part of each clip's input hash."""

    @property
    def accepted_ids(self) -> tuple[str, ...]:
        """Engine ids whose existing clips this engine keeps instead of rebuilding."""

    def speak(self, text: str) -> np.ndarray:
        """Samples of ``text`` spoken, float32 mono at 24 kHz."""


class GttsEngine:
    """Google Translate's TTS through gTTS; needs the network."""

    name = "gtts"

    def __init__(self, lang: str = "en", tld: str = "com", timeout: float = DEFAULT_GTTS_TIMEOUT):
        self.lang, self.tld, self.timeout = lang, tld, timeout

    @property
    def engine_id(self) -> str:
        return f"gtts:{self.lang}:{self.tld}"

    @property
    def accepted_ids(self) -> tuple[str, ...]:
        return (self.engine_id,)

    def speak(self, text: str) -> np.ndarray:
        # Imported here so the offline path needs neither gTTS, requests nor miniaudio.
        try:
            import miniaudio
            import requests
            from gtts import gTTS, gTTSError
        except ImportError as exc:
            raise EngineError(f"gTTS engine needs the 'audio' extra: {exc}") from exc

        buffer = io.BytesIO()  # in memory: a failed request leaves no partial file anywhere
        try:
            gTTS(text, lang=self.lang, tld=self.tld, timeout=self.timeout).write_to_fp(buffer)
        except (gTTSError, requests.RequestException) as exc:
            raise EngineError(f"gTTS failed: {exc}") from exc
        if not buffer.getvalue():
            raise EngineError("gTTS returned no audio")
        try:
            decoded = miniaudio.decode(
                buffer.getvalue(),
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=SAMPLE_RATE,
            )
        except miniaudio.DecodeError as exc:
            raise EngineError(f"gTTS returned audio that does not decode: {exc}") from exc
        return np.asarray(decoded.samples, dtype=np.float32) / 32768.0


class EspeakEngine:
    """espeak-ng through a subprocess: offline, deterministic, robotic but clear."""

    name = "espeak"

    def __init__(
        self,
        voice: str = "en-us",
        words_per_minute: int = 150,
        executable: str = "espeak-ng",
        timeout: float = 30.0,
    ):
        self.voice, self.words_per_minute = voice, words_per_minute
        self.executable, self.timeout = executable, timeout

    @property
    def engine_id(self) -> str:
        return f"espeak:{self.voice}:{self.words_per_minute}"

    @property
    def accepted_ids(self) -> tuple[str, ...]:
        return (self.engine_id,)

    def speak(self, text: str) -> np.ndarray:
        exe = shutil.which(self.executable)
        if exe is None:
            raise EngineError(f"{self.executable} is not installed (apt-get install espeak-ng)")
        with tempfile.TemporaryDirectory(prefix="cramp-espeak-") as tmp:
            wav_path = Path(tmp) / "speech.wav"
            command = [
                exe,
                "-v",
                self.voice,
                "-s",
                str(self.words_per_minute),
                "-w",
                str(wav_path),
                "--stdin",
            ]
            try:
                subprocess.run(
                    command,
                    input=text.encode(),
                    capture_output=True,
                    check=True,
                    timeout=self.timeout,
                )
                with wave.open(str(wav_path), "rb") as wav:
                    rate, width = wav.getframerate(), wav.getsampwidth()
                    channels = wav.getnchannels()
                    raw = wav.readframes(wav.getnframes())
            except (OSError, subprocess.SubprocessError, wave.Error, EOFError) as exc:
                raise EngineError(f"espeak-ng failed: {exc}") from exc
        if width != 2 or channels != 1:
            raise EngineError(f"espeak-ng wrote {channels} channel(s) of {8 * width}-bit audio")
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
        return resample(samples, rate)


class AutoEngine:
    """gTTS while it works; after its first failure, espeak-ng for the rest of the build."""

    def __init__(
        self, primary: SpeechEngine, fallback: SpeechEngine, notify: Callable[[str], None]
    ):
        self.primary, self.fallback, self.notify = primary, fallback, notify
        self.fell_back = False

    @property
    def current(self) -> SpeechEngine:
        return self.fallback if self.fell_back else self.primary

    @property
    def name(self) -> str:
        return self.current.name

    @property
    def engine_id(self) -> str:
        return self.current.engine_id

    @property
    def accepted_ids(self) -> tuple[str, ...]:
        return (self.primary.engine_id, self.fallback.engine_id)

    def speak(self, text: str) -> np.ndarray:
        if not self.fell_back:
            try:
                return self.primary.speak(text)
            except EngineError as exc:
                self.fell_back = True
                self.notify(f"notice: {exc}; using {self.fallback.name} for the rest of the build")
        return self.fallback.speak(text)


def make_engine(
    name: str, notify: Callable[[str], None], gtts_timeout: float = DEFAULT_GTTS_TIMEOUT
) -> SpeechEngine:
    """The engine called ``name`` ("auto", "gtts" or "espeak")."""
    if name == "gtts":
        return GttsEngine(timeout=gtts_timeout)
    if name == "espeak":
        return EspeakEngine()
    if name == "auto":
        return AutoEngine(GttsEngine(timeout=gtts_timeout), EspeakEngine(), notify)
    raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINE_NAMES)}")
