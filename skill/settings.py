"""Operator settings, read from the environment (documented in the README)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


HOLD_AUDIO_CHOICES = ("auto", "apla", "ssml")
#: The sound-library tick used for ``CRAMP_COACH_HOLD_TICK=on`` (why this one: docs/audio.md).
DEFAULT_TICK = "soundbank://soundlibrary/clocks/ticks/ticks_01"
SOUND_LIBRARY = "soundbank://soundlibrary/"


def _choice(value: str | None, choices: tuple[str, ...], default: str) -> str:
    chosen = (value or "").strip().lower()
    return chosen if chosen in choices else default


def _tick(value: str | None) -> str | None:
    """``on`` means :data:`DEFAULT_TICK`; anything but a sound-library URI means no tick (Alexa
    hosts those sounds, so nothing needs serving)."""
    chosen = (value or "").strip()
    if chosen.lower() in {"1", "on", "yes", "true"}:
        return DEFAULT_TICK
    return chosen if chosen.startswith(SOUND_LIBRARY) else None


@dataclass(frozen=True)
class Settings:
    """Everything an operator can set. Defaults are the safe production choices."""

    #: Skill IDs allowed to call the web service (``CRAMP_COACH_SKILL_ID``, comma-separated).
    #: Empty means any (only sensible with verification off, for local development).
    skill_ids: tuple[str, ...] = ()
    #: Verify Alexa's request signature and timestamp (``CRAMP_COACH_VERIFY_SIGNATURES``).
    verify_signatures: bool = True
    #: PEM bundle of trusted roots for signature checks (``CRAMP_COACH_TRUSTED_ROOTS``).
    trusted_roots_path: str | None = None
    #: HTTPS base URL where ``audio/`` is served (``CRAMP_COACH_AUDIO_BASE_URL``).
    audio_base_url: str | None = None
    #: Persistence: a SQLite file path or ``dynamodb:TABLE`` (``CRAMP_COACH_DB``).
    db: str | None = None
    #: How holds are counted (``CRAMP_COACH_HOLD_AUDIO``): ``auto`` (the hosted clip when
    #: ``audio_base_url`` is set, else APL for audio), ``apla``, or ``ssml`` (spoken countdown
    #: or hosted clip in the speech). See docs/audio.md.
    hold_audio: str = "auto"
    #: A quiet sound-library tick under APLA holds (``CRAMP_COACH_HOLD_TICK``): ``on`` for the
    #: documented default, a ``soundbank://soundlibrary/...`` URI, or unset for none.
    hold_tick: str | None = None
    #: Offer the opt-in cramp log (``CRAMP_COACH_CRAMP_LOG``, on by default). Off, the skill
    #: never asks, logs or counts cramps and drops any it kept: what template.yaml sets for
    #: Alexa, where a stored health history needs the HIPAA-eligible path (docs/privacy.md).
    cramp_log: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        ids = tuple(s.strip() for s in env.get("CRAMP_COACH_SKILL_ID", "").split(",") if s.strip())
        base = env.get("CRAMP_COACH_AUDIO_BASE_URL", "").strip() or None
        return cls(
            skill_ids=ids,
            verify_signatures=_flag(env.get("CRAMP_COACH_VERIFY_SIGNATURES"), True),
            trusted_roots_path=env.get("CRAMP_COACH_TRUSTED_ROOTS", "").strip() or None,
            audio_base_url=base.rstrip("/") if base else None,
            db=env.get("CRAMP_COACH_DB", "").strip() or None,
            hold_audio=_choice(env.get("CRAMP_COACH_HOLD_AUDIO"), HOLD_AUDIO_CHOICES, "auto"),
            hold_tick=_tick(env.get("CRAMP_COACH_HOLD_TICK")),
            cramp_log=_flag(env.get("CRAMP_COACH_CRAMP_LOG"), True),
        )
