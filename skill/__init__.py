"""Cramp Coach: a hands-free Alexa voice coach for hamstring cramps."""
