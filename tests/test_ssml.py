"""The SSML module: escaping and the validator's view of Alexa's limits."""

from __future__ import annotations

import pytest

from skill.core import ssml


def test_escape_makes_ampersands_and_tags_safe() -> None:
    body = ssml.sentence('Salt & <water> "now"')
    assert body == '<s>Salt &amp; &lt;water&gt; "now"</s>'
    assert ssml.validate(ssml.wrap(body)) == []


def test_unescaped_ampersand_is_reported() -> None:
    assert any("well-formed" in p for p in ssml.validate("<speak>salt & water</speak>"))


@pytest.mark.parametrize(
    ("markup", "problem"),
    [
        ("hello", "not wrapped in <speak>"),
        ('<speak><break time="11s"/></speak>', "break of 11 s exceeds 10 s"),
        ('<speak><break time="10001ms"/></speak>', "exceeds 10 s"),
        ('<speak><break time="long"/></speak>', "bad break time"),
        ("<speak><blink>hi</blink></speak>", "unsupported tag <blink>"),
        ("<speak><speak>hi</speak></speak>", "nested <speak>"),
        ('<speak><audio src="http://x/a.mp3"/></speak>', "not HTTPS"),
        ("<speak>" + "a" * 8000 + "</speak>", "characters"),
    ],
)
def test_validator_reports_each_violation(markup: str, problem: str) -> None:
    assert any(problem in p for p in ssml.validate(markup, {"http://x/a.mp3": 1.0}))


def test_audio_budget_counts_clips_and_seconds() -> None:
    def clips(n: int, seconds: float) -> str:
        durations = {f"https://a/{i}.mp3": seconds for i in range(n)}
        body = "".join(ssml.audio(url) for url in durations)
        return ssml.validate(ssml.wrap(body), durations)

    assert clips(5, 48.0) == []
    assert any("6 audio clips" in p for p in clips(6, 1.0))
    assert any("s of audio" in p for p in clips(3, 81.0))


def test_unknown_clip_duration_is_reported() -> None:
    assert any(
        "unknown duration" in p
        for p in ssml.validate('<speak><audio src="https://a/b.mp3"/></speak>')
    )


def test_amazon_tags_and_breaks_are_accepted() -> None:
    markup = (
        '<speak><amazon:emotion name="excited" intensity="low">Go</amazon:emotion>'
        '<break time="10s"/><break strength="strong"/><prosody rate="slow">ok</prosody></speak>'
    )
    assert ssml.validate(markup) == []


def test_pause_refuses_breaks_over_ten_seconds() -> None:
    assert ssml.pause(8.8) == '<break time="8800ms"/>'
    assert ssml.pause(10) == '<break time="10s"/>'
    with pytest.raises(ValueError):
        ssml.pause(10.5)


def test_estimate_counts_words_breaks_and_clips() -> None:
    markup = '<speak><s>one two three four five</s><break time="3s"/><audio src="https://a/c.mp3"/></speak>'
    seconds = ssml.estimate_seconds(markup, {"https://a/c.mp3": 4.0})
    assert seconds == pytest.approx(5 / ssml.WORDS_PER_SECOND + 3 + 4)


def test_reprompt_has_its_own_audio_cap() -> None:
    url = "https://a/c.mp3"
    response = {
        "outputSpeech": {"type": "SSML", "ssml": "<speak>hi</speak>"},
        "reprompt": {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{ssml.audio(url)}</speak>"}},
    }
    assert ssml.validate_response(response, {url: 80.0}) == []
    assert ssml.validate_response(response, {url: 95.0}) != []
