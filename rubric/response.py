"""The contract between reading and everything after it: what an authority returned.

Scoring, comparison, migration and the history work on these types and never import the
workbook reader, so any source of answers (a workbook, the history, a web form) can feed them.
No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from rubric.problems import Report, display_path

if TYPE_CHECKING:
    from rubric.framework.model import Framework

Special = Literal["not_applicable", "not_evaluated"]


class _Frozen(BaseModel):
    # Validators are built on first validation, not at import: the hot path builds these with
    # trusted construction and a command that only prints never pays for them.
    model_config = ConfigDict(frozen=True, defer_build=True)


class ThemeAnswer(_Frozen):
    """One theme as answered: a level or a special answer, and the three texts.

    An indicator's own judgement has the same shape (see :attr:`Response.judgements`)."""

    id: str
    level: int | None = None
    special: Special | None = None
    evidence: str = ""
    strengths: str = ""
    next_steps: str = ""
    previous_next_steps: str = ""  # follow-up workbooks: last cycle's next steps, as shown
    progress: str = ""  # follow-up workbooks: progress reported on them
    cell: str = ""  # the level cell as Excel writes a reference, e.g. "'2 Impact on learners'!E7"

    @property
    def has_text(self) -> bool:
        return bool(self.evidence or self.strengths or self.next_steps)

    @classmethod
    def trusted(cls, **values: Any) -> ThemeAnswer:
        """Build from values the reader produced itself, skipping validation.

        Equivalent to ``model_construct`` with every field given (a test holds them equal),
        at a fifth of its cost: a national run builds hundreds of thousands of these.
        """
        answer = cls.__new__(cls)
        object.__setattr__(answer, "__dict__", values)
        object.__setattr__(answer, "__pydantic_fields_set__", set(values))
        object.__setattr__(answer, "__pydantic_extra__", None)
        object.__setattr__(answer, "__pydantic_private__", None)
        return answer


class MeasureValue(_Frozen):
    id: str
    baseline: float | None = None
    current: float | None = None
    notes: str = ""
    cell: str = ""


class ActionUpdate(_Frozen):
    """Follow-up workbooks: an action agreed last cycle, as shown, and the status reported."""

    id: str
    action: str = ""
    due: str = ""  # as shown (ISO date), for working out whether it is overdue
    status: str = ""  # one of the action statuses, or "" when none was chosen
    progress: str = ""
    cell: str = ""


class Response(_Frozen):
    """Everything one authority returned, keyed by framework ids."""

    path: str
    framework_id: str
    framework_version: str
    framework_hash: str
    authority: str
    authority_code: str = ""
    cycle: str = ""
    created_at: str = ""
    migrated_from: str = ""  # "<framework id> <version>" of the return this was migrated from
    themes: dict[str, ThemeAnswer]
    # Indicators the framework judges as a whole ('indicator' or 'both' grading): indicator id
    # -> its judgement, in the same shape as a theme's answer (level, texts, cell).
    judgements: dict[str, ThemeAnswer] = {}
    measures: dict[str, MeasureValue] = {}
    actions: dict[str, ActionUpdate] = {}  # follow-up workbooks: action id -> status reported


@dataclass(slots=True)
class ReadResult:
    """A return as read: the response (when it could be built), its framework, and the report."""

    path: str
    response: Response | None = None
    framework: Framework | None = None
    report: Report = field(default_factory=Report)
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.response is not None and self.report.valid

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": display_path(self.path),
            "valid": self.valid,
            "authority": self.provenance.get("authority") or None,
            "framework": {"id": self.provenance.get("framework_id") or None,
                          "version": self.provenance.get("framework_version") or None},
            "errors": [p.to_dict() for p in self.report.errors],
            "warnings": [p.to_dict() for p in self.report.warnings],
        }
