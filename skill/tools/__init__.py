"""Tools that never run on Alexa: the terminal simulator and offline NLU, the audio builder.

The Lambda build (Makefile) leaves this package out."""
