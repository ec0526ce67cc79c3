"""Cycle after cycle: the history database, trends and what to follow up."""
