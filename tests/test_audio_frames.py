"""The MPEG frame walker must accept exactly what Alexa plays and name what it rejects."""

import io

import lameenc
import numpy as np
import pytest
from mutagen.mp3 import MP3

from skill.tools.audio import mp3_frames
from skill.tools.audio.mp3_frames import (
    FrameError,
    alexa_format_problems,
    parse_header,
    walk_frames,
)

# Header field codes (ISO 11172-3 / 13818-3).
MPEG1, MPEG2 = 0b11, 0b10
LAYER3, LAYER2 = 0b01, 0b10
MONO, STEREO = 0b11, 0b00


def frame(version=MPEG2, layer=LAYER3, bitrate_index=6, rate_index=1, padding=0, mode=MONO):
    """A whole frame: a header with the given fields, zero-filled to the frame's length."""
    word = (0x7FF << 21) | (version << 19) | (layer << 17) | (1 << 16)
    word |= (bitrate_index << 12) | (rate_index << 10) | (padding << 9) | (mode << 6)
    head = word.to_bytes(4, "big")
    try:
        return head + bytes(parse_header(head).length - 4)
    except FrameError:  # a header the walker must reject: its body length does not matter
        return head + bytes(100)


def encoded(seconds=1.0, kbps=48, rate=24_000):
    t = np.arange(int(seconds * rate)) / rate
    pcm = (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2").tobytes()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(kbps)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    return bytes(encoder.encode(pcm) + encoder.flush())


def test_alexa_frame_header_fields():
    header = parse_header(frame())
    assert (header.version, header.layer, header.bitrate_kbps) == ("2", 3, 48)
    assert (header.sample_rate, header.channels, header.samples) == (24_000, 1, 576)
    assert header.length == 144  # 72 * 48000 / 24000


def test_padding_adds_one_byte():
    assert parse_header(frame(padding=1)).length == 145


def test_mpeg1_frame_size_uses_1152_samples():
    header = parse_header(frame(version=MPEG1, bitrate_index=9, rate_index=0, mode=STEREO))
    assert (header.version, header.bitrate_kbps, header.sample_rate) == ("1", 128, 44_100)
    assert header.length == 417 and header.samples == 1152


def test_valid_sequence_has_no_problems_and_its_duration():
    data = frame() * 10
    assert alexa_format_problems(data) == []
    assert mp3_frames.duration_seconds(walk_frames(data)) == pytest.approx(10 * 576 / 24_000)


@pytest.mark.parametrize(
    ("odd_frame", "complaint"),
    [
        (frame(version=MPEG1, bitrate_index=3, rate_index=1), "MPEG-1"),
        (frame(bitrate_index=4), "32 kbps"),
        (frame(rate_index=0), "22050 Hz"),
        (frame(mode=STEREO), "2 channels"),
    ],
)
def test_one_wrong_frame_in_the_middle_is_reported_at_its_offset(odd_frame, complaint):
    data = frame() * 3 + odd_frame + frame() * 2
    problems = alexa_format_problems(data)
    assert len(problems) == 1
    assert problems[0].startswith("offset 432:") and complaint in problems[0]


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + frame() * 2, "ID3v2"),
        (frame() * 2 + b"TAG" + bytes(125), "ID3v1"),
        (frame() * 2 + b"\x00\x00\x00\x00" + frame(), "offset 288: no frame sync"),
        (frame() * 2 + frame()[:100], "offset 288: frame of 144 bytes is truncated"),
        (frame() + frame(layer=LAYER2), "only layer III"),
        (frame() + frame(bitrate_index=15), "invalid bitrate"),
        (b"", "no frames"),
    ],
)
def test_walk_rejects_anything_but_clean_frames(data, complaint):
    with pytest.raises(FrameError, match=complaint):
        walk_frames(data)
    assert complaint in alexa_format_problems(data)[0]


def test_lameenc_output_is_alexa_format_and_agrees_with_mutagen():
    data = encoded(2.0)
    frames = walk_frames(data)
    assert alexa_format_problems(data) == []
    assert len(frames) == len(data) // 144
    assert mp3_frames.duration_seconds(frames) == pytest.approx(
        MP3(io.BytesIO(data)).info.length, abs=0.03
    )
    assert 2.0 <= mp3_frames.duration_seconds(frames) < 2.1


def test_google_style_32_kbps_is_rejected_on_every_frame():
    data = encoded(0.5, kbps=32)
    assert len(alexa_format_problems(data)) == len(walk_frames(data))
