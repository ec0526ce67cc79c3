"""The Quad meeting: the pack it reads, the record it fills in, and what is followed up.

``pack`` builds the pre-reading (agenda, one page per member) from a comparison; ``record``
writes the record workbook the Quad fills in and ``record_read`` reads it back through the same
safety gate as returns; ``store`` keeps records in the history; ``actions`` decides what the next
cycle follows up.
"""
