"""Runtime reader for ``audio/manifest.json`` (stdlib only: the skill imports it per request).

The skill needs clip durations to stay inside Alexa's audio budget (5 clips, 240 s per
response) and to know how long a hold clip lasts; the builder (``skill.tools.audio.build``) writes
them. The manifest is read once per path and cached.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from skill.core.hold_range import MAX_HOLD, MIN_HOLD, as_hold
from skill.core.resources import resource_path

#: Where the shipped set lives (the checkout's audio/, or a wheel's copy of its manifest:
#: skill.core.resources); the builder writes here by default.
DEFAULT_AUDIO_DIR = Path(resource_path("audio"))
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Clip:
    """One built clip as the manifest records it."""

    id: str
    file: str
    kind: str
    text: str
    engine: str
    duration_seconds: float
    bytes: int
    sha256: str
    input_hash: str


@dataclass(frozen=True)
class AudioManifest:
    """The clips of one built set, by id, and the locale whose words they speak (a manifest
    without one predates it and was built from the en-US catalogue)."""

    clips: Mapping[str, Clip]
    locale: str = "en-US"

    @property
    def language(self) -> str:
        return self.locale.split("-")[0]

    def clip(self, clip_id: str) -> Clip:
        """The clip ``clip_id`` (``KeyError`` if the set has no such clip)."""
        return self.clips[clip_id]

    def duration(self, clip_id: str) -> float:
        """Seconds the clip ``clip_id`` plays for."""
        return self.clips[clip_id].duration_seconds

    def url(self, clip_id: str, base_url: str) -> str:
        """``{base_url}/{file}``: where Alexa fetches the clip."""
        return f"{base_url.rstrip('/')}/{self.clips[clip_id].file}"

    def durations_by_url(self, base_url: str) -> dict[str, float]:
        """Clip URL -> seconds, as ``ssml.validate(audio_durations=...)`` takes."""
        return {self.url(cid, base_url): clip.duration_seconds for cid, clip in self.clips.items()}


def countdown_clip_id(seconds: int) -> str:
    """Id of the countdown clip for a hold of ``seconds`` (20 to 30, whole seconds)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise TypeError(f"hold length must be whole seconds, not {seconds!r}")
    if as_hold(seconds) is None:
        raise ValueError(f"no countdown clip for {seconds} s (holds are {MIN_HOLD}-{MAX_HOLD} s)")
    return f"hold_{seconds}s"


def parse_manifest(document: Mapping[str, Any]) -> AudioManifest:
    """Build an :class:`AudioManifest` from the decoded JSON document."""
    clips = {}
    for clip_id, entry in document.get("clips", {}).items():
        clips[clip_id] = Clip(
            id=clip_id,
            file=str(entry["file"]),
            kind=str(entry["kind"]),
            text=str(entry["text"]),
            engine=str(entry["engine"]),
            duration_seconds=float(entry["duration_seconds"]),
            bytes=int(entry["bytes"]),
            sha256=str(entry["sha256"]),
            input_hash=str(entry["input_hash"]),
        )
    return AudioManifest(clips, str(document.get("locale") or "en-US"))


@lru_cache(maxsize=8)
def _load(path: str) -> AudioManifest:
    with open(path, encoding="utf-8") as handle:
        return parse_manifest(json.load(handle))


def manifest_path(path: str | Path | None = None) -> Path:
    """The manifest file for ``path`` (a manifest file or an audio directory; default shipped)."""
    target = Path(path) if path is not None else DEFAULT_AUDIO_DIR
    return target / MANIFEST_NAME if target.is_dir() else target


def load_manifest(path: str | Path | None = None) -> AudioManifest:
    """Read (once, then cached) the manifest at ``path``; default: the shipped ``audio/``."""
    return _load(str(manifest_path(path).resolve()))


def clear_cache() -> None:
    """Forget cached manifests (after a rebuild in the same process, e.g. in tests)."""
    _load.cache_clear()


def clip_duration(clip_id: str, path: str | Path | None = None) -> float:
    """Seconds the clip ``clip_id`` of the manifest at ``path`` plays for."""
    return load_manifest(path).duration(clip_id)


def durations_by_url(base_url: str, path: str | Path | None = None) -> dict[str, float]:
    """Clip URL -> seconds for every clip of the manifest at ``path``."""
    return load_manifest(path).durations_by_url(base_url)
