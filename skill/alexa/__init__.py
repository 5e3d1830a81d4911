"""What talks to the ASK SDK and Amazon: handlers, serializer, request verification,
the Alexa API client and timers."""
