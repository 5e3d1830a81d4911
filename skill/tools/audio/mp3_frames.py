"""A small MPEG audio frame-header walker, stdlib only.

Alexa rejects an ``<audio>`` clip that is not MPEG-2 layer III at 48 kbps and 16/22.05/24 kHz
(``docs/alexa-platform.md`` section 1), and it says so only as a generic "problem with the
skill's response". So every clip we ship is checked frame by frame here, independently of the
encoder (lameenc) and of the reader the builder uses for durations (mutagen).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The one format this project ships: what Alexa accepts, at the highest allowed sample rate.
MPEG_VERSION = "2"
LAYER = 3
BITRATE_KBPS = 48
SAMPLE_RATE = 24_000
CHANNELS = 1

_VERSIONS = {0b00: "2.5", 0b10: "2", 0b11: "1"}  # 0b01 is reserved
_LAYERS = {0b01: 3, 0b10: 2, 0b11: 1}  # 0b00 is reserved
# Layer III bitrates in kbps by bitrate index (0 = free format, 15 = bad).
_BITRATES_L3 = {
    "1": (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    "2": (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {
    "1": (44_100, 48_000, 32_000),
    "2": (22_050, 24_000, 16_000),
    "2.5": (11_025, 12_000, 8_000),
}


class FrameError(ValueError):
    """The bytes are not a clean sequence of MPEG layer III frames."""


@dataclass(frozen=True)
class FrameHeader:
    """The fields of one frame header that matter for Alexa, plus the frame's size."""

    offset: int
    version: str
    layer: int
    bitrate_kbps: int
    sample_rate: int
    channels: int
    padding: bool
    length: int
    samples: int


def parse_header(data: bytes, offset: int = 0) -> FrameHeader:
    """Decode the 4-byte frame header at ``offset`` (layer III only; raises ``FrameError``)."""
    if len(data) - offset < 4:
        raise FrameError(f"offset {offset}: truncated frame header")
    word = int.from_bytes(data[offset : offset + 4], "big")
    if word >> 21 != 0x7FF:
        raise FrameError(
            f"offset {offset}: no frame sync (bytes {data[offset : offset + 4].hex()})"
        )
    version = _VERSIONS.get((word >> 19) & 0b11)
    layer = _LAYERS.get((word >> 17) & 0b11)
    if version is None or layer is None:
        raise FrameError(f"offset {offset}: reserved MPEG version or layer")
    if layer != 3:
        raise FrameError(f"offset {offset}: layer {layer}, only layer III is supported")
    bitrate_index = (word >> 12) & 0b1111
    rate_index = (word >> 10) & 0b11
    if bitrate_index in (0, 15) or rate_index == 3:
        raise FrameError(f"offset {offset}: free-format or invalid bitrate/sample rate")
    bitrate = _BITRATES_L3["1" if version == "1" else "2"][bitrate_index]
    sample_rate = _SAMPLE_RATES[version][rate_index]
    padding = bool((word >> 9) & 1)
    channels = 1 if (word >> 6) & 0b11 == 0b11 else 2
    samples = 1152 if version == "1" else 576
    length = (samples // 8) * bitrate * 1000 // sample_rate + int(padding)
    return FrameHeader(
        offset, version, layer, bitrate, sample_rate, channels, padding, length, samples
    )


def walk_frames(data: bytes) -> list[FrameHeader]:
    """Every frame of ``data``, which must hold frames only: no ID3 tags, no gaps, no tail."""
    if data[:3] == b"ID3":
        raise FrameError("offset 0: ID3v2 tag")
    if len(data) >= 128 and data[-128:-125] == b"TAG":
        raise FrameError(f"offset {len(data) - 128}: ID3v1 tag")
    frames: list[FrameHeader] = []
    offset = 0
    while offset < len(data):
        header = parse_header(data, offset)
        if offset + header.length > len(data):
            raise FrameError(f"offset {offset}: frame of {header.length} bytes is truncated")
        frames.append(header)
        offset += header.length
    if not frames:
        raise FrameError("no frames")
    return frames


def duration_seconds(frames: list[FrameHeader]) -> float:
    """Playing time of ``frames``: samples per frame over the sample rate, summed."""
    return sum(f.samples / f.sample_rate for f in frames)


def alexa_format_problems(data: bytes) -> list[str]:
    """Ways ``data`` differs from MPEG-2 layer III, 48 kbps CBR, 24 kHz mono (empty if none)."""
    try:
        frames = walk_frames(data)
    except FrameError as exc:
        return [str(exc)]
    problems = []
    for frame in frames:
        wrong = []
        if frame.version != MPEG_VERSION:
            wrong.append(f"MPEG-{frame.version}")
        if frame.bitrate_kbps != BITRATE_KBPS:
            wrong.append(f"{frame.bitrate_kbps} kbps")
        if frame.sample_rate != SAMPLE_RATE:
            wrong.append(f"{frame.sample_rate} Hz")
        if frame.channels != CHANNELS:
            wrong.append(f"{frame.channels} channels")
        if wrong:
            problems.append(f"offset {frame.offset}: " + ", ".join(wrong))
    return problems
