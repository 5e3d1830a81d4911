"""Import ask-sdk-webservice-support on machines where its stock verifier's import breaks.

Why: ``ask_sdk_webservice_support.verifier`` imports certvalidator, whose oscrypto 1.3.0 cannot
parse OpenSSL 3.0.10+ version strings and raises at import time, so neither the webservice
handler nor flask-ask-sdk imports on current Debian/Ubuntu. We never use the stock
``RequestVerifier`` (``skill.alexa.verification`` replaces it), but its module must import.

Where the real certvalidator imports, it is used untouched. Only where it fails do we register a
fail-closed stand-in: any certificate validation through it raises ``ValidationError``, which the
stock verifier turns into a rejection. Nothing installed is patched.

Import the SDK names from here, never from ``ask_sdk_webservice_support`` directly.
"""

from __future__ import annotations

import logging
import sys
import types
from typing import Any, NoReturn

_log = logging.getLogger(__name__)

#: Set on the stand-in module so tests and operators can tell which one is loaded.
STAND_IN_MARKER = "__cramp_coach_stand_in__"


def _stand_in(reason: str) -> tuple[types.ModuleType, types.ModuleType]:
    """Build ``certvalidator`` and ``certvalidator.errors`` modules that refuse every chain."""
    errors = types.ModuleType("certvalidator.errors")

    class PathError(Exception):
        pass

    class ValidationError(Exception):
        pass

    PathError.__module__ = ValidationError.__module__ = errors.__name__
    errors.PathError = PathError  # type: ignore[attr-defined]
    errors.ValidationError = ValidationError  # type: ignore[attr-defined]

    class CertificateValidator:
        """Fails closed: certvalidator could not be imported, so no chain is ever valid."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise ValidationError(f"certvalidator is unavailable ({reason}); chain rejected")

        def validate_usage(self, *args: Any, **kwargs: Any) -> NoReturn:
            raise ValidationError("certvalidator is unavailable; chain rejected")

    package = types.ModuleType("certvalidator", "Fail-closed stand-in for certvalidator.")
    package.CertificateValidator = CertificateValidator  # type: ignore[attr-defined]
    package.errors = errors  # type: ignore[attr-defined]
    package.__path__ = []  # a package, so ``import certvalidator.errors`` resolves
    setattr(package, STAND_IN_MARKER, reason)
    return package, errors


def ensure_certvalidator() -> bool:
    """Make ``import certvalidator`` succeed. Returns True if the real one is in use."""
    try:
        import certvalidator  # noqa: F401
        import certvalidator.errors  # noqa: F401
    except Exception as exc:  # oscrypto raises LibraryNotFoundError, not ImportError
        reason = f"{type(exc).__name__}: {exc}"
        package, errors = _stand_in(reason)
        sys.modules["certvalidator"] = package
        sys.modules["certvalidator.errors"] = errors
        _log.info("certvalidator unusable (%s); stock RequestVerifier fails closed", reason)
        return False
    return not hasattr(sys.modules["certvalidator"], STAND_IN_MARKER)


ensure_certvalidator()

from ask_sdk_webservice_support.verifier import (  # noqa: E402
    AbstractVerifier,
    VerificationException,
)
from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler  # noqa: E402

__all__ = [
    "AbstractVerifier",
    "VerificationException",
    "WebserviceSkillHandler",
    "ensure_certvalidator",
]
