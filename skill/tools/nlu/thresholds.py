"""How the meaning stage's blend and threshold were chosen (``python -m
skill.tools.nlu.thresholds``).

Only from what Alexa itself would be trained on, plus phrasings that must fall back:

- **leave one out over the samples**: each sample of the en-US model, its slots filled with
  a real value, is understood by a model that ignores that very sample in every stage; it
  must come back as its own intent (nearly every sample has a near neighbour, so this is
  what a new phrasing of a covered meaning looks like);
- **out-of-domain phrasings** (``skill/locales/en/tests/nlu/out_of_domain.yaml``, written for
  this): requests for other skills and chatter, which must fall back.

First the cautious similarity (``nlu.CAUTIOUS_SIMILARITY``): how similar an alarm or doctor
intent's nearest sample must be for word overlap alone to carry it below the threshold. It
is the safe bias put as a number, from the samples alone: the similarity that
:data:`ALARM_RECALL` of the alarm and doctor samples, each left out, reach with the rest of
their own intent's samples. (Scored against the out-of-domain phrasings instead, it would
climb until most alarms said in new words fell back: those phrasings outweigh single
samples in the score below, and a missed alarm costs more than a needless "see a doctor".)

Then every (overlap share, threshold) pair of a grid is scored by the mean of the two
accuracies, with that cautious similarity. The scores form a plateau (many pairs within a
point of the best, as so few phrasings separate them), and its edge is where a phrasing
scores just at the threshold; so the pair chosen is the one nearest the centre of the pairs
within :data:`PLATEAU` of the best score. No test set is read: not the paraphrase sets, not
the held-out sets, not the safety sets. ``nlu.CAUTIOUS_SIMILARITY`` is this command's
figure; ``nlu.OVERLAP_SHARE`` and ``nlu.MEANING_THRESHOLD`` are kept within a point of its
best score (docs/nlu.md says where and why they differ); a slow test checks both as samples
are added.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

from skill.core.content import language_path
from skill.tools.nlu.model import (
    CAUTIOUS_INTENTS,
    CAUTIOUS_SIMILARITY,
    FALLBACK,
    MEANING_THRESHOLD,
    OVERLAP_SHARE,
    Evidence,
    Model,
    Understood,
    default_model,
)
from skill.tools.nlu.samples import fill_slots

OUT_OF_DOMAIN = Path(language_path("en", "tests", "nlu", "out_of_domain.yaml"))
SHARES = tuple(round(0.40 + 0.05 * i, 2) for i in range(11))  # 0.40 .. 0.90
THRESHOLDS = tuple(round(0.45 + 0.01 * i, 2) for i in range(31))  # 0.45 .. 0.75
#: The share of alarm and doctor samples (left out) whose meaning must clear the cautious
#: similarity.
ALARM_RECALL = 0.95
#: How far below the best score a pair still counts as on the plateau.
PLATEAU = 0.005


@dataclass(frozen=True)
class Probe:
    """An utterance, the intent it must come back as, and what the NLU found in it."""

    say: str
    intent: str
    found: Understood | Evidence
    _best: dict[float, tuple[tuple[float, str, str] | None]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def heard_as(self, share: float, threshold: float, cautious: float) -> str:
        found = self.found
        if isinstance(found, Understood):
            return found.intent
        best = self._best.get(share)
        if best is None:  # the blend does not depend on the thresholds: once per share
            best = self._best[share] = (found.best(share),)
        stage = found.stage(best[0], threshold, cautious)
        if stage == "meaning" and best[0] is not None:
            return best[0][1]
        if stage == "overlap" and found.words is not None:
            return found.words.candidate.intent
        return FALLBACK


def out_of_domain(language: str = "en") -> list[str]:
    import yaml  # PyYAML is a development dependency

    return [str(s) for s in yaml.safe_load(OUT_OF_DOMAIN.read_text(encoding="utf-8"))[language]]


def leave_one_out(model: Model) -> list[Probe]:
    """Each sample said with real values (the ``n``-th sample of an intent with the
    ``n``-th values, cycling), understood without that sample."""
    probes = []
    for intent, samples in model.samples.items():
        for index, sample in enumerate(samples):
            filled = fill_slots(
                sample, model.slot_types[intent], model.values, model.language.code, index
            )
            if filled is not None:
                found = model.evidence(filled[0], leave_out=(intent, sample))
                probes.append(Probe(filled[0], intent, found))
    return probes


def accuracy(probes: list[Probe], share: float, threshold: float, cautious: float) -> float:
    return sum(p.heard_as(share, threshold, cautious) == p.intent for p in probes) / len(probes)


@dataclass(frozen=True)
class Choice:
    share: float
    threshold: float
    cautious: float
    samples: float
    outside: float

    @property
    def score(self) -> float:
        return (self.samples + self.outside) / 2


def cautious_similarity(samples: list[Probe]) -> float:
    """The similarity that :data:`ALARM_RECALL` of the alarm and doctor samples reach with
    their own intent's other samples (those the exact stages do not take), to 2 places."""
    near = sorted(
        p.found.similar[p.intent][0]
        for p in samples
        if p.intent in CAUTIOUS_INTENTS
        and isinstance(p.found, Evidence)
        and p.intent in p.found.similar
    )
    if not near:
        return 0.0
    index = int((1 - ALARM_RECALL) * len(near))
    return math.floor(near[index] * 100) / 100


