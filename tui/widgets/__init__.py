"""Reusable widgets for the OAuth Dance terminal wizard."""
