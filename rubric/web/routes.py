"""The machine-readable list of JSON routes (Django makes no OpenAPI document).

Built from the URL resolver and the very attributes the :class:`~rubric.web.access.Authorise`
middleware checks (``rubric_access``) and :func:`~rubric.web.views.common.pair` sets
(``rubric_api``), so the list cannot say something the service does not do.
"""

from __future__ import annotations

import re
from typing import Any

_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
ENVELOPE = ("ok", "errors", "warnings")  # every JSON body has these (the CLI's --json shape)


def api_routes() -> list[dict[str, Any]]:
    """Every ``/api/`` route: path (``{name}`` for a parameter), methods, who may call it,
    form fields, and the keys of its JSON body."""
    from django.urls import get_resolver

    found: list[dict[str, Any]] = []

    def walk(patterns: Any, prefix: str = "") -> None:
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry.url_patterns, prefix + str(entry.pattern))
                continue
            shape = getattr(entry.callback, "rubric_api", None)
            if shape is None:
                continue
            found.append({"path": "/" + _PARAMETER.sub(r"{\1}", prefix + str(entry.pattern)),
                          "methods": list(shape.methods),
                          "who": sorted(entry.callback.rubric_access),
                          "form": list(shape.form),
                          "data": [ENVELOPE[0], *shape.data, *ENVELOPE[1:]],
                          "about": shape.about})

    walk(get_resolver().url_patterns)
    return found
