"""The deployable skill package (issue #28): built from ``interaction_model/`` with a given
endpoint into a build directory, checked for what a submission needs, while the committed
package keeps its placeholders; and the icons, drawn by ``tools/icons/draw.py``."""

from __future__ import annotations

import hashlib
import io
import json
import runpy
import subprocess
from pathlib import Path

import pytest

from skill.tools import cli
from skill.tools.generators.skill_package import (
    DEFAULT_OUT,
    ICON_SIZES,
    PLACEHOLDER_HOST,
    PackageError,
    build,
    png_size,
    problems,
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "interaction_model"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:cramp-coach-CrampCoachFunction-AbC123:live"
PRIVACY = "https://coach.example.org/privacy/{language}"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN", "es-US", "es-MX", "es-ES")
ICONS = {"icon-108.png": 108, "icon-512.png": 512}


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def manifest_of(package: Path) -> dict:
    return json.loads((package / "skill.json").read_text(encoding="utf-8"))["manifest"]


def test_the_built_package_is_complete_with_the_endpoint_and_no_placeholder(
    tmp_path: Path,
) -> None:
    committed = tree_digest(PACKAGE)
    out = build(tmp_path / "skill-package", ARN, PRIVACY)
    manifest = manifest_of(out)
    # Every locale: its model and its manifest entries.
    assert set(manifest["publishingInformation"]["locales"]) == set(LOCALES)
    for locale in LOCALES:
        model = out / "interactionModels" / "custom" / f"{locale}.json"
        assert json.loads(model.read_text(encoding="utf-8"))["interactionModel"]
        assert manifest["privacyAndCompliance"]["locales"][locale]["privacyPolicyUrl"] == (
            f"https://coach.example.org/privacy/{locale[:2]}"
        )
        # The icons: local assets ask-cli uploads with the package, of Alexa's sizes.
        entry = manifest["publishingInformation"]["locales"][locale]
        for field, size in ICON_SIZES.items():
            assert entry[field].startswith("file://assets/images/")
            icon = out / entry[field].removeprefix("file://")
            assert png_size(icon.read_bytes()) == (size, size)
    # The endpoint is filled: a Lambda ARN alone, no certificate type.
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": ARN}
    # No placeholder anywhere in the package, and the check agrees.
    for path in out.rglob("*.json"):
        assert PLACEHOLDER_HOST not in path.read_text(encoding="utf-8"), path
    assert problems(out) == []
    # The committed package is untouched: it keeps its placeholders.
    assert tree_digest(PACKAGE) == committed
    committed_manifest = manifest_of(PACKAGE)
    assert committed_manifest["apis"]["custom"]["endpoint"]["uri"] == (
        f"https://{PLACEHOLDER_HOST}/alexa"
    )


def test_the_committed_package_keeps_its_placeholders_and_the_check_names_each() -> None:
    found = problems(PACKAGE)
    assert (
        "manifest.apis.custom.endpoint.uri: https://cramp-coach.example.com/alexa is a "
        "placeholder" in found
    )
    for locale in LOCALES:
        assert (
            f"manifest.privacyAndCompliance.locales.{locale}.privacyPolicyUrl: "
            f"https://{PLACEHOLDER_HOST}/privacy is a placeholder"
        ) in found
    assert len(found) == 1 + len(LOCALES)  # nothing else: models, icons are all there


def test_two_builds_with_the_same_endpoint_write_the_same_package(tmp_path: Path) -> None:
    """ask-cli skips a package whose hash did not change, and a changed one carries the same
    endpoint as before: two `ask deploy` runs in a row never fight over the endpoint."""
    first = tree_digest(build(tmp_path / "a", ARN, PRIVACY))
    second = build(tmp_path / "a", ARN, PRIVACY)
    assert tree_digest(second) == first


def test_a_web_service_endpoint_needs_https_on_a_real_host(tmp_path: Path) -> None:
    out = build(tmp_path / "web", "https://coach.example.org/alexa")
    assert manifest_of(out)["apis"]["custom"]["endpoint"] == {
        "uri": "https://coach.example.org/alexa",
        "sslCertificateType": "Trusted",
    }
    for bad in (
        "http://coach.example.org/alexa",
        f"https://{PLACEHOLDER_HOST}/alexa",
        "arn:aws:lambda:us-east-1:12345:function:x",
        "",
    ):
        with pytest.raises(PackageError):
            build(tmp_path / "bad", bad)
    with pytest.raises(PackageError):
        build(tmp_path / "bad", ARN, "http://coach.example.org/privacy")


def test_without_an_endpoint_the_check_says_so(tmp_path: Path) -> None:
    """The first `ask deploy`, which creates the skill before its function exists."""
    out = build(tmp_path / "first", None, PRIVACY)
    assert "endpoint" not in manifest_of(out)["apis"]["custom"]
    assert problems(out) == ["manifest.apis.custom.endpoint: no endpoint"]


def test_the_check_finds_a_missing_model_a_wrong_icon_and_the_policy_contact(
    tmp_path: Path,
) -> None:
    out = build(tmp_path / "broken", ARN, PRIVACY)
    (out / "interactionModels" / "custom" / "es-ES.json").unlink()
    (out / "assets" / "images" / "icon-512.png").write_bytes(
        (out / "assets" / "images" / "icon-108.png").read_bytes()
    )
    policy = tmp_path / "privacy.md"
    policy.write_text((ROOT / "docs" / "privacy.md").read_text(encoding="utf-8"))
    found = problems(out, policy)
    assert any(p.startswith("es-ES: in the manifest but no") for p in found)
    wrong = [p for p in found if "largeIconUri" in p]
    assert len(wrong) == len(LOCALES) and "(108, 108)" in wrong[0]
    assert any("contact line" in p for p in found)


def test_the_commands_build_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pkg"
    assert cli.main(["skill-package", "build", "--endpoint", ARN, "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    # The privacy URLs are still placeholders: the check names them and fails.
    assert cli.main(["skill-package", "check", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("is a placeholder") == len(LOCALES) and "8 thing(s) left" in err
    args = ["skill-package", "build", "--endpoint", ARN, "--privacy-url", PRIVACY]
    assert cli.main([*args, "--out", str(out)]) == 0
    assert cli.main(["skill-package", "check", str(out)]) == 0
    assert "nothing left to fill in" in capsys.readouterr().err
    assert cli.main(["skill-package", "build", "--endpoint", "http://x", "--out", str(out)]) == 2


@pytest.mark.slow
def test_ask_cli_deploys_the_build_copy_which_git_ignores() -> None:
    resources = json.loads((ROOT / "ask-resources.json").read_text(encoding="utf-8"))
    profile = resources["profiles"]["default"]
    assert Path(profile["skillMetadata"]["src"]) == Path(".") / DEFAULT_OUT
    # The function is deployed by SAM, not ask-cli: no code or infrastructure to push.
    assert set(profile) == {"skillMetadata"}
    for path in (str(DEFAULT_OUT / "skill.json"), ".ask/ask-states.json"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, check=False)
        assert ignored.returncode == 0, path  # never committed


@pytest.mark.parametrize(("name", "size"), ICONS.items())
def test_the_icons_are_pngs_of_alexas_sizes_drawn_by_the_script(name: str, size: int) -> None:
    data = (PACKAGE / "assets" / "images" / name).read_bytes()
    assert png_size(data) == (size, size)
    from PIL import Image, ImageChops

    drawn = runpy.run_path(str(ROOT / "tools" / "icons" / "draw.py"))["render"](size)
    committed = Image.open(PACKAGE / "assets" / "images" / name)
    assert committed.format == "PNG" and committed.mode in ("RGB", "RGBA")
    again = Image.open(io.BytesIO(drawn))
    # The same picture: a Pillow upgrade may change the compressed bytes, or a pixel's
    # shade by a step where its resampling rounds differently, not the drawing.
    assert (again.mode, again.size) == (committed.mode, committed.size)
    extrema = ImageChops.difference(again, committed).getextrema()
    assert max(high for _, high in extrema) <= 2, extrema
