"""The skill package ``ask deploy`` uploads, and the check that nothing is left to fill in.

``interaction_model/`` is committed with placeholders: the endpoint and the privacy policy's
address are on ``cramp-coach.example.com``, which every operator replaces with their own.
:func:`build` copies it into a build directory (``build/skill-package``, git-ignored, where
``ask-resources.json`` points) with the endpoint filled in: the SAM stack's ``FunctionArn``
output, or the HTTPS URL of a self-hosted Flask service. The committed files never change, so
the real endpoint is never committed, and a second build with the same endpoint writes the
same bytes: ``ask deploy`` twice in a row pushes the same endpoint the console shows.

:func:`problems` lists what would stop a submission: a placeholder left anywhere in the
manifest, a locale without its interaction model (or the reverse), a missing or wrongly sized
icon, no endpoint. ``cramp-coach skill-package check`` runs it (docs/deploy.md).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from skill.core.resources import resource_path

#: The committed skill package.
SOURCE = Path(resource_path("interaction_model"))
#: Where ``ask-resources.json`` expects the build (relative to the repository root).
DEFAULT_OUT = Path("build") / "skill-package"
#: The host every placeholder address is on.
PLACEHOLDER_HOST = "cramp-coach.example.com"
#: Written by the operator into the published privacy policy (docs/privacy.md).
POLICY_PLACEHOLDER = "(set by the operator)"
#: Alexa's icon sizes, by manifest field (PNG, square).
ICON_SIZES = {"smallIconUri": 108, "largeIconUri": 512}
#: A Lambda function's ARN, with an optional alias or version (the stack's output is the
#: ``live`` alias).
LAMBDA_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:lambda:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:function:[\w-]+(?::[\w$-]+)?"
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MODELS = Path("interactionModels") / "custom"


class PackageError(ValueError):
    """An endpoint or address that Alexa would refuse."""


def endpoint_of(value: str) -> dict[str, str]:
    """The manifest's ``apis.custom.endpoint`` for a Lambda ARN or an HTTPS URL."""
    value = value.strip()
    if LAMBDA_ARN.fullmatch(value):
        return {"uri": value}
    if _https(value):
        # Alexa calls a web service only over HTTPS with a certificate it trusts.
        return {"uri": value, "sslCertificateType": "Trusted"}
    raise PackageError(
        f"not a Lambda function ARN or an https:// URL on the operator's host: {value!r}"
    )


def _https(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.hostname) and PLACEHOLDER_HOST not in value


def build(
    out: Path,
    endpoint: str | None,
    privacy_url: str | None = None,
    source: Path = SOURCE,
) -> Path:
    """Write the package to ``out`` (replacing what was there) with ``endpoint`` filled in
    (None: no endpoint, for creating the skill before its function exists) and, if given,
    ``privacy_url`` as every locale's privacy policy address (``{language}`` in it becomes
    the locale's language, ``en`` or ``es``, for a policy page per language)."""
    filled = endpoint_of(endpoint) if endpoint is not None else None
    if privacy_url is not None and not _https(privacy_url.replace("{language}", "en")):
        raise PackageError(f"the privacy policy needs an https:// URL: {privacy_url!r}")
    manifest = json.loads((source / "skill.json").read_text(encoding="utf-8"))
    custom = manifest["manifest"]["apis"]["custom"]
    if filled is None:
        custom.pop("endpoint", None)
    else:
        custom["endpoint"] = filled
    if privacy_url is not None:
        for locale, entry in manifest["manifest"]["privacyAndCompliance"]["locales"].items():
            entry["privacyPolicyUrl"] = privacy_url.replace("{language}", locale.split("-")[0])
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (out / "skill.json").write_text(text, encoding="utf-8")
    return out


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header, or None if ``data`` is not a PNG."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _icon_problems(package: Path, locale: str, entry: dict[str, Any]) -> Iterator[str]:
    for field, size in ICON_SIZES.items():
        uri = entry.get(field)
        where = f"publishingInformation.locales.{locale}.{field}"
        if not isinstance(uri, str) or not uri:
            yield f"{where}: no icon"
        elif uri.startswith("file://"):
            path = package / uri.removeprefix("file://")
            found = png_size(path.read_bytes()) if path.is_file() else None
            if found != (size, size):
                yield f"{where}: {uri} is not a {size}x{size} PNG in the package ({found})"
        elif not uri.startswith("https://"):
            yield f"{where}: {uri} is neither a file in the package nor an https:// URL"


def problems(package: Path, policy: Path | None = None) -> list[str]:
    """What would stop this package (and the published privacy policy ``policy``, if given)
    from being submitted; empty when nothing is left."""
    manifest_path = package / "skill.json"
    if not manifest_path.is_file():
        return [f"{manifest_path}: no skill.json"]
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))["manifest"]
    found = [
        f"{path}: {value} is a placeholder"
        for path, value in _strings(manifest, "manifest")
        if PLACEHOLDER_HOST in value
    ]
    endpoint = manifest.get("apis", {}).get("custom", {}).get("endpoint", {}).get("uri")
    if not endpoint:
        found.append("manifest.apis.custom.endpoint: no endpoint")
    locales = manifest["publishingInformation"]["locales"]
    models = {p.stem for p in (package / _MODELS).glob("*.json")}
    for locale in sorted(set(locales) | models):
        if locale not in models:
            found.append(f"{locale}: in the manifest but no {_MODELS / locale}.json")
        if locale not in locales:
            found.append(f"{locale}: an interaction model but no manifest entry")
            continue
        found += _icon_problems(package, locale, locales[locale])
        privacy = manifest["privacyAndCompliance"]["locales"].get(locale, {})
        if not privacy.get("privacyPolicyUrl"):
            found.append(f"privacyAndCompliance.locales.{locale}: no privacy policy URL")
    if policy is not None and POLICY_PLACEHOLDER in policy.read_text(encoding="utf-8"):
        found.append(f"{policy}: the contact line still says {POLICY_PLACEHOLDER!r}")
    return found
