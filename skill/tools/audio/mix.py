"""Lay speech, ticks and the release chime on a clip's timeline (numpy, float32, 24 kHz mono).

Speech is trimmed of the engine's leading silence so each mark starts on its second, and cut
short with a fade if it would run into the next mark, so the count never drifts.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from skill.tools.audio.mp3_frames import SAMPLE_RATE
from skill.tools.audio.spec import CHIME_SECONDS, ClipSpec

SPEECH_PEAK = 0.7
TICK_PEAK = 0.12
CHIME_PEAK = 0.3
#: Silence after the last word of a cue, so Alexa's next sentence does not crowd it.
CUE_TAIL_SECONDS = 0.15
_FADE_SECONDS = 0.02

Speak = Callable[[str], np.ndarray]


def resample(samples: np.ndarray, source_rate: int, target_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling by FFT (espeak-ng speaks at 22,050 Hz; Alexa wants 24,000)."""
    if source_rate == target_rate or samples.size == 0:
        return samples.astype(np.float32)
    count = round(samples.size * target_rate / source_rate)
    spectrum = np.fft.rfft(samples.astype(np.float64))
    resized = np.zeros(count // 2 + 1, dtype=complex)
    keep = min(resized.size, spectrum.size)
    resized[:keep] = spectrum[:keep]
    return (np.fft.irfft(resized, count) * (count / samples.size)).astype(np.float32)


def _fade_out(samples: np.ndarray) -> np.ndarray:
    fade = min(samples.size, int(_FADE_SECONDS * SAMPLE_RATE))
    if fade:
        samples = samples.copy()
        samples[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    return samples


def prepare_speech(samples: np.ndarray, threshold: float = 0.02) -> np.ndarray:
    """Trim silence at both ends and normalise the peak, so every engine sounds alike."""
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak == 0.0:
        raise ValueError("the speech engine returned silence")
    loud = np.flatnonzero(np.abs(samples) > threshold * peak)
    start = max(0, loud[0] - int(0.01 * SAMPLE_RATE))
    end = min(samples.size, loud[-1] + int(0.05 * SAMPLE_RATE))
    return _fade_out(samples[start:end] * np.float32(SPEECH_PEAK / peak))


def tick() -> np.ndarray:
    """A soft, short wooden click: two decaying partials, 40 ms."""
    t = np.arange(int(0.04 * SAMPLE_RATE)) / SAMPLE_RATE
    tone = 0.7 * np.sin(2 * np.pi * 1200 * t) + 0.3 * np.sin(2 * np.pi * 2600 * t)
    return (TICK_PEAK * tone * np.exp(-t / 0.008)).astype(np.float32)


def chime() -> np.ndarray:
    """A gentle bell for "release": a soft attack and three decaying partials."""
    t = np.arange(int(CHIME_SECONDS * SAMPLE_RATE)) / SAMPLE_RATE
    tone = sum(a * np.sin(2 * np.pi * f * t) for f, a in ((660, 0.6), (990, 0.3), (1320, 0.1)))
    envelope = np.minimum(t / 0.01, 1.0) * np.exp(-t / 0.18)
    return _fade_out((CHIME_PEAK * tone * envelope).astype(np.float32))


def _add(track: np.ndarray, sound: np.ndarray, at: float) -> None:
    start = round(at * SAMPLE_RATE)
    end = min(track.size, start + sound.size)
    track[start:end] += sound[: end - start]


def render(spec: ClipSpec, speak: Speak) -> np.ndarray:
    """The clip's samples: each mark's speech at its second, ticks between, chime at release."""
    speech = [prepare_speech(speak(mark.text)) for mark in spec.marks]
    if spec.length is None:
        last = spec.marks[-1].at + speech[-1].size / SAMPLE_RATE
        length = last + CUE_TAIL_SECONDS
    else:
        length = spec.length
    track = np.zeros(round(length * SAMPLE_RATE), dtype=np.float32)
    busy: list[tuple[float, float]] = []
    end_of_speech = length if spec.chime_at is None else spec.chime_at
    boundaries = [m.at for m in spec.marks[1:]] + [end_of_speech]
    for mark, words, next_at in zip(spec.marks, speech, boundaries, strict=True):
        room = round((next_at - mark.at) * SAMPLE_RATE)
        fitted = words if words.size <= room else _fade_out(words[:room])
        _add(track, fitted, mark.at)
        busy.append((mark.at, mark.at + fitted.size / SAMPLE_RATE))
    if spec.ticks:
        click = tick()
        for second in range(1, int(end_of_speech)):
            if not any(start - 0.1 <= second <= end + 0.05 for start, end in busy):
                _add(track, click, second)
    if spec.chime_at is not None:
        _add(track, chime(), spec.chime_at)
    return np.clip(track, -0.98, 0.98)


def to_pcm16(samples: np.ndarray) -> bytes:
    """Little-endian signed 16-bit PCM, what the MP3 encoder takes."""
    pcm: bytes = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    return pcm
