"""Operator settings, read from the environment (documented in the README)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


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
        )
