"""One folder per language (skill/locales/<lang>/, docs/locales.md): adding a message is one
edit per language, and what the Lambda package keeps of the folders is enough to answer in
every shipped locale."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.core import catalogue as catalogues
from skill.core import content
from skill.core.catalogue import LOCALES, language_code
from skill.core.speech import msg, plain, say
from skill.hosts import lambda_handler
from skill.tools.generators import translation_table as tt
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.conftest import CheckedConversation

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = Path(content.LANGUAGES_DIR)


def clear_caches() -> None:
    for cached in (catalogues._base, catalogues._catalogue, catalogues._number_variants):
        cached.cache_clear()


@pytest.fixture
def served_from(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Point the catalogues at another copy of the language folders (``served_from(path)``);
    the real folders serve again after the test."""

    def serve(folder: Path) -> None:
        monkeypatch.setattr(content, "LANGUAGES_DIR", str(folder))
        clear_caches()

    yield serve
    monkeypatch.undo()
    clear_caches()


def makefile_steps_on_locales() -> list[str]:
    """The Makefile's commands that prune the language folders, as shell lines."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    return [
        line.strip().replace("$(ARTIFACTS_DIR)", "$ARTIFACTS_DIR")
        for line in text.splitlines()
        if line.strip().startswith("rm ") and "skill/locales" in line
    ]


def lambda_copy(tmp_path: Path) -> Path:
    """skill/locales as the Lambda build leaves it: copied, then the Makefile's own pruning
    commands run on the copy."""
    shutil.copytree(LANGUAGES, tmp_path / "skill" / "locales")
    steps = makefile_steps_on_locales()
    assert steps, "the Makefile no longer prunes the language folders"
    env = {**os.environ, "ARTIFACTS_DIR": str(tmp_path)}
    for step in steps:
        subprocess.run(["bash", "-c", step], check=True, env=env)
    return tmp_path / "skill" / "locales"


def test_the_lambda_package_keeps_the_words_and_drops_the_checkout_only_files(
    tmp_path: Path,
) -> None:
    shipped = lambda_copy(tmp_path)
    kept = sorted(str(p.relative_to(shipped)) for p in shipped.rglob("*") if p.is_file())
    assert kept, "nothing left"
    assert all(
        re.fullmatch(r"\w+/(prompts|knowledge|routines)\.json", p) or "/locales/" in p for p in kept
    ), kept
    for language in ("en", "es"):
        assert {"prompts.json", "knowledge.json", "routines.json"} <= {
            p.name for p in (shipped / language).iterdir()
        }
        for checkout_only in ("tests", "models", "nlu"):
            assert not (shipped / language / checkout_only).exists()


def test_every_locale_answers_from_what_the_lambda_package_keeps(
    tmp_path: Path, served_from
) -> None:
    expected = {locale: catalogues.catalogue_for(locale) for locale in LOCALES}
    emergency = catalogues.catalogue_for("en-US", "911").knowledge.emergency
    shipped = lambda_copy(tmp_path)
    served_from(shipped)
    for locale in LOCALES:
        talk = CheckedConversation(lambda_handler.handler, EnvelopeFactory(locale=locale))
        heard = talk.launch()
        assert heard.speech == expected[locale].text("launch"), locale
        assert catalogues.catalogue_for(locale) == expected[locale], locale
    assert catalogues.catalogue_for("en-US", "911").knowledge.emergency == emergency
    # and the copy is what was read: without its Spanish words, Spanish cannot be built
    (shipped / "es" / "prompts.json").unlink()
    clear_caches()
    with pytest.raises(FileNotFoundError):
        catalogues.catalogue_for("es-MX")


# --- adding a message key: the two edits docs/locales.md lists ---------------------------------
KEY = "a_new_message"
#: The one edit per language: the key, its words and its note, in the language's prompts.
NEW = {
    "en": {"text": "Well done, {name}. {count} stretches today.", "source": "interface"},
    "es": {
        "text": "Bien hecho, {name}. {count} estiramientos hoy.",
        "back": "Well done, {name}. {count} stretches today.",
    },
}


def folders_with(tmp_path: Path, entries: dict[str, dict[str, str]]) -> Path:
    """A copy of the language folders (no test sets) with ``entries`` added, by language, to
    each one's prompts.json, as a person would: one more key at the end of the file."""
    copy = tmp_path / "locales"
    shutil.copytree(LANGUAGES, copy, ignore=shutil.ignore_patterns("tests"))
    for language, entry in entries.items():
        path = copy / language / "prompts.json"
        prompts = json.loads(path.read_text(encoding="utf-8"))
        prompts[KEY] = entry
        path.write_text(json.dumps(prompts, ensure_ascii=False, indent=2), encoding="utf-8")
    return copy


