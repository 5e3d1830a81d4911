"""What dialog functions say, as message keys, and the one renderer that turns it into SSML.

Dialog code builds a :class:`Speech` from parts: a :class:`Msg` (a catalogue key and its
parameters), a string already in the request's language (a knowledge item or step read from
``turn.catalogue``), a :class:`HoldPart` (a timed hold) or :class:`Markup` (SSML rendered
earlier, for "repeat"). :func:`render` resolves the parts through the request's words (its
:class:`~skill.core.catalogue.Catalogue`) and escapes them. How a hold sounds (an APLA
countdown, a clip, the spoken countdown) is chosen at the edge, by
:mod:`skill.alexa.render`, which hands :func:`render` the hold renderer: this module imports
no audio, hold or routine module, so a reply stays plain data. No English is chosen here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Union

from skill.core import ssml

if TYPE_CHECKING:  # the type only: a reply loads nothing beyond the SSML helpers
    from skill.core.hold_range import HoldSeconds


class Words(Protocol):
    """What rendering needs of a catalogue (:class:`skill.core.catalogue.Catalogue`)."""

    def text(self, key: str, **params: Any) -> str: ...

    def duration(self, seconds: int) -> str: ...


#: SSML for a hold of so many seconds (the edge's choice: see :mod:`skill.alexa.render`).
HoldRenderer = Callable[["HoldSeconds"], str]


@dataclass(frozen=True)
class Msg:
    """Catalogue phrase ``key`` with its parameters (values may be :class:`Msg` or
    :class:`Duration`, rendered in the same locale)."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()


def msg(key: str, **params: Any) -> Msg:
    return Msg(key, tuple(sorted(params.items())))


@dataclass(frozen=True)
class Duration:
    """A parameter spoken as a duration ("2 minutes") by the catalogue's grammar."""

    seconds: int


@dataclass(frozen=True)
class HoldPart:
    """A timed hold of ``seconds``: the catalogue's spoken countdown, or a clip."""

    seconds: HoldSeconds


@dataclass(frozen=True)
class Markup:
    """SSML rendered on an earlier turn (replayed by "repeat")."""

    ssml: str


Part = Union[Msg, str, HoldPart, Markup]  # noqa: UP007 - a runtime alias, kept explicit


@dataclass(frozen=True)
class Speech:
    """An ordered list of parts; ``+`` concatenates."""

    parts: tuple[Part, ...] = ()

    def __add__(self, other: Speech) -> Speech:
        return Speech(self.parts + other.parts)

    def __bool__(self) -> bool:
        return bool(self.parts)


def say(*parts: Part | Speech | None) -> Speech:
    """A :class:`Speech` of ``parts`` in order (nested speech is flattened; empty strings
    and None are dropped, so optional sentences can be passed as they are)."""
    out: list[Part] = []
    for part in parts:
        if isinstance(part, Speech):
            out.extend(part.parts)
        elif part:
            out.append(part)
    return Speech(tuple(out))


def _value(value: Any, catalogue: Words) -> Any:
    if isinstance(value, Msg):
        return text_of(value, catalogue)
    if isinstance(value, Duration):
        return catalogue.duration(value.seconds)
    return value


def text_of(message: Msg, catalogue: Words) -> str:
    """One message as plain text in the catalogue's language."""
    params = {name: _value(value, catalogue) for name, value in message.params}
    return catalogue.text(message.key, **params)


def render(speech: Speech, catalogue: Words, hold: HoldRenderer | None = None) -> str:
    """The SSML body (no ``<speak>``) of ``speech``: one ``<s>`` per sentence part, each hold
    through ``hold`` (a speech with a hold and no renderer is a programming error)."""
    out: list[str] = []
    for part in speech.parts:
        if isinstance(part, Msg):
            out.append(ssml.text(text_of(part, catalogue)))
        elif isinstance(part, HoldPart):
            if hold is None:
                raise ValueError("a hold needs a hold renderer (skill.alexa.render.hold_renderer)")
            out.append(hold(part.seconds))
        elif isinstance(part, Markup):
            out.append(part.ssml)
        else:
            out.append(ssml.text(part))
    return "".join(out)


def split_hold(speech: Speech) -> tuple[Speech, HoldPart | None, Speech]:
    """``speech`` as what comes before its first hold, the hold, and what comes after (the
    hold None, and everything "before", when there is none): an APLA countdown plays the
    hold and what follows it after the outputSpeech."""
    for index, part in enumerate(speech.parts):
        if isinstance(part, HoldPart):
            return Speech(speech.parts[:index]), part, Speech(speech.parts[index + 1 :])
    return speech, None, Speech()


def plain(speech: Speech, catalogue: Words) -> str:
    """The sentences of ``speech`` as plain text (holds and markup left out): card text."""
    words = [
        text_of(part, catalogue) if isinstance(part, Msg) else part
        for part in speech.parts
        if isinstance(part, Msg | str)
    ]
    return " ".join(w for w in words if w)
