"""The outline of a framework as plain data, for ``framework show`` and other tools."""

from __future__ import annotations

from typing import Any

from rubric.framework.model import Framework


def framework_outline(framework: Framework) -> dict[str, Any]:
    """A stable JSON shape: the framework's identity, scale, tree of items and measures."""
    scale = framework.scale
    return {
        "id": framework.id,
        "version": framework.version,
        "title": framework.title,
        "status": framework.status,
        "publisher": framework.publisher,
        "description": framework.description,
        "content_hash": framework.content_hash,
        "scale": [
            {"value": level.value, "label": level.label, "meaning": level.meaning}
            for level in scale.levels
        ],
        "special_answers": {
            name: {"label": answer.label, "meaning": answer.meaning, "scoring": answer.scoring}
            for name, answer in (("not_applicable", scale.not_applicable),
                                 ("not_evaluated", scale.not_evaluated))
        },
        "categories": [
            {
                "id": category.id,
                "title": category.title,
                "weight": category.weight,
                "indicators": [
                    {
                        "id": indicator.id,
                        "title": indicator.title,
                        "weight": indicator.weight,
                        "themes": [
                            {"id": theme.id, "title": theme.title, "weight": theme.weight,
                             "measures": list(theme.measures)}
                            for theme in indicator.themes
                        ],
                    }
                    for indicator in category.indicators
                ],
            }
            for category in framework.categories
        ],
        "measures": [measure.model_dump(mode="json") for measure in framework.measures],
        "scoring": framework.scoring.model_dump(mode="json"),
        "counts": {
            "categories": len(framework.categories),
            "indicators": len(framework.indicator_index),
            "themes": len(framework.theme_index),
            "measures": len(framework.measures),
        },
    }
