"""SSML in one place: building it safely and checking it against Alexa's limits.

Every dynamic value goes through :func:`escape`, so a stray ``&`` can never make Alexa
answer "There was a problem with the requested skill's response". The validator encodes
the platform limits from ``docs/alexa-platform.md`` section 1 and is run by the
tests over every response they produce.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

#: Tags Alexa accepts inside ``<speak>``.
SUPPORTED_TAGS = frozenset(
    {
        "speak",
        "amazon:domain",
        "amazon:effect",
        "amazon:emotion",
        "audio",
        "break",
        "emphasis",
        "lang",
        "p",
        "phoneme",
        "prosody",
        "s",
        "say-as",
        "sub",
        "voice",
        "w",
    }
)
MAX_BREAK_SECONDS = 10.0
MAX_AUDIO_CLIPS = 5
MAX_AUDIO_SECONDS = 240.0
MAX_REPROMPT_AUDIO_SECONDS = 90.0
MAX_SSML_CHARS = 8000
#: A whole response body, directives included (docs/alexa-platform.md section 1).
MAX_RESPONSE_BYTES = 120 * 1024

#: Alexa's default voice speaks at roughly 150 words a minute; used to estimate how long
#: spoken text lasts when timing a hold. Deliberately a round, documented figure.
WORDS_PER_SECOND = 2.5

_BREAK_TIME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$")
_BREAK_STRENGTH_SECONDS = {
    "none": 0.0,
    "x-weak": 0.1,
    "weak": 0.25,
    "medium": 0.5,
    "strong": 0.75,
    "x-strong": 1.0,
}
# Alexa uses the XML namespace prefix "amazon:"; ElementTree needs it declared to parse.
_AMAZON_NS = "https://developer.amazon.com/alexa/ssml"


#: Characters XML 1.0 does not allow at all (controls other than tab and newlines, lone
#: surrogates, U+FFFE/U+FFFF): escaping cannot save them, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Escape a dynamic value for SSML text content (``&``, ``<`` and ``>``), dropping
    characters XML cannot hold at all.

    Written out rather than taken from ``xml.sax.saxutils``, whose import pulls in
    ``urllib.request`` and costs the Lambda cold start tens of milliseconds.
    """
    cleaned = _NOT_XML.sub("", str(text))
    return cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return '"' + escape(value).replace('"', "&quot;") + '"'


def pause(seconds: float) -> str:
    """A ``<break>`` of ``seconds`` (at most 10 s, Alexa's limit)."""
    if seconds < 0 or seconds > MAX_BREAK_SECONDS:
        raise ValueError(f"a break lasts 0 to {MAX_BREAK_SECONDS:g} s, not {seconds}")
    millis = round(seconds * 1000)
    return f'<break time="{millis}ms"/>' if millis % 1000 else f'<break time="{millis // 1000}s"/>'


def audio(url: str) -> str:
    """An ``<audio>`` tag for an HTTPS clip URL."""
    return f"<audio src={_attribute(url)}/>"


def sentence(text: str) -> str:
    """Escape plain text and wrap it as one ``<s>`` sentence."""
    return f"<s>{escape(text)}</s>"


def text(*sentences: str) -> str:
    """Join plain-text sentences into escaped SSML, one ``<s>`` each."""
    return "".join(sentence(s) for s in sentences if s)


def wrap(body: str) -> str:
    """Wrap an SSML body in ``<speak>``."""
    return f"<speak>{body}</speak>"


def unwrap(ssml: str) -> str:
    """Strip one outer ``<speak>`` element, if present."""
    stripped = ssml.strip()
    if stripped.startswith("<speak>") and stripped.endswith("</speak>"):
        return stripped[len("<speak>") : -len("</speak>")]
    return stripped


def parse(ssml: str) -> Element:
    """Parse SSML (with or without its ``<speak>``) into a ``<speak>`` element; raises
    ``xml.etree.ElementTree.ParseError`` on malformed markup."""
    # Imported here: parsing is for validation, transcripts and estimates, not for
    # answering a request, so it stays off the cold-start path.
    import xml.etree.ElementTree as ET

    body = unwrap(ssml)
    return ET.fromstring(f'<speak xmlns:amazon="{_AMAZON_NS}">{body}</speak>')


def tag_name(element: Element) -> str:
    """The element's SSML tag name, ``amazon:`` prefix included."""
    tag = element.tag
    if tag.startswith("{" + _AMAZON_NS + "}"):
        return "amazon:" + tag[len(_AMAZON_NS) + 2 :]
    return tag


def break_seconds(element: Element) -> float:
    """Seconds a ``<break>`` element lasts (raises ``ValueError`` on a bad value)."""
    if "time" in element.attrib:
        match = _BREAK_TIME.match(element.attrib["time"])
        if not match:
            raise ValueError(f"bad break time {element.attrib['time']!r}")
        value = float(match.group(1))
        return value / 1000 if match.group(2) == "ms" else value
    strength = element.attrib.get("strength", "medium")
    if strength not in _BREAK_STRENGTH_SECONDS:
        raise ValueError(f"bad break strength {strength!r}")
    return _BREAK_STRENGTH_SECONDS[strength]


