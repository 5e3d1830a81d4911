"""A wheel install (not editable) works on its own: ``cramp-coach chat`` and ``say`` run from
a fresh venv, reading the interaction model and the clips' manifest from the wheel.

Offline and quick: the wheel is built by the PEP 517 hook pip would call, without build
isolation (the dev venv's setuptools, no download), and the fresh venv gets it from pip alone
(``--no-deps``); its dependencies come from the dev venv's
site-packages, named in a ``.pth`` file. Such a path is not a site directory, so the editable
install of the checkout that lives there stays inactive: ``skill`` can only come from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from skill.core.resources import BUNDLED

pytestmark = pytest.mark.slow  # builds the wheel, installs it in a fresh venv

ROOT = Path(__file__).resolve().parents[1]
#: What a build reads: the package, its metadata and what the build step bundles.
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "skill", *BUNDLED)


def run(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CRAMP_COACH_", "PYTHON"))}
    done = subprocess.run(
        [str(a) for a in args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd,
        env={**clean, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources (a build writes build/ and egg-info)."""
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    hook = "import sys; from setuptools import build_meta; build_meta.build_wheel(sys.argv[1])"
    run(sys.executable, "-c", hook, out, cwd=source)
    (built,) = out.glob("cramp_coach-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel; the bin directory."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False, symlinks=True)
    python = home / "bin" / "python"
    site = Path(sysconfig.get_path("purelib", vars={"base": home, "platbase": home}))
    (site / "dev-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    run(*pip, "--python", python, "install", "--quiet", "--no-deps", "--no-compile", wheel)
    return home / "bin"


def test_the_wheel_carries_the_model_and_the_manifest(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in BUNDLED:
        assert any(n.startswith(f"skill/_bundled/{name}") for n in names), name
    assert "skill/_bundled/interaction_model/skill.json" in names
    assert "skill/_bundled/interaction_model/interactionModels/custom/en-US.json" in names
    assert "skill/_bundled/audio/manifest.json" in names
    assert "skill/locales/en/prompts.json" in names
    assert "skill/locales/es/locales/es-MX.json" in names
    assert "skill/locales/es/nlu/numbers.json" in names  # cramp-coach chat --locale es-US
    # each language folder's test sets and model overrides stay in the checkout
    assert not [
        n for n in names if n.startswith(("skill/locales/en/tests", "skill/locales/en/models"))
    ]
    assert "skill/tools/nlu/minilm.npz" in names  # the offline NLU's meaning stage
    # Every clip too (issue #28: a wheel install had no audio, so `audio verify` failed and
    # /audio/ answered 404).
    clips = {p.name for p in (ROOT / "audio").glob("*.mp3")}
    assert clips and {f"skill/_bundled/audio/{c}" for c in clips} <= names


def test_audio_verify_and_the_audio_route_work_from_the_wheel(
    installed: Path, tmp_path: Path
) -> None:
    done = run(installed / "cramp-coach", "audio", "verify", cwd=tmp_path)
    assert "audio: OK in " in done.stderr and "/_bundled/audio" in done.stderr
    clip = next((ROOT / "audio").glob("hold_30s-*.mp3")).name
    code = (
        "import sys; from skill.hosts.web import create_app; from skill.settings import Settings;"
        f"r = create_app(Settings(db='none')).test_client().get('/audio/{clip}');"
        "print(r.status_code, r.mimetype, len(r.data))"
    )
    status, mimetype, size = run(installed / "python", "-c", code, cwd=tmp_path).stdout.split()
    assert (status, mimetype) == ("200", "audio/mpeg")
    assert int(size) == (ROOT / "audio" / clip).stat().st_size


def test_skill_comes_from_the_wheel_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    code = (
        "import skill.core.resources as r, skill.tools.nlu.model as n;"
        " print(r.__file__, n.MODEL_PATH)"
    )
    where = run(installed / "python", "-c", code, cwd=tmp_path).stdout.split()
    assert all(not p.startswith(str(ROOT)) for p in where), where
    assert "/_bundled/interaction_model/" in where[1]


def test_say_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    env = {"CRAMP_COACH_DB": "none"}
    done = run(installed / "cramp-coach", "say", "ask cramp coach for a tip", cwd=tmp_path, env=env)
    assert done.stdout.startswith("alexa> ")
    assert "you> " not in done.stdout and len(done.stdout.split()) > 5


def test_chat_from_the_wheel_counts_a_hold_with_the_bundled_manifest(
    installed: Path, tmp_path: Path
) -> None:
    env = {"CRAMP_COACH_DB": "none", "CRAMP_COACH_AUDIO_BASE_URL": "https://audio.example.com/a"}
    done = run(
        installed / "cramp-coach",
        "chat",
        stdin="open cramp coach\nmy hamstring is cramping\nstop\n",
        cwd=tmp_path,
        env=env,
    )
    assert "alexa> Straighten your leg." in done.stdout
    assert "[countdown clip 30.4s]" in done.stdout  # the clip's length, from the manifest
    assert done.stdout.rstrip().endswith("(session ended)")
