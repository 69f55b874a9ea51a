"""Cloning a voice from a user's recordings, and speaking previews of made voices."""
