"""Returns in: the safety gate, the raw cell reader, returns -> Response, batches."""
