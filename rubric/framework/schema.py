"""The JSON Schema of the framework format, generated from the model so the two cannot drift."""

from __future__ import annotations

from typing import Any

from rubric.framework.model import Framework

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def framework_json_schema() -> dict[str, Any]:
    """The schema that ``yaml-language-server`` uses via ``frameworks/framework.schema.json``."""
    schema = Framework.model_json_schema(mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "rubric framework",
        **{key: value for key, value in schema.items() if key not in {"title", "description"}},
        "description": "A self-evaluation rubric framework for rubric (see "
        "docs/framework-format.md). Quote ids and versions: YAML reads 1.10 as a number.",
    }
