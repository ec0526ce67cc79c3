"""The JSON Schema of the framework format, generated from the model so the two cannot drift."""

from __future__ import annotations

import ast
import inspect
from typing import Any

from rubric.framework import model
from rubric.framework.model import Framework, StrictModel

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_described = False


def _attribute_docstrings() -> dict[str, dict[str, str]]:
    """Class name -> field -> the string literal written just below the field in model.py."""
    tree = ast.parse(inspect.getsource(model))
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs = found.setdefault(node.name, {})
        for field, below in zip(node.body, node.body[1:], strict=False):
            if (isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
                    and isinstance(below, ast.Expr) and isinstance(below.value, ast.Constant)
                    and isinstance(below.value.value, str)):
                docs[field.target.id] = inspect.cleandoc(below.value.value)
    return found


def describe_fields() -> None:
    """Give every framework field the description its docstring holds, once per process.

    The models are built without them so that importing them (every command does) does not
    read and parse their source; only the schema needs the text."""
    global _described
    if _described:
        return
    docs = _attribute_docstrings()
    models = [value for value in vars(model).values() if isinstance(value, type)
              and issubclass(value, StrictModel) and value.__module__ == model.__name__]
    for cls in models:  # (in definition order, so a model is rebuilt after those it holds)
        for name, info in cls.model_fields.items():
            if info.description is None and name in docs.get(cls.__name__, {}):
                info.description = docs[cls.__name__][name]
    for cls in models:
        cls.model_rebuild(force=True)
    _described = True


def framework_json_schema() -> dict[str, Any]:
    """The schema that ``yaml-language-server`` uses via ``frameworks/framework.schema.json``."""
    describe_fields()
    schema = Framework.model_json_schema(mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "rubric framework",
        **{key: value for key, value in schema.items() if key not in {"title", "description"}},
        "description": "A self-evaluation rubric framework for rubric (see "
        "docs/framework-format.md). Quote ids and versions: YAML reads 1.10 as a number.",
    }
