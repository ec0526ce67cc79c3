"""Shared look of every workbook rubric writes (templates and exports alike)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

THIN = Side(style="thin", color="B7B7B7")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
GROUP_FILL = PatternFill("solid", fgColor="D9E1F2")
ANSWER_FILL = PatternFill("solid", fgColor="FFF9DB")
NOT_GRADED_FILL = PatternFill("solid", fgColor="EDEDED")  # a level cell not answered: evidence only
FLAG_FILL = PatternFill("solid", fgColor="F8CBAD")
TITLE_FONT = Font(bold=True, size=14, color="1F3864")
BOLD = Font(bold=True)
# Red -> amber -> green, for levels and scores.
LOW_COLOUR, MID_COLOUR, HIGH_COLOUR = "F8696B", "FFEB84", "63BE7B"


def header_cells(sheet, row: int, labels: list[str], widths: list[float] | None = None,
                 height: float = 32) -> None:
    """Write a header row in the house style, optionally setting column widths."""
    from openpyxl.utils import get_column_letter

    from rubric.xlsx.cells import put_text

    for index, label in enumerate(labels, start=1):
        cell = put_text(sheet.cell(row, index), label)
        cell.fill, cell.font, cell.border, cell.alignment = HEADER_FILL, HEADER_FONT, BORDER, \
            CENTRE
        if widths:
            sheet.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    sheet.row_dimensions[row].height = height


def level_colour_scale(sheet, ref: str, scale) -> None:
    """Red -> amber -> green over the scale's range, so a level or score reads at a glance."""
    from openpyxl.formatting.rule import ColorScaleRule

    low, high = scale.lowest.value, scale.highest.value
    sheet.conditional_formatting.add(ref, ColorScaleRule(
        start_type="num", start_value=low, start_color=LOW_COLOUR,
        mid_type="num", mid_value=(low + high) / 2, mid_color=MID_COLOUR,
        end_type="num", end_value=high, end_color=HIGH_COLOUR))


def print_landscape(sheet, header_row: int | None = None) -> None:
    """A4 landscape, fitted to one page wide, the header row repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"


def print_portrait(sheet) -> None:
    """A4 portrait, fitted to one page wide: for reading sheets such as the Instructions.

    Without an explicit paper size a sheet prints on the spreadsheet's default, which is US
    Letter in Excel and LibreOffice alike.
    """
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
