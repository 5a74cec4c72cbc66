"""The profile's key fields: every label apart from its value, whatever its length."""

from __future__ import annotations

from tui.screens.profile import LABEL_WIDTH, profile_content


def test_a_long_label_keeps_a_gap_before_its_value() -> None:
    lines = profile_content(
        [("sub", "248289761001"), ("preferred_username", "alice"), ("email", "a@example.com")]
    ).plain.splitlines()
    assert lines == [
        "Profile",
        "sub                 248289761001",
        "preferred_username  alice",
        "email               a@example.com",
    ]


def test_a_label_wider_than_the_column_puts_its_value_under_it() -> None:
    label = "https://example.com/claims/department"
    lines = profile_content([("id", "7"), (label, "research")]).plain.splitlines()
    assert len(label) > LABEL_WIDTH
    indent = " " * (LABEL_WIDTH + 2)
    assert lines == ["Profile", "id".ljust(LABEL_WIDTH) + "  7", label, indent + "research"]


def test_labels_of_fourteen_characters_do_not_run_into_their_values() -> None:
    for label in ("fourteen_chars", "fifteen_chars__", "x" * LABEL_WIDTH):
        (line,) = profile_content([(label, "value")]).plain.splitlines()[1:]
        assert line == f"{label}  value"
