"""Check a built audio set against its manifest and the declared clips (stdlib only).

Used by the tests and by ``cramp-coach audio verify``: every MP3 is walked frame by frame
with :mod:`skill.tools.audio.mp3_frames`, its measured length compared with the manifest, its
bytes hashed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from skill.core.audio_manifest import MANIFEST_NAME, parse_manifest
from skill.tools.audio import mp3_frames

#: Hex digits of the content's sha256 in a clip's file name (kept equal to the builder's).
FILE_DIGEST_CHARS = 10
#: How far a clip's length may stray from the manifest's figure.
DURATION_TOLERANCE_SECONDS = 0.1


def verify_set(audio_dir: Path, clip_ids: Sequence[str]) -> list[str]:
    """Every way ``audio_dir`` is not a complete, valid set of ``clip_ids`` (empty if none)."""
    try:
        # Read afresh, not through the runtime cache: the set may have just been rebuilt.
        manifest = parse_manifest(json.loads((audio_dir / MANIFEST_NAME).read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{MANIFEST_NAME}: unreadable: {exc}"]
    problems = [
        f"{cid}: declared but not in the manifest" for cid in clip_ids if cid not in manifest.clips
    ]
    problems += [
        f"{cid}: in the manifest but not declared" for cid in manifest.clips if cid not in clip_ids
    ]
    listed = {clip.file for clip in manifest.clips.values()}
    problems += [
        f"{path.name}: not in the manifest"
        for path in sorted(audio_dir.glob("*.mp3"))
        if path.name not in listed
    ]
    for clip in manifest.clips.values():
        try:
            data = (audio_dir / clip.file).read_bytes()
        except OSError as exc:
            problems.append(f"{clip.id}: {exc}")
            continue
        if len(data) != clip.bytes:
            problems.append(f"{clip.id}: {len(data)} bytes, manifest says {clip.bytes}")
        digest = hashlib.sha256(data).hexdigest()
        if digest != clip.sha256:
            problems.append(f"{clip.id}: sha256 differs from the manifest")
        if clip.file != f"{clip.id}-{digest[:FILE_DIGEST_CHARS]}.mp3":
            problems.append(f"{clip.id}: file name {clip.file} does not carry its content digest")
        problems += [f"{clip.id}: {p}" for p in mp3_frames.alexa_format_problems(data)]
        try:
            seconds = mp3_frames.duration_seconds(mp3_frames.walk_frames(data))
        except mp3_frames.FrameError:
            continue  # already reported by alexa_format_problems
        if abs(seconds - clip.duration_seconds) > DURATION_TOLERANCE_SECONDS:
            problems.append(
                f"{clip.id}: plays {seconds:.3f} s, manifest says {clip.duration_seconds:.3f} s"
            )
    return problems
