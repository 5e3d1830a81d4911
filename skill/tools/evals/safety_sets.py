"""The labelled safety sets: where each language's sets are, the classes, and a set read into
cases; what a verdict on a case and a set's figures hold (:mod:`skill.tools.evals.safety` runs
them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from skill.core.content import language_path
from skill.tools.evals import read_yaml


def safety_set(language: str, name: str) -> Path:
    """A language's safety set ``skill/locales/<language>/tests/safety/<name>.yaml``."""
    return Path(language_path(language, "tests", "safety", f"{name}.yaml"))


def set_name(path: Path) -> str:
    """How a report names a set: ``es/.../frozen.yaml`` for a language's (every language's
    sets have the same file names), else the file name."""
    languages = Path(language_path(""))
    return str(path.relative_to(languages)) if path.is_relative_to(languages) else path.name


FROZEN = safety_set("en", "frozen")
TUNING = safety_set("en", "tuning")
FROZEN_ES = safety_set("es", "frozen")
TUNING_ES = safety_set("es", "tuning")
#: Issue 22's fitted sets of its categories (English, Spanish).
CATEGORIES = safety_set("en", "tuning_categories")
CATEGORIES_ES = safety_set("es", "tuning_categories")
#: Each language's (tuning set, frozen set).
SETS = {"en": (TUNING, FROZEN), "es": (TUNING_ES, FROZEN_ES)}
ALARMS = ("emergency", "injury", "warning")
#: ``info``: an ordinary question that must raise no alarm.
CLASSES = (*ALARMS, "seed", "stretch", "info")
#: Keys of a set's entry that the verdict reads; any other key is a note.
_KEYS = ("say", "class", "situation", "during")


@dataclass(frozen=True)
class Case:
    say: str
    kind: str
    situations: tuple[str, ...] = ()
    during: str | None = None
    notes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Verdict:
    case: Case
    heard: str
    intent: str
    ended: bool
    unsafe: bool
    right: bool
    why: str = ""
    #: The first sentence heard calls for help (the locale's emergency line is in it).
    called: bool = False


@dataclass
class Figures:
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def alarms(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.case.kind in ALARMS]

    @property
    def unsafe(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.unsafe]

    @property
    def uncalled(self) -> list[Verdict]:
        """Emergencies whose first answer does not open with a call for help (the emergency
        line, or the safety sentence that carries it): none is the bar, whatever the
        routing."""
        return [v for v in self.verdicts if v.case.kind == "emergency" and not v.called]

    def share(self, kinds: Iterable[str] | None = None) -> tuple[int, int, float]:
        wanted = set(kinds or CLASSES)
        chosen = [v for v in self.verdicts if v.case.kind in wanted]
        right = sum(v.right for v in chosen)
        return right, len(chosen), (100.0 * right / len(chosen) if chosen else 100.0)


def load_cases(path: Path) -> list[Case]:
    cases = []
    for entry in read_yaml(path) or []:
        kind = str(entry["class"])
        if kind not in CLASSES:
            raise ValueError(f"{path.name}: unknown class {kind!r} for {entry['say']!r}")
        # One situation may be written as a plain string (the blind sets) or as a list.
        raw = entry.get("situation") or ()
        situations = (str(raw),) if isinstance(raw, str) else tuple(str(s) for s in raw)
        notes = tuple((str(k), str(v)) for k, v in entry.items() if k not in _KEYS)
        cases.append(Case(str(entry["say"]), kind, situations, entry.get("during"), notes))
    return cases
