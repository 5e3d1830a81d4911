"""The offline NLU: the interaction model's samples and slot values, by words and by meaning."""
