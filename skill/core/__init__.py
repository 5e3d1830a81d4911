"""The skill itself: content, dialog, routines, holds, SSML and memory rules, in plain Python."""
