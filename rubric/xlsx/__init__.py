"""Cells, styles and the layout shared by every workbook writer and the return reader."""
