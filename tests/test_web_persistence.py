"""The Flask host remembers people through the store named by CRAMP_COACH_DB."""

from __future__ import annotations

import json
from pathlib import Path

from skill.hosts.web import create_app
from skill.settings import Settings
from skill.tools.simulator.conversation import Conversation


def http_conversation(db: Path) -> Conversation:
    app = create_app(Settings(verify_signatures=False, db=str(db)))
    client = app.test_client()

    def send(envelope: dict) -> dict:
        response = client.post("/alexa", data=json.dumps(envelope), content_type="application/json")
        assert response.status_code == 200
        return response.get_json()

    return Conversation(send)


def test_hold_preference_survives_sessions_through_the_web_host(tmp_path: Path) -> None:
    db = tmp_path / "coach.sqlite3"
    talk = http_conversation(db)
    talk.intent("HoldLengthIntent", Seconds="24")
    talk.intent("AMAZON.StopIntent")
    assert db.is_file()
    later = http_conversation(db)  # a new process would build a new app the same way
    heard = later.intent("CrampReliefIntent")
    assert heard.session_attributes["routine"]["hold"] == 24
