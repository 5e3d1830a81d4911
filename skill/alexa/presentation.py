"""APL screens and the APLA countdown as SDK directives, sent only where they belong.

A screen (``Alexa.Presentation.APL.RenderDocument``) goes only to a device that declares
``Alexa.Presentation.APL`` in ``context.System.device.supportedInterfaces``: APL sent to a
screenless device is an error and a certification failure (docs/alexa-platform.md section 11).
The APLA countdown (``Alexa.Presentation.APLA.RenderDocument``) needs no interface: every Alexa
device plays APL for audio, after the response's outputSpeech.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.alexa.presentation.apl import (
    RenderDocumentDirective as AplRenderDocument,
)
from ask_sdk_model.interfaces.alexa.presentation.apla import (
    RenderDocumentDirective as AplaRenderDocument,
)

from skill.core.content import load_json
from skill.core.reply import Reply

#: The token of every screen; a UserEvent from one of them carries it back.
SCREEN_TOKEN = "cramp-coach-screen"
HOLD_TOKEN = "cramp-coach-hold"


@cache
def screen_document() -> dict[str, Any]:
    """The one APL document (``skill/data/apl/coach.json``)."""
    document: dict[str, Any] = load_json("apl/coach.json")
    return document


@cache
def hold_document() -> dict[str, Any]:
    """The APLA countdown document (``skill/data/apla/hold.json``), as sent: without its
    ``description``, which documents the file and is no use to the device (compact: every
    hold carries the document, and serialising it is a large part of a hold turn's cost)."""
    document: dict[str, Any] = dict(load_json("apla/hold.json"))
    document.pop("description", None)
    return document


def _version(text: object) -> tuple[int, ...] | None:
    """``"1.6"`` or ``"2023.2"`` as a comparable tuple (APL versions sort this way)."""
    try:
        return tuple(int(part) for part in str(text).split("."))
    except ValueError:
        return None


def supports_apl(handler_input: HandlerInput) -> bool:
    """Whether this request's device declares ``Alexa.Presentation.APL``, with a runtime
    that renders the document's APL version (a device that states no runtime is trusted)."""
    context = handler_input.request_envelope.context
    system = getattr(context, "system", None)
    device = getattr(system, "device", None)
    interfaces = getattr(device, "supported_interfaces", None)
    apl = getattr(interfaces, "alexa_presentation_apl", None)
    if apl is None:
        return False
    runtime = _version(getattr(getattr(apl, "runtime", None), "max_version", None))
    needed = _version(screen_document()["version"])
    return runtime is None or needed is None or runtime >= needed


def directives(
    handler_input: HandlerInput, reply: Reply, audio: dict[str, Any] | None = None
) -> list[Any]:
    """The presentation directives for ``reply`` on this request's device: its screen where
    APL is declared, and the APLA countdown data source ``audio`` (skill.alexa.render)."""
    out: list[Any] = []
    if reply.screen is not None and supports_apl(handler_input):
        out.append(
            AplRenderDocument(
                token=SCREEN_TOKEN, document=screen_document(), datasources=reply.screen
            )
        )
    if audio is not None:
        out.append(
            AplaRenderDocument(token=HOLD_TOKEN, document=hold_document(), datasources=audio)
        )
    return out
