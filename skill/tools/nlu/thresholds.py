"""How the meaning stage's blend and threshold were chosen (``python -m
skill.tools.nlu.thresholds``).

Only from what Alexa itself would be trained on, plus phrasings that must fall back:

- **leave one out over the samples**: each sample of the en-US model, its slots filled with
  a real value, is understood by a model that ignores that very sample in every stage; it
  must come back as its own intent (nearly every sample has a near neighbour, so this is
  what a new phrasing of a covered meaning looks like);
- **out-of-domain phrasings** (``skill/locales/en/tests/nlu/out_of_domain.yaml``, written for
  this): requests for other skills and chatter, which must fall back.

Every (overlap share, threshold) pair of a grid is scored by the mean of the two accuracies.
The scores form a plateau (many pairs within a point of the best, as so few phrasings
separate them), and its edge is where a phrasing scores just at the threshold; so the pair
chosen is the one nearest the centre of the pairs within :data:`PLATEAU` of the best score.
No test set is read: not the paraphrase sets, not the held-out sets, not the safety sets.
``nlu.OVERLAP_SHARE`` and ``nlu.MEANING_THRESHOLD`` are this command's choice; a slow test
checks they stay on its plateau as samples are added (re-run it when they fall off).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from skill.core.content import language_path
from skill.tools.nlu.model import (
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
#: How far below the best score a pair still counts as on the plateau.
PLATEAU = 0.005


@dataclass(frozen=True)
class Probe:
    """An utterance, the intent it must come back as, and what the NLU found in it."""

    say: str
    intent: str
    found: Understood | Evidence

    def heard_as(self, share: float, threshold: float) -> str:
        found = self.found
        if isinstance(found, Understood):
            return found.intent
        return found.decide(share, threshold).intent


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


def accuracy(probes: list[Probe], share: float, threshold: float) -> float:
    return sum(p.heard_as(share, threshold) == p.intent for p in probes) / len(probes)


@dataclass(frozen=True)
class Choice:
    share: float
    threshold: float
    samples: float
    outside: float

    @property
    def score(self) -> float:
        return (self.samples + self.outside) / 2


def choose(samples: list[Probe], outside: list[Probe]) -> tuple[Choice, list[Choice]]:
    """The pair at the centre of the best plateau of the grid, and every pair scored."""
    grid = [
        Choice(
            share,
            threshold,
            accuracy(samples, share, threshold),
            accuracy(outside, share, threshold),
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
    best, grid = choose(samples, outside)
    print(f"leave-one-out samples: {len(samples)}; out-of-domain phrasings: {len(outside)}")
    top = max(c.score for c in grid)
    plateau = [c for c in grid if c.score >= top - PLATEAU]
    print(f"{len(plateau)} pairs within {PLATEAU:.1%} of the best score, the best first")
    print("(overlap share, threshold: samples right, out-of-domain fallen back):")
    for choice in sorted(plateau, key=lambda c: -c.score)[:12]:
        print(
            f"  {choice.share:.2f}, {choice.threshold:.2f}: "
            f"{choice.samples:.1%}, {choice.outside:.1%}"
        )
    print(f"chosen: OVERLAP_SHARE = {best.share}, MEANING_THRESHOLD = {best.threshold}")
    now = Choice(
        OVERLAP_SHARE,
        MEANING_THRESHOLD,
        accuracy(samples, OVERLAP_SHARE, MEANING_THRESHOLD),
        accuracy(outside, OVERLAP_SHARE, MEANING_THRESHOLD),
    )
    print(
        f"in skill/tools/nlu/model.py: {now.share}, {now.threshold}: "
        f"{now.samples:.1%}, {now.outside:.1%}"
    )
    words = [p for p in samples if isinstance(p.found, Understood)]
    print(f"(samples the exact stages still took without their own pattern: {len(words)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
