"""Sizing cells for paper: how many lines a text takes in a column, and rows that print whole.

Spreadsheets do not grow a row to fit wrapped text when it is opened, and a row is at most 409
points tall: a longer text is cut on screen and on paper. So rubric estimates the lines each text
needs (conservatively: LibreOffice often substitutes a wider font for Calibri), sets each row's
height, and continues a text too long for one row on the rows below, cut between words, so that
every word prints.
"""

from __future__ import annotations

import textwrap

from rubric.xlsx.cells import CELL_LIMIT

LINE_POINTS = 15.0  # one line of 11-point text
MAX_ROW_POINTS = 409.0  # the tallest row Excel allows
MAX_LINES = int((MAX_ROW_POINTS - 6) // LINE_POINTS)
CHARS_PER_WIDTH = 1.25  # characters per unit of column width (Calibri fits ~1.5, DejaVu ~1.4)


def chars_per_line(width: float) -> int:
    return max(int(width * CHARS_PER_WIDTH) - 1, 4)


def line_count(text: str | None, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` wide (at least 1)."""
    if not text:
        return 1
    per_line = chars_per_line(width)
    return sum(max(1, len(textwrap.wrap(part, per_line, break_long_words=True,
                                        break_on_hyphens=False)))
               for part in text.split("\n"))


def row_height(lines: int, minimum: int = 1) -> float:
    return min(MAX_ROW_POINTS, LINE_POINTS * max(lines, minimum) + 6)


def fit_rows(text: str, width: float, max_lines: int = MAX_LINES) -> list[str]:
    """Pieces of ``text`` that each fit in one row of a column ``width`` wide (and in one cell);
    joined they give ``text`` exactly. Cuts after a space or newline where there is one."""
    # No row holds more than this many characters: bounds the search on huge texts.
    most = min(CELL_LIMIT, 2 * max_lines * (chars_per_line(width) + 1))
    pieces: list[str] = []
    while len(text) > most or line_count(text, width) > max_lines:
        low, high = 1, min(len(text), most)  # the longest prefix that fits, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            if line_count(text[:middle], width) <= max_lines:
                low = middle
            else:
                high = middle - 1
        cut = max(text.rfind("\n", low // 2, low), text.rfind(" ", low // 2, low))
        cut = cut + 1 if cut > 0 else low
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces
