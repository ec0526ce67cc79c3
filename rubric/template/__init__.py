"""Framework -> the workbook an authority fills in (and filling one, for tests and migration)."""