def choose(
    samples: list[Probe], outside: list[Probe], cautious: float
) -> tuple[Choice, list[Choice]]:
    """The pair at the centre of the best plateau of the grid, and every pair scored, with
    the ``cautious`` similarity."""
    grid = [
        Choice(
            share,
            threshold,
            cautious,
            accuracy(samples, share, threshold, cautious),
            accuracy(outside, share, threshold, cautious),
        )
        for share in SHARES
        for threshold in THRESHOLDS
    ]
    top = max(c.score for c in grid)
    plateau = [c for c in grid if c.score >= top - PLATEAU]
    share = sum(c.share for c in plateau) / len(plateau)
    threshold = sum(c.threshold for c in plateau) / len(plateau)
    # Distances in grid steps, so both axes count alike; ties go to the earlier pair.
    centre = min(
        plateau,
        key=lambda c: ((c.share - share) / 0.05) ** 2 + ((c.threshold - threshold) / 0.01) ** 2,
    )
    return centre, grid


def shipped(samples: list[Probe], outside: list[Probe]) -> Choice:
    """The constants in skill/tools/nlu/model.py, scored as the grid is."""
    return Choice(
        OVERLAP_SHARE,
        MEANING_THRESHOLD,
        CAUTIOUS_SIMILARITY,
        accuracy(samples, OVERLAP_SHARE, MEANING_THRESHOLD, CAUTIOUS_SIMILARITY),
        accuracy(outside, OVERLAP_SHARE, MEANING_THRESHOLD, CAUTIOUS_SIMILARITY),
    )


def probes(model: Model | None = None) -> tuple[list[Probe], list[Probe]]:
    """The leave-one-out probes and the out-of-domain probes of the en-US model."""
    model = model or default_model()
    if model.meaning is None:
        raise SystemExit("the meaning stage needs numpy: pip install -e '.[nlu]'")
    outside = [Probe(say, FALLBACK, model.evidence(say)) for say in out_of_domain()]
    return leave_one_out(model), outside


def main(argv: list[str] | None = None) -> int:
    import argparse

    argparse.ArgumentParser(prog="python -m skill.tools.nlu.thresholds").parse_args(argv)
    samples, outside = probes()
    cautious = cautious_similarity(samples)
    print(f"cautious similarity ({ALARM_RECALL:.0%} of the alarm and doctor samples): {cautious}")
    best, grid = choose(samples, outside, cautious)
    print(f"leave-one-out samples: {len(samples)}; out-of-domain phrasings: {len(outside)}")
    top = max(c.score for c in grid)
    plateau = [c for c in grid if c.score >= top - PLATEAU]
    print(f"{len(plateau)} pairs within {PLATEAU:.1%} of the best score, the best first")
    print("(overlap share, threshold, cautious: samples right, out-of-domain fallen back):")
    for choice in sorted(plateau, key=lambda c: -c.score)[:12]:
        print(f"  {_triple(choice)}")
    print(
        f"chosen: OVERLAP_SHARE = {best.share}, MEANING_THRESHOLD = {best.threshold}, "
        f"CAUTIOUS_SIMILARITY = {best.cautious}: {best.samples:.1%}, {best.outside:.1%}"
    )
    print(f"in skill/tools/nlu/model.py: {_triple(shipped(samples, outside))}")
    words = [p for p in samples if isinstance(p.found, Understood)]
    print(f"(samples the exact stages still took without their own pattern: {len(words)})")
    return 0


def _triple(choice: Choice) -> str:
    return (
        f"{choice.share:.2f}, {choice.threshold:.2f}, {choice.cautious:.2f}: "
        f"{choice.samples:.1%}, {choice.outside:.1%} (score {choice.score:.2%})"
    )


if __name__ == "__main__":
    sys.exit(main())
