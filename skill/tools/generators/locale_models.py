"""Generate each locale's interaction model from its language's source model plus a small
override: ``python -m skill.tools.generators.locale_models`` (``--check`` only compares).

Each generated locale names its source, a model edited by hand: the English models come
from en-US (``interaction_model/interactionModels/custom/en-US.json``), the Spanish ones
(es-MX, es-ES) from es-US, each with the samples and slot synonyms people in that market
say and, where a word belongs to the source's market, some dropped ("charley horse",
"cramp" borrowed into US Spanish). Overrides live in the language's folder,
``skill/locales/<lang>/models/<locale>.json``::

    {"source": "en-US",
     "note": "why",
     "add_samples": {"Intent": ["sample", ...]},
     "drop_samples": {"Intent": ["sample", ...]},
     "add_synonyms": {"SlotType": {"value id": ["synonym", ...]}}}

Whoever adds an intent or sample to a source re-runs this command, so every locale generated
from it gets it; a test fails while a committed model differs from what this command writes.
An override that names an intent, sample or value the source model lacks is an error, not a
no-op; so is one without a source, or whose source is itself generated.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
MODELS_DIR = ROOT / "interaction_model" / "interactionModels" / "custom"
#: The language folders; a locale's override is ``<lang>/models/<locale>.json``.
LANGUAGES_DIR = ROOT / "skill" / "locales"
#: The hand-edited models (one per language) that other locales are generated from.
SOURCES = ("en-US", "es-US")


def model_path(locale: str) -> Path:
    return MODELS_DIR / f"{locale}.json"


def source_locale(locale: str) -> str:
    """The hand-edited model ``locale``'s is generated from, as its override names it."""
    source = load_override(locale).get("source")
    if source not in SOURCES:
        raise ValueError(f"{locale}: the override must name its source, one of {SOURCES}")
    return str(source)


def generated_locales() -> list[str]:
    """Locales whose model is generated: every locale with an override file."""
    return sorted(path.stem for path in LANGUAGES_DIR.glob("*/models/*.json"))


def override_path(locale: str) -> Path:
    return LANGUAGES_DIR / locale.split("-")[0].lower() / "models" / f"{locale}.json"


def load_override(locale: str) -> dict[str, Any]:
    path = override_path(locale)
    return dict(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else {}


def apply(source: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """The source model with ``override`` applied (the source is not changed)."""
    model = copy.deepcopy(source)
    language = model["interactionModel"]["languageModel"]
    intents = {intent["name"]: intent for intent in language["intents"]}
    types = {slot_type["name"]: slot_type for slot_type in language.get("types", [])}
    unknown = set(override) - {"source", "note", "add_samples", "drop_samples", "add_synonyms"}
    if unknown:
        raise ValueError(f"unknown override parts: {sorted(unknown)}")
    for name, drops in override.get("drop_samples", {}).items():
        samples = _intent(intents, name).setdefault("samples", [])
        for sample in drops:
            if sample not in samples:
                raise ValueError(f"{name}: no sample {sample!r} to drop")
            samples.remove(sample)
    for name, additions in override.get("add_samples", {}).items():
        samples = _intent(intents, name).setdefault("samples", [])
        samples.extend(s for s in additions if s not in samples)
    for type_name, by_value in override.get("add_synonyms", {}).items():
        if type_name not in types:
            raise ValueError(f"no slot type {type_name!r}")
        values = {v.get("id") or v["name"]["value"]: v for v in types[type_name]["values"]}
        for value_id, synonyms in by_value.items():
            if value_id not in values:
                raise ValueError(f"{type_name}: no value {value_id!r}")
            listed = values[value_id]["name"].setdefault("synonyms", [])
            listed.extend(s for s in synonyms if s not in listed)
    return model


def _intent(intents: dict[str, Any], name: str) -> dict[str, Any]:
    if name not in intents:
        raise ValueError(f"no intent {name!r} in the source model")
    intent: dict[str, Any] = intents[name]
    return intent


def render(model: dict[str, Any]) -> str:
    """The file text, formatted like the hand-edited source."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def generate(locale: str) -> str:
    source = json.loads(model_path(source_locale(locale)).read_text(encoding="utf-8"))
    return render(apply(source, load_override(locale)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill.tools.generators.locale_models")
    parser.add_argument("--check", action="store_true", help="only report stale models")
    args = parser.parse_args(argv)
    stale = []
    for locale in generated_locales():
        text = generate(locale)
        path = model_path(locale)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(locale)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    verb = "stale" if args.check else "written"
    print(f"models {verb}: {', '.join(stale) or 'none'}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
