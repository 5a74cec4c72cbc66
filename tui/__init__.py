"""OAuth Dance: a terminal wizard for the OAuth 2.0 authorization code grant."""

__version__ = "0.1.0"
