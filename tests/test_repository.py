"""The README's promises hold: two set-up commands at the top, CI runs the test one."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "README has no sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = readme.index("```sh")
    assert readme[:first_block].strip().startswith("# Cramp Coach")
    assert len(readme[:first_block].strip().splitlines()) <= 2
    run, test = readme_commands()
    assert "cramp-coach" in run
    assert "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim_then_every_test() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[1] in ci
    assert ci.index(".ci/test-all") > ci.index(readme_commands()[1])


def test_every_test_runs_in_ci_the_slow_ones_too() -> None:
    """``pytest -q`` leaves the slow tests out (pyproject.toml); .ci/test-all puts them back
    (``-m ""``), on every core, in a random order whose seed it prints."""
    test_all = (ROOT / ".ci" / "test-all").read_text()
    assert os.access(ROOT / ".ci" / "test-all", os.X_OK)
    assert '-m ""' in test_all and "-n auto" in test_all
    assert "--random-order-seed=" in test_all and "echo " in test_all


# --- every path the repository cites exists -------------------------------------------
#: Top-level entries a repo path starts with, and top-level files cited by name.
TOP_DIRS = ("skill", "tests", "docs", "bench", "audio", "interaction_model", "tools", ".ci")
TOP_FILES = (
    "README.md",
    "Makefile",
    "template.yaml",
    "pyproject.toml",
    "lambda-requirements.txt",
    "samconfig.toml",
    "ask-resources.json",
    "setup.py",
    "MANIFEST.in",
)
_DIRS = "|".join(map(re.escape, TOP_DIRS))
_FILES = "|".join(map(re.escape, TOP_FILES))
REPO_PATH = re.compile(rf"(?<![\w./-])((?:{_DIRS})/[\w./*-]*[\w*]|(?:{_FILES})(?![\w.-]))")
#: Names written like paths that are not files.
NOT_PATHS = ("audio/mpeg",)  # a MIME type
#: The language sets moved into skill/locales/<lang>/tests/ with their bytes unchanged (the
#: frozen ones' sha256 are pinned; a set is never edited): the paths their header comments
#: cite are where they lived when written. Accepted only in a set, and only while the set
#: each names exists.
MOVED = {
    "tests/nlu_paraphrases.yaml": "skill/locales/en/tests/nlu/paraphrases.yaml",
    "tests/nlu_heldout.yaml": "skill/locales/en/tests/nlu/heldout.yaml",
    "tests/nlu_paraphrases_es.yaml": "skill/locales/es/tests/nlu/paraphrases.yaml",
    "tests/nlu_heldout_es.yaml": "skill/locales/es/tests/nlu/heldout.yaml",
    "tests/safety/frozen.yaml": "skill/locales/en/tests/safety/frozen.yaml",
    "tests/safety/tuning.yaml": "skill/locales/en/tests/safety/tuning.yaml",
    "tests/safety/frozen_es.yaml": "skill/locales/es/tests/safety/frozen.yaml",
    "tests/safety/tuning_es.yaml": "skill/locales/es/tests/safety/tuning.yaml",
}
SETS = "skill/locales/*/tests/**/*.yaml"
#: Made by a build, never in a checkout: the wheel's copy of interaction_model/ and audio/.
BUILT = "skill/_bundled"
#: A module or attribute cited in backticks or a Sphinx role: ``skill.core.memory``.
DOTTED = re.compile(r"`~?((?:skill|bench|tests)(?:\.\w+)+)(?:\(\))?`")
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
SKIP_DIRS = {"build", "dist", "node_modules", "__pycache__"}


def cited_in() -> list[Path]:
    """Code, docs and build files of the checkout (not the seed text it quotes)."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIP_DIRS
            and not d.endswith(".egg-info")
            and (d == ".ci" or not d.startswith("."))
            and here / d != ROOT / "docs" / "source"
        )
        for name in sorted(files):
            if Path(name).suffix in {".py", ".md", ".yaml", ".toml", ".txt"} or name in {
                "Makefile",
                "run",
            }:
                found.append(here / name)
    return found


def resolves(name: str) -> bool:
    """Whether ``a.b.c`` names an importable module or an attribute of one."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


def test_the_scan_sees_code_docs_and_build_files() -> None:
    names = {str(p.relative_to(ROOT)) for p in cited_in()}
    assert {"README.md", "Makefile", ".ci/run", "docs/architecture.md"} <= names
    assert "skill/alexa/handlers/base.py" in names and "tests/test_repository.py" in names
    assert not any(n.startswith("docs/source/") for n in names)


def test_every_repo_path_cited_exists() -> None:
    missing = []
    sets = {*ROOT.glob(SETS), Path(__file__).resolve()}  # the sets, and MOVED itself
    for path in cited_in():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in REPO_PATH.finditer(line):
                cited = match.group(1).rstrip(".")
                if line[match.end() :].startswith(("/<", "/{", "<", "{")):
                    continue  # a pattern (skill/locales/<lang>/locales/<locale>.json), not a path
                if cited in NOT_PATHS or cited.startswith(BUILT):
                    continue
                if path in sets and cited in MOVED and (ROOT / MOVED[cited]).exists():
                    continue
                if not any(ROOT.glob(cited)):
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {cited}")
    assert missing == []


def test_every_markdown_link_inside_the_repo_resolves() -> None:
    missing = []
    for path in cited_in():
        if path.suffix != ".md":
            continue
        for target in MARKDOWN_LINK.findall(path.read_text()):
            if re.match(r"[a-z]+:", target):
                continue  # a web address: not ours to check offline
            if not (path.parent / target).exists():
                missing.append(f"{path.relative_to(ROOT)}: {target}")
    assert missing == []


def test_every_module_cited_in_backticks_exists() -> None:
    missing = []
    for path in cited_in():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for name in DOTTED.findall(line):
                if name.rsplit(".", 1)[1] not in {"json", "py", "md", "yaml"} and not resolves(
                    name
                ):
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {name}")
    assert missing == []


def test_nothing_cites_a_place_outside_the_repo() -> None:
    outside = re.compile(r"(?:\.\./)+shared/|/work/|(?<![\w/])shared/(?:seed|docs)/")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in cited_in()
        if path != Path(__file__).resolve()  # the pattern above
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if outside.search(line)
    ]
    assert found == []
