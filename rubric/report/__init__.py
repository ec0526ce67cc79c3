"""A report per authority: what it takes to its director and elected members.

``build`` gathers the data from the history (its return, the Quad's record, last cycle);
``html`` and ``docx`` only render it.
"""
