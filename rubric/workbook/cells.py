"""Writing cells that cannot turn into formulas, for every xlsx rubric produces.

openpyxl stores any string that starts with ``=`` as a formula. Text from frameworks and from
authorities' returns must reach the reader as typed, so every text goes through :func:`put_text`.
"""

from __future__ import annotations

import re
from typing import Any

# Characters XML 1.0 cannot carry; openpyxl refuses them. Shown as U+FFFD so the loss is visible.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)


def put_text(cell: Any, text: str | None) -> Any:
    """Write ``text`` as a string cell, whatever its first character."""
    if text is None or text == "":
        cell.value = None
        return cell
    cell.value = clean_text(str(text))
    cell.data_type = "s"
    return cell


def put_number(cell: Any, value: float | int | None, number_format: str | None = None) -> Any:
    cell.value = value
    if number_format and value is not None:
        cell.number_format = number_format
    return cell
