"""The declared audio set: which clips exist and what each one says when (stdlib only).

The words live in ``skill/data/audio_clips.json``; the timeline rules (a countdown clip for
every hold length, marks at the right seconds, the chime at release) live here, so the builder
and the tests agree on them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from skill.core.audio_manifest import countdown_clip_id
from skill.core.holds import (
    LAST_FIVE,
    MAX_HOLD,
    MIN_GAP_AFTER_START,
    MIN_HOLD,
    TEN_LEFT,
    TWENTY_LEFT,
)

DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[1] / "data" / "audio_clips.json"
#: The chime starts this long before the hold's end, so it rings out on "release" and the
#: clip stays within half a second of the hold length.
CHIME_LEAD_SECONDS = 0.3
CHIME_SECONDS = 0.6
# A countdown's spoken marks (TWENTY_LEFT, TEN_LEFT, LAST_FIVE: seconds before the end of the
# hold) come from skill.core.holds, whose timeline the spoken and APLA countdowns share.


@dataclass(frozen=True)
class Mark:
    """Speech ``text`` that starts ``at`` seconds into the clip."""

    at: float
    text: str


@dataclass(frozen=True)
class ClipSpec:
    """Everything that decides a clip's sound, except the speech engine."""

    id: str
    kind: str  # "cue" (speech only) or "countdown" (ticks, marks and a release chime)
    marks: tuple[Mark, ...]
    #: Seconds the clip lasts before encoding; ``None`` means "until the speech ends".
    length: float | None = None
    ticks: bool = False
    chime_at: float | None = None

    @property
    def text(self) -> str:
        """What the clip says, with the second of each mark when there are several."""
        if len(self.marks) == 1:
            return self.marks[0].text
        return " ".join(f"[{m.at:g}s] {m.text}" for m in self.marks)

    def input_hash(self, engine_id: str, builder_version: int) -> str:
        """A digest of every input of the clip; an unchanged digest means no rebuild."""
        document = {
            "builder_version": builder_version,
            "engine": engine_id,
            "kind": self.kind,
            "marks": [[m.at, m.text] for m in self.marks],
            "length": self.length,
            "ticks": self.ticks,
            "chime_at": self.chime_at,
        }
        encoded = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(encoded).hexdigest()


def countdown_spec(
    seconds: int, start: str, twenty_left: str, ten_left: str, last_five: list[str]
) -> ClipSpec:
    """The countdown clip for a hold of ``seconds``: start, twenty and ten left, five to one,
    chime."""
    marks = [Mark(0.0, start)]
    if seconds - TWENTY_LEFT >= MIN_GAP_AFTER_START:
        marks.append(Mark(float(seconds - TWENTY_LEFT), twenty_left))
    marks.append(Mark(float(seconds - TEN_LEFT), ten_left))
    marks += [Mark(float(seconds - n), word) for n, word in zip(LAST_FIVE, last_five, strict=True)]
    return ClipSpec(
        id=countdown_clip_id(seconds),
        kind="countdown",
        marks=tuple(marks),
        length=seconds + CHIME_SECONDS - CHIME_LEAD_SECONDS,
        ticks=True,
        chime_at=seconds - CHIME_LEAD_SECONDS,
    )


def load_specs(path: str | Path | None = None) -> list[ClipSpec]:
    """The declared clips: the cues of the data file, then one countdown per hold length."""
    with open(path or DEFAULT_SPEC_PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    specs = []
    for cue in data["cues"]:
        spacing = float(cue.get("spacing_seconds", 0.0))
        words = cue["say"]
        if len(words) > 1 and spacing <= 0:
            raise ValueError(f"cue {cue['id']!r} says several things but has no spacing_seconds")
        marks = tuple(Mark(i * spacing, word) for i, word in enumerate(words))
        specs.append(ClipSpec(id=cue["id"], kind="cue", marks=marks))
    countdown = data["countdown"]
    for seconds in range(MIN_HOLD, MAX_HOLD + 1):
        specs.append(
            countdown_spec(
                seconds,
                countdown["start"],
                countdown["twenty_seconds_left"],
                countdown["ten_seconds_left"],
                countdown["last_five"],
            )
        )
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate clip ids in {path or DEFAULT_SPEC_PATH}")
    return specs
