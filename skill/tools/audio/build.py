"""Build the audio set: render each declared clip, encode it, record it in the manifest.

A clip whose inputs (words and timeline, engine, builder version) are unchanged and whose file
still matches the manifest is skipped, so a rebuild after editing one cue redoes one clip.
Every file is written to a temporary name and renamed, so a failure leaves no partial file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from skill.core.audio_manifest import MANIFEST_NAME
from skill.tools.audio import mp3_frames
from skill.tools.audio.engines import SpeechEngine
from skill.tools.audio.mix import render, to_pcm16
from skill.tools.audio.mp3_encode import encode, probe
from skill.tools.audio.spec import CLIP_LOCALE, ClipSpec, load_specs
from skill.tools.audio.verify import FILE_DIGEST_CHARS
from skill.tools.evals.progress import ProgressBar

#: Bump when the sound design (mixing, ticks, chime, encoding) changes: every clip rebuilds.
BUILDER_VERSION = 1
FORMAT = {
    "container": "mp3",
    "mpeg_version": mp3_frames.MPEG_VERSION,
    "layer": mp3_frames.LAYER,
    "bitrate_kbps": mp3_frames.BITRATE_KBPS,
    "bitrate_mode": "CBR",
    "sample_rate_hz": mp3_frames.SAMPLE_RATE,
    "channels": mp3_frames.CHANNELS,
}


class BuildError(RuntimeError):
    """The encoder produced something Alexa would reject (a bug, never expected)."""


@dataclass
class BuildResult:
    """What a build did, for the CLI's summary line and for tests."""

    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def read_manifest_document(out_dir: Path) -> dict[str, Any]:
    """The existing manifest's JSON, or an empty one if there is none or it is unreadable."""
    try:
        document = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"clips": {}}
    return document if isinstance(document.get("clips"), dict) else {"clips": {}}


def clip_file_name(clip_id: str, data: bytes) -> str:
    """``{id}-{digest}.mp3``: a changed clip gets a new name, so caches never serve a stale one
    (the web service lets clients cache clips for a year)."""
    return f"{clip_id}-{hashlib.sha256(data).hexdigest()[:FILE_DIGEST_CHARS]}.mp3"


def _remove(out_dir: Path, entry: object) -> None:
    """Delete the file an old manifest entry points to (only a bare name inside ``out_dir``)."""
    if isinstance(entry, dict) and entry.get("file"):
        (out_dir / Path(str(entry["file"])).name).unlink(missing_ok=True)


def _is_current(
    entry: dict[str, Any] | None, spec: ClipSpec, engine: SpeechEngine, out_dir: Path
) -> bool:
    if not entry or not entry.get("file"):
        return False
    wanted = {spec.input_hash(engine_id, BUILDER_VERSION) for engine_id in engine.accepted_ids}
    if entry.get("input_hash") not in wanted:
        return False
    try:
        data = (out_dir / Path(str(entry["file"])).name).read_bytes()
    except OSError:
        return False
    return len(data) == entry.get("bytes") and hashlib.sha256(data).hexdigest() == entry.get(
        "sha256"
    )


def _render(
    spec: ClipSpec, engine: SpeechEngine, cache: dict[tuple[str, str], np.ndarray]
) -> tuple[np.ndarray, str, str]:
    """Samples of ``spec`` all spoken by one engine, and that engine (``auto`` may switch)."""

    def speak(text: str) -> np.ndarray:
        key = (engine.engine_id, text)
        if key not in cache:
            samples = engine.speak(text)
            cache[(engine.engine_id, text)] = samples
            return samples
        return cache[key]

    while True:
        engine_id = engine.engine_id
        samples = render(spec, speak)
        if engine.engine_id == engine_id:  # no fallback mid-clip, so one voice throughout
            return samples, engine.name, engine_id


def build_clip(
    spec: ClipSpec, engine: SpeechEngine, out_dir: Path, cache: dict[tuple[str, str], np.ndarray]
) -> dict[str, Any]:
    """Render, encode, check and write one clip; return its manifest entry."""
    samples, engine_name, engine_id = _render(spec, engine, cache)
    data = encode(to_pcm16(samples))
    problems = mp3_frames.alexa_format_problems(data)
    if problems:
        raise BuildError(f"{spec.id}: encoder output is not Alexa's format: {problems[0]}")
    name = clip_file_name(spec.id, data)
    write_atomic(out_dir / name, data)
    return {
        "file": name,
        "kind": spec.kind,
        "text": spec.text,
        "engine": engine_name,
        "duration_seconds": round(probe(data).duration_seconds, 3),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "input_hash": spec.input_hash(engine_id, BUILDER_VERSION),
    }


def manifest_bytes(clips: dict[str, dict[str, Any]]) -> bytes:
    """The manifest file's content: stable key order, so rebuilds diff cleanly."""
    document = {
        "builder_version": BUILDER_VERSION,
        "format": FORMAT,
        "locale": CLIP_LOCALE,
        "clips": clips,
    }
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


def build(
    out_dir: Path,
    engine: SpeechEngine,
    specs: Sequence[ClipSpec] | None = None,
    progress: ProgressBar | None = None,
) -> BuildResult:
    """Bring ``out_dir`` up to date with ``specs`` (default: the declared set)."""
    started = time.perf_counter()
    specs = list(specs) if specs is not None else load_specs()
    out_dir.mkdir(parents=True, exist_ok=True)
    old = read_manifest_document(out_dir)["clips"]
    result = BuildResult()
    clips: dict[str, dict[str, Any]] = {}
    cache: dict[tuple[str, str], np.ndarray] = {}
    try:
        for spec in specs:
            if _is_current(old.get(spec.id), spec, engine, out_dir):
                clips[spec.id] = old[spec.id]
                result.skipped.append(spec.id)
            else:
                clips[spec.id] = build_clip(spec, engine, out_dir, cache)
                result.built.append(spec.id)
                if old.get(spec.id, {}).get("file") != clips[spec.id]["file"]:
                    _remove(out_dir, old.get(spec.id))
            if progress:
                progress.step(spec.id)
        declared = {spec.id for spec in specs}
        for clip_id, entry in old.items():
            if clip_id not in declared:
                _remove(out_dir, entry)
                result.removed.append(clip_id)
    finally:
        if result.built or result.removed:
            # Also after a failure: clips already rebuilt are recorded, the rest keep old entries.
            merged = {**old, **clips}
            merged = {cid: e for cid, e in merged.items() if cid not in result.removed}
            write_atomic(out_dir / MANIFEST_NAME, manifest_bytes(merged))
        if progress:
            progress.close()
    result.seconds = time.perf_counter() - started
    return result
