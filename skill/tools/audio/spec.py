"""The declared audio set: which clips exist and what each one says when (stdlib only).

The cues are listed in ``skill/data/audio_clips.json``: each says words of its own (``say``) or
prompts of the English catalogue (``prompt``, by key), one every ``spacing_seconds``. A
countdown says what the spoken countdown says (:attr:`skill.core.catalogue.Catalogue.countdown`),
so the words exist once for both. The timeline rules (a countdown clip for every hold length,
marks at the right seconds, the chime at release) live here, so the builder and the tests agree
on them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from skill.core.audio_manifest import countdown_clip_id
from skill.core.catalogue import Catalogue, catalogue_for
from skill.core.holds import MAX_HOLD, MIN_HOLD, Countdown, Cue

DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[2] / "data" / "audio_clips.json"
#: The clips are recorded once, in English, for every English locale.
CLIP_LOCALE = "en-US"
#: The chime starts this long before the hold's end, so it rings out on "release" and the
#: clip stays within half a second of the hold length.
CHIME_LEAD_SECONDS = 0.3
CHIME_SECONDS = 0.6
#: A "seconds left" mark is said only when there is this much room for it after the start
#: mark (so a 20 s hold has no "twenty seconds left", as in the spoken countdown).
MIN_GAP_AFTER_START = 2.0


#: Speech ``text`` that starts ``at`` seconds into the clip: the same timed word as a hold's
#: cue, so a clip's marks and the spoken and APLA countdowns share one type.
Mark = Cue


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


def countdown_spec(seconds: int, words: Countdown) -> ClipSpec:
    """The countdown clip for a hold of ``seconds``: start, the seconds-left marks there is
    room for, the last count one word a second up to the end, chime. The release is spoken
    after the clip."""
    marks = [Mark(0.0, words.start)]
    for left in sorted(words.left, reverse=True):
        if seconds - left >= MIN_GAP_AFTER_START:
            marks.append(Mark(float(seconds - left), words.left[left]))
    count = len(words.count)
    marks += [Mark(float(seconds - count + i), word) for i, word in enumerate(words.count)]
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
    catalogue: Catalogue = catalogue_for(CLIP_LOCALE)
    specs = []
    for cue in data["cues"]:
        spacing = float(cue.get("spacing_seconds", 0.0))
        words = cue["say"] if "say" in cue else [catalogue.text(key) for key in cue["prompt"]]
        if len(words) > 1 and spacing <= 0:
            raise ValueError(f"cue {cue['id']!r} says several things but has no spacing_seconds")
        marks = tuple(Mark(i * spacing, word) for i, word in enumerate(words))
        specs.append(ClipSpec(id=cue["id"], kind="cue", marks=marks))
    for seconds in range(MIN_HOLD, MAX_HOLD + 1):
        specs.append(countdown_spec(seconds, catalogue.countdown))
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate clip ids in {path or DEFAULT_SPEC_PATH}")
    return specs
