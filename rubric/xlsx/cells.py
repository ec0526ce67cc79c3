"""Writing cells that cannot turn into formulas, for every xlsx rubric produces.

openpyxl stores any string that starts with ``=`` as a formula. Text from frameworks and from
authorities' returns must reach the reader as typed, so every text goes through :func:`put_text`.
"""

from __future__ import annotations

import re
from typing import Any

CELL_LIMIT = 32_767  # Excel's maximum characters in one cell

# Characters XML 1.0 cannot carry; openpyxl refuses them. Shown as U+FFFD so the loss is visible.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)


def split_text(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` characters whose concatenation is exactly ``text``.

    Breaks after a newline or space near the limit where there is one, so pieces read well.
    """
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", limit // 2, limit), text.rfind(" ", limit // 2, limit))
        cut = cut + 1 if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def put_text(cell: Any, text: str | None) -> Any:
    """Write ``text`` as a string cell, whatever its first character.

    Text longer than a cell holds must be split by the caller (:func:`split_text`); here it
    would be cut, so it is refused.
    """
    if text is None or text == "":
        cell.value = None
        return cell
    text = clean_text(str(text))
    if len(text) > CELL_LIMIT:
        raise ValueError(f"text of {len(text)} characters does not fit in one cell")
    cell.value = text
    cell.data_type = "s"
    return cell


def put_number(cell: Any, value: float | int | None, number_format: str | None = None) -> Any:
    cell.value = value
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def cell_text(value: Any) -> str:
    """A read cell as text: blank for nothing, ``4`` for a whole number read as ``4.0``."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_id(value: Any) -> str:
    """An ID cell as text; a number typed over an ID (1.1) reads as its shortest form."""
    if isinstance(value, float):
        return repr(value).removesuffix(".0")
    return cell_text(value)