def test_a_new_message_is_one_edit_per_language(tmp_path: Path, served_from) -> None:
    """docs/locales.md, "Adding a message key": skill/locales/en/prompts.json and
    skill/locales/es/prompts.json, nothing else, and every shipped locale says it."""
    served_from(folders_with(tmp_path, NEW))
    for locale in LOCALES:
        catalogue = catalogues.catalogue_for(locale)
        said = plain(say(msg(KEY, name="Ana", count=3)), catalogue)
        assert said == NEW[language_code(locale)]["text"].format(name="Ana", count=3), locale
    # the reviewers' side of the same two edits: counterparts, source, back-translation
    assert tt.counterpart_problems(tt.items("en"), tt.items("es")) == []
    assert tt.sources()[KEY] == "interface"
    assert tt.back_translations()[f"prompts/{KEY}"] == NEW["es"]["back"]
    row = (NEW["en"]["text"], NEW["es"]["text"], NEW["es"]["back"])
    assert tt.read_table(tt.table())[f"prompts/{KEY}"] == row  # docs/translation.md's row


def test_a_message_in_one_language_only_or_without_its_note_is_caught(
    tmp_path: Path, served_from
) -> None:
    """What tests/test_translation.py and tests/test_provenance.py check, on the copy."""
    served_from(folders_with(tmp_path / "en", {"en": NEW["en"]}))
    assert tt.counterpart_problems(tt.items("en"), tt.items("es")) == [
        f"prompts/{KEY}: no Spanish counterpart"
    ]
    spanish_only = {"es": NEW["es"]}
    served_from(folders_with(tmp_path / "es", spanish_only))
    assert tt.counterpart_problems(tt.items("en"), tt.items("es")) == [
        f"prompts/{KEY}: no English counterpart"
    ]
    no_back = {"en": NEW["en"], "es": {"text": NEW["es"]["text"]}}
    served_from(folders_with(tmp_path / "back", no_back))
    assert f"prompts/{KEY}" in tt.items("es")
    assert f"prompts/{KEY}" not in tt.back_translations()
    no_source = {"en": {"text": NEW["en"]["text"]}, "es": NEW["es"]}
    served_from(folders_with(tmp_path / "source", no_source))
    assert tt.sources()[KEY] == ""  # not one of tests/test_provenance.py's SOURCES


# --- adding a locale: its override file and the line in LOCALES ----------------------------------
def test_a_new_locale_is_its_override_file_and_a_line(
    tmp_path: Path, served_from, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/locales.md, "Adding a locale" (the catalogue's part; its model and manifest entry
    are where ask-cli needs them): es-AR answers with its own emergency line once
    its override file (es/locales/es-AR.json, in a copy) exists and LOCALES names it."""
    copy = tmp_path / "locales"
    shutil.copytree(LANGUAGES, copy, ignore=shutil.ignore_patterns("tests"))
    line = {"text": "Llama ahora al uno cero siete.", "back": "Call one zero seven now."}
    override = {"note": "a test locale", "prompts": {"emergency_now": line}}
    (copy / "es" / "locales" / "es-AR.json").write_text(json.dumps(override), encoding="utf-8")
    served_from(copy)
    base = catalogues.catalogue_for("es-US")
    assert catalogues.catalogue_for("es-AR") == base  # not shipped yet: the Spanish default
    monkeypatch.setattr(catalogues, "LOCALES", (*LOCALES, "es-AR"))
    talk = CheckedConversation(lambda_handler.handler, EnvelopeFactory(locale="es-AR"))
    heard = talk.intent("EmergencyIntent")
    assert heard.speech.startswith(line["text"]), heard.speech
    assert talk.launch().speech == base.text("launch")  # the rest is the Spanish base
