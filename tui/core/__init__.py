"""The protocol and storage: no Textual import anywhere below this package."""
