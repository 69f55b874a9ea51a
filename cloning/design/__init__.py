"""Designing a voice from a description in words."""
