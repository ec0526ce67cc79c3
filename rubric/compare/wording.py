"""How numbers read in every output of a comparison: one style for changes and counts."""

from __future__ import annotations

PERCENTAGE_POINTS = "percentage points"
_POINT_UNITS = {"percentage points", "percentage point", "pp", "% points"}


def change_unit(unit: str, is_percent: bool) -> str:
    """The unit a change is counted in: a change of a percentage is in percentage points."""
    if is_percent or unit.strip().lower() in _POINT_UNITS:
        return PERCENTAGE_POINTS
    return unit.strip()


def signed(value: float, decimals: int = 1) -> str:
    """``+1.6`` or ``-1.6``; a change that rounds to nothing reads ``0.0``, never ``-0.0``."""
    text = f"{value:+.{decimals}f}"
    return text[1:] if float(text) == 0 else text


def change_text(value: float, unit: str, is_percent: bool, decimals: int = 1) -> str:
    """``+1.6 percentage points``, ``-2.0 per 1,000 pupils``."""
    return f"{signed(value, decimals)} {change_unit(unit, is_percent)}".rstrip()


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 word``, ``2 words``."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


def join_names(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
