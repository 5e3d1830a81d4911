"""nginx's own answer to Alexa (deploy/nginx/cramp-coach-unavailable.conf) is the skill's
apology and safety line, word for word from the catalogue: regenerate it with
``python -m skill.tools.generators.nginx_answer`` when they change."""

from __future__ import annotations

from skill.core.catalogue import DEFAULT_LOCALE, catalogue_for
from skill.tools.generators import nginx_answer


def test_the_recipes_answer_is_what_the_tool_writes_from_the_catalogue() -> None:
    assert nginx_answer.TARGET.read_text() == nginx_answer.render()


def test_the_answer_says_the_safety_line_and_ends_the_session() -> None:
    response = nginx_answer.answer()["response"]
    assert isinstance(response, dict)
    words = catalogue_for(DEFAULT_LOCALE)
    ssml = response["outputSpeech"]["ssml"]
    # Issue 22: the safety sentence (call for help if hurt), never a stretch instruction.
    assert words.text("error") in ssml and words.text("safety_first") in ssml
    assert "emergency" in words.text("safety_first") and "straighten" not in ssml.lower()
    assert response["shouldEndSession"] is True


def test_the_proxy_rules_send_every_unavailable_status_to_it() -> None:
    rules = (nginx_answer.ROOT / "deploy" / "nginx" / "cramp-coach-proxy.conf").read_text()
    assert f"error_page 429 502 504 =200 {nginx_answer.LOCATION};" in rules
    site = (nginx_answer.ROOT / "deploy" / "nginx" / "cramp-coach.conf").read_text()
    assert "include snippets/cramp-coach-unavailable.conf;" in site
    assert "include snippets/cramp-coach-zones.conf;" in site
