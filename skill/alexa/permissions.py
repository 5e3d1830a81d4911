"""The Alexa permission scopes the skill asks for (docs/alexa-platform.md, the Timers and
Reminders APIs), in a module of their own with no imports: the API modules, the manifest
check and the simulator's envelopes all name them, and the simulator needs no API code."""

TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