def break_seconds_of(time: str | None, strength: str | None = None) -> float | None:
    """Seconds of a ``<break>`` from its attribute values, or None if they are not valid
    (the string form of :func:`break_seconds`, for callers that do not parse XML)."""
    if time is not None:
        match = _BREAK_TIME.match(time)
        if not match:
            return None
        value = float(match.group(1))
        return value / 1000 if match.group(2) == "ms" else value
    return _BREAK_STRENGTH_SECONDS.get(strength or "medium")


def plain_text(ssml: str) -> str:
    """What the listener hears as words: the SSML's text with tags removed."""
    from xml.etree.ElementTree import ParseError

    try:
        root = parse(ssml)
    except ParseError:
        return re.sub(r"<[^>]+>", " ", ssml)
    return " ".join(" ".join(root.itertext()).split())


AudioDurations = Mapping[str, float] | Callable[[str], float | None]


def _duration_of(src: str, durations: AudioDurations | None) -> float | None:
    if durations is None:
        return None
    if callable(durations):
        return durations(src)
    return durations.get(src)


def estimate_seconds(
    ssml: str,
    audio_durations: AudioDurations | None = None,
    words_per_second: float = WORDS_PER_SECOND,
) -> float:
    """Estimate how long Alexa takes to say ``ssml``: words at ``words_per_second`` plus
    breaks plus audio clips (unknown clips count as 0)."""
    root = parse(ssml)
    words = len(" ".join(root.itertext()).split())
    total = words / words_per_second
    for element in root.iter():
        name = tag_name(element)
        if name == "break":
            total += break_seconds(element)
        elif name == "audio":
            total += _duration_of(element.attrib.get("src", ""), audio_durations) or 0.0
    return total


def validate(
    ssml: str,
    audio_durations: AudioDurations | None = None,
    max_audio_seconds: float = MAX_AUDIO_SECONDS,
) -> list[str]:
    """Return the ways ``ssml`` breaks Alexa's rules (empty when it is fine).

    ``audio_durations`` maps an ``<audio src>`` to its length in seconds; clips it does
    not know are reported, since their share of the 240 s budget cannot be checked.
    """
    problems: list[str] = []
    stripped = ssml.strip()
    if not (stripped.startswith("<speak>") and stripped.endswith("</speak>")):
        problems.append("not wrapped in <speak>")
    if len(ssml) >= MAX_SSML_CHARS:
        problems.append(f"{len(ssml)} characters, limit is under {MAX_SSML_CHARS}")
    from xml.etree.ElementTree import ParseError

    try:
        root = parse(stripped)
    except ParseError as exc:
        return [*problems, f"not well-formed XML: {exc}"]
    clips = 0
    clip_seconds = 0.0
    for element in root.iter():
        name = tag_name(element)
        if name not in SUPPORTED_TAGS:
            problems.append(f"unsupported tag <{name}>")
        if name == "speak" and element is not root:
            problems.append("nested <speak>")
        if name == "break":
            try:
                seconds = break_seconds(element)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            if seconds > MAX_BREAK_SECONDS:
                problems.append(f"break of {seconds:g} s exceeds {MAX_BREAK_SECONDS:g} s")
        if name == "audio":
            clips += 1
            src = element.attrib.get("src", "")
            if not src.startswith("https://"):
                problems.append(f"audio src is not HTTPS: {src!r}")
            duration = _duration_of(src, audio_durations)
            if duration is None:
                problems.append(f"audio clip of unknown duration: {src!r}")
            else:
                clip_seconds += duration
    if clips > MAX_AUDIO_CLIPS:
        problems.append(f"{clips} audio clips, limit is {MAX_AUDIO_CLIPS}")
    if clip_seconds > max_audio_seconds:
        problems.append(f"{clip_seconds:.1f} s of audio, limit is {max_audio_seconds:g} s")
    return problems


def validate_response(
    response: Mapping[str, Any], audio_durations: AudioDurations | None = None
) -> list[str]:
    """Validate the output speech and reprompt of a serialized Alexa response body."""
    problems: list[str] = []
    speech = (response.get("outputSpeech") or {}).get("ssml")
    if speech is not None:
        problems += [f"outputSpeech: {p}" for p in validate(speech, audio_durations)]
    reprompt = ((response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
    if reprompt is not None:
        problems += [
            f"reprompt: {p}"
            for p in validate(reprompt, audio_durations, MAX_REPROMPT_AUDIO_SECONDS)
        ]
    for index, speech in enumerate(_apla_speech(response)):
        problems += [f"APLA speech {index}: {p}" for p in validate(speech, audio_durations)]
    size = len(json.dumps(response).encode("utf-8"))
    if size > MAX_RESPONSE_BYTES:
        problems.append(f"response of {size} bytes, limit is {MAX_RESPONSE_BYTES}")
    return problems


def _apla_speech(response: Mapping[str, Any]) -> list[str]:
    """The SSML of the APLA countdown's cues and its closing speech (skill/data/apla/hold.json)."""
    found: list[str] = []
    for directive in response.get("directives") or []:
        if directive.get("type") != "Alexa.Presentation.APLA.RenderDocument":
            continue
        hold = (directive.get("datasources") or {}).get("hold") or {}
        found += [i["ssml"] for i in hold.get("items") or [] if i.get("kind") == "speech"]
        if hold.get("after"):
            found.append(hold["after"])
    return found


def join(parts: Iterable[str]) -> str:
    """Concatenate SSML fragments, skipping empty ones."""
    return "".join(p for p in parts if p)
