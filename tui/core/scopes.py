"""Scopes with one-line meanings, as a provider documents them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """One scope a provider knows, and what granting it allows."""

    name: str
    meaning: str


SPOTIFY_SCOPES: tuple[Scope, ...] = (
    Scope("user-read-private", "Read your subscription (product) and country."),
    Scope("user-read-email", "Read your email address."),
    Scope("user-top-read", "Read your top artists and tracks."),
    Scope("user-read-recently-played", "Read the tracks you played recently."),
    Scope("playlist-read-private", "Read your private playlists."),
    Scope("user-library-read", "Read your saved tracks and albums."),
)

OPENID = Scope("openid", "Sign you in: an id_token says who you are.")

DEMO_SCOPES: tuple[Scope, ...] = (*SPOTIFY_SCOPES, OPENID)
"""The demo provider's: Spotify's, and ``openid``, which makes it an OpenID provider."""

GITHUB_SCOPES: tuple[Scope, ...] = (
    Scope("read:user", "Read your profile data."),
    Scope("user:email", "Read your email addresses."),
    Scope("repo", "Full control of your private repositories."),
)

GOOGLE_SCOPES: tuple[Scope, ...] = (
    OPENID,
    Scope("email", "Read your email address."),
    Scope("profile", "Read your name and picture."),
)

OIDC_SCOPES: tuple[Scope, ...] = (
    OPENID,
    Scope("profile", "Read your name and basic profile."),
    Scope("email", "Read your email address."),
    Scope("offline_access", "Get a refresh token to act while you are away."),
)


def meaning_of(name: str, known: tuple[Scope, ...]) -> str:
    """The one-line meaning of ``name`` among ``known``, or a neutral note."""
    for scope in known:
        if scope.name == name:
            return scope.meaning
    return "A scope this tool has no description for."
