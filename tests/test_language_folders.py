"""One folder per language (skill/locales/<lang>/, docs/locales.md): what the Lambda package
keeps of it is enough to answer in every shipped locale."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.core import catalogue as catalogues
from skill.core import content
from skill.core.catalogue import LOCALES
from skill.hosts import lambda_handler
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
        assert not (shipped / language / "tests").exists()
        assert not (shipped / language / "models").exists()


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
