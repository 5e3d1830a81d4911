"""The audio builder: declared clips rendered, mixed, encoded to Alexa's MP3 format and verified."""
