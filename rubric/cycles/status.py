"""Where each member of a Quad stands in a cycle: not started, uploaded with problems, valid.

A Quad lead's first question before a meeting is who has sent a usable return and who is late.
The answer joins two records: the uploads a service received (valid or not: the history only
keeps valid returns) and the returns in the history (which the command line fills too, so a
return ingested by ``rubric ingest`` counts as well).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rubric.cycles.history import History

State = Literal["not-started", "problems", "valid"]
STATE_LABELS: dict[str, str] = {"not-started": "Not started",
                                "problems": "Uploaded with problems", "valid": "Valid"}


@dataclass(frozen=True, slots=True)
class UploadFact:
    """One upload as a service recorded it."""

    authority_key: str  # the authority's code, or its name when it has none
    received_at: dt.datetime
    valid: bool


@dataclass(frozen=True, slots=True)
class MemberStatus:
    name: str
    key: str
    state: State
    last_upload: dt.datetime | None
    uploads: int
    return_id: int | None  # the current valid return in the history, if any
    replaced: int  # earlier valid returns this cycle that a newer one superseded
    completion: float | None  # answered themes / themes that apply, of the current return
    overdue: bool

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    def to_dict(self) -> dict[str, Any]:
        return {"authority": self.name, "key": self.key, "state": self.state,
                "label": self.label, "uploads": self.uploads,
                "last_upload": self.last_upload.isoformat() if self.last_upload else None,
                "return_id": self.return_id, "superseded_returns": self.replaced,
                "completion": self.completion, "overdue": self.overdue}


def member_statuses(members: Sequence[tuple[str, str]], uploads: Iterable[UploadFact],
                    history: History, cycle: str, *, deadline: dt.date | None = None,
                    today: dt.date | None = None) -> list[MemberStatus]:
    """One status per member ``(name, key)``, in the order given.

    The latest upload decides between valid and problems (a fix uploaded after a bad file
    makes a member valid again; a bad file after a valid one is shown, since the member is
    probably still working on it). A member past ``deadline`` without a valid latest upload is
    overdue.
    """
    today = today or dt.date.today()
    by_key: dict[str, list[UploadFact]] = {}
    for fact in uploads:
        by_key.setdefault(fact.authority_key.casefold(), []).append(fact)
    statuses = []
    for name, key in members:
        own = sorted(by_key.get(key.casefold(), []), key=lambda f: f.received_at)
        every = history.returns(authority_code=key, cycle=cycle, current_only=False)
        current = [r for r in every if r.superseded_by is None]
        return_id = current[-1].id if current else None
        if own:
            state: State = "valid" if own[-1].valid else "problems"
        else:
            state = "valid" if return_id is not None else "not-started"
        completion = _completion(history, return_id) if return_id is not None else None
        late = deadline is not None and today > deadline and state != "valid"
        statuses.append(MemberStatus(name, key, state, own[-1].received_at if own else None,
                                     len(own), return_id, len(every) - len(current),
                                     completion, late))
    return statuses


def _completion(history: History, return_id: int) -> float | None:
    row = history.connection.execute(
        "SELECT answered, total FROM scores WHERE return_id = ? AND item_kind = 'overall'",
        (return_id,)).fetchone()
    if not row or not row[1]:
        return None
    return row[0] / row[1]
