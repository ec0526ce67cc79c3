"""A generated corpus of hostile and broken inputs (see :mod:`tests.hostile.corpus`)."""
