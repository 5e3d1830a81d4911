"""SSML ``<audio>`` fragments for the built clips, kept inside Alexa's audio budget.

Alexa plays at most 5 clips and 240 s of audio per response (90 s in a reprompt); a response
over either limit is rejected whole. The routine calls :func:`countdown_audio` when
``Settings.audio_base_url`` is set and falls back to its spoken countdown on
:class:`AudioUnavailable`.
"""

from __future__ import annotations

from collections.abc import Sequence

from skill.core import ssml
from skill.core.audio_manifest import AudioManifest, countdown_clip_id, load_manifest


class AudioUnavailable(LookupError):
    """No usable clip: the manifest is missing or unreadable, or lacks the clip."""


def _manifest(manifest: AudioManifest | None) -> AudioManifest:
    if manifest is not None:
        return manifest
    try:
        return load_manifest()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AudioUnavailable(f"audio manifest unreadable: {exc}") from exc


def clip_audio(clip_id: str, base_url: str, manifest: AudioManifest | None = None) -> str:
    """The ``<audio src=.../>`` fragment for clip ``clip_id`` served under ``base_url``."""
    if not base_url.startswith("https://"):
        raise ValueError(f"Alexa fetches audio over HTTPS only, not {base_url!r}")
    chosen = _manifest(manifest)
    if clip_id not in chosen.clips:
        raise AudioUnavailable(f"no clip {clip_id!r} in the audio manifest")
    return ssml.audio(chosen.url(clip_id, base_url))


def countdown_audio(seconds: int, base_url: str, manifest: AudioManifest | None = None) -> str:
    """The ``<audio>`` fragment that counts a hold of ``seconds`` (20 to 30) out loud."""
    return clip_audio(countdown_clip_id(seconds), base_url, manifest)


def budget_problems(
    clip_ids: Sequence[str], *, reprompt: bool = False, manifest: AudioManifest | None = None
) -> list[str]:
    """Ways playing ``clip_ids`` in one response would break Alexa's limits (empty if none)."""
    chosen = _manifest(manifest)
    limit = ssml.MAX_REPROMPT_AUDIO_SECONDS if reprompt else ssml.MAX_AUDIO_SECONDS
    problems = []
    if len(clip_ids) > ssml.MAX_AUDIO_CLIPS:
        problems.append(f"{len(clip_ids)} audio clips, limit is {ssml.MAX_AUDIO_CLIPS}")
    unknown = [cid for cid in clip_ids if cid not in chosen.clips]
    if unknown:
        problems.append(f"clips not in the manifest: {', '.join(unknown)}")
    total = sum(chosen.duration(cid) for cid in clip_ids if cid in chosen.clips)
    if total > limit:
        problems.append(f"{total:.1f} s of audio, limit is {limit:g} s")
    return problems


def fits_budget(
    clip_ids: Sequence[str], *, reprompt: bool = False, manifest: AudioManifest | None = None
) -> bool:
    """Whether ``clip_ids`` can all play in one response (or reprompt)."""
    return not budget_problems(clip_ids, reprompt=reprompt, manifest=manifest)
