"""Talk to the skill as Alexa does: envelopes, turns, a fake Alexa API, the terminal chat."""
