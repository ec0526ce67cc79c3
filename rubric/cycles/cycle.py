"""One rule for cycles everywhere: a school year written ``2025-26``.

Scottish self-evaluation runs by school year (August to July), so a cycle is two consecutive
years; anything else is refused with ``cycle-invalid`` before a command does any work.
"""

from __future__ import annotations

import datetime as dt
import re

from rubric.problems import Location, Refused, problem

_CYCLE = re.compile(r"(\d{4})-(\d{2})")
SCHOOL_YEAR_STARTS = 8  # August


def is_cycle(value: str) -> bool:
    match = _CYCLE.fullmatch(value)
    return bool(match) and (int(match.group(1)) + 1) % 100 == int(match.group(2))


def check_cycle(value: str, where: str = "--cycle") -> str:
    """``value`` stripped, or :class:`Refused` (``cycle-invalid``) when it is not a cycle."""
    text = value.strip()
    if not is_cycle(text):
        raise Refused(problem("cycle-invalid", Location(where), value=value))
    return text


def previous_cycle(cycle: str) -> str:
    """``2025-26`` -> ``2024-25``."""
    start = int(cycle[:4]) - 1 if is_cycle(cycle) else dt.date.today().year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def current_cycle(today: dt.date | None = None) -> str:
    """The school year ``today`` falls in: December 2026 is in 2026-27, May 2027 too."""
    today = today or dt.date.today()
    start = today.year if today.month >= SCHOOL_YEAR_STARTS else today.year - 1
    return f"{start}-{(start + 1) % 100:02d}"
