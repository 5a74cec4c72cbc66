"""Sizes in bytes, written for a person."""

from __future__ import annotations

UNITS = (("MiB", 1 << 20), ("KiB", 1 << 10))


def size_text(size: int) -> str:
    """``size`` bytes as "1 MiB" or "16 KiB" when it is a whole number of them (a limit),
    as "50.3 MiB" or "1.5 KiB" otherwise, and as "300 bytes" below a KiB."""
    for unit, factor in UNITS:
        if size >= factor:
            whole, rest = divmod(size, factor)
            return f"{whole} {unit}" if not rest else f"{size / factor:.1f} {unit}"
    return f"{size:,} bytes"
