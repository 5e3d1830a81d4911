"""Encode PCM to the one MP3 format Alexa plays, and read clips back (lameenc + mutagen).

lameenc, given 24,000 Hz input and 48 kbps CBR mono, emits bare MPEG-2 layer III frames (no
ID3, no Xing header). mutagen reads the result back as a second opinion on format and length.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import lameenc
from mutagen.mp3 import MP3

from skill.tools.audio.mp3_frames import BITRATE_KBPS, CHANNELS, SAMPLE_RATE


def encode(pcm16: bytes) -> bytes:
    """MP3 bytes for mono 16-bit PCM at 24 kHz: MPEG-2 layer III, 48 kbps CBR."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_out_sample_rate(SAMPLE_RATE)
    encoder.set_channels(CHANNELS)
    encoder.set_quality(2)  # 2 = high quality, still ~100 ms for a 30 s clip
    return bytes(encoder.encode(pcm16) + encoder.flush())


@dataclass(frozen=True)
class Probe:
    """What mutagen reads from an MP3."""

    version: float
    layer: int
    bitrate: int
    sample_rate: int
    channels: int
    duration_seconds: float


def probe(data: bytes) -> Probe:
    """Read format and duration of MP3 ``data`` with mutagen."""
    info = MP3(io.BytesIO(data)).info
    return Probe(
        info.version, info.layer, info.bitrate, info.sample_rate, info.channels, info.length
    )
