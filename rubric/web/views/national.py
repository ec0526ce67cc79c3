"""The national lead's pages: every Quad at a glance, the national overview, the audit log."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import HttpRequest, HttpResponse

from rubric.web.settings import current
from rubric.web.views.authority import XLSX
from rubric.web.views.common import Page, Stop, history, quads, store
from rubric.web.views.quad import _summary


def national_page(request: HttpRequest) -> Page:
    rows = [_summary(q) for q in quads()]
    with history() as opened:
        recorded = len(opened.returns(cycle=current().open_cycle))
    payload = {"cycle": current().open_cycle, "quads": rows, "returns_recorded": recorded}
    return Page("rubric/national.html", {**payload, "rows": rows}, payload)


def national_workbook(request: HttpRequest) -> HttpResponse:
    """Every authority's scores beside national and family-group medians, as a workbook."""
    from rubric.compare.pipeline import run_national

    config = current()
    with history() as opened:
        paths = [Path(r.path) for r in opened.returns(cycle=config.open_cycle)]
    paths = [p for p in paths if p.is_file()]
    if not paths:
        raise Stop("history-no-returns", 404, what=f"cycle {config.open_cycle}",
                   path="this service")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "national.xlsx"
        run = run_national(paths, store=store(), quads_path=config.quads_file, xlsx=out)
        if run.overview is None:
            raise Stop("history-no-returns", 404, what=f"cycle {config.open_cycle}",
                       path="this service")
        data = out.read_bytes()
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="national-{config.open_cycle}.xlsx"'
    return response


def audit_page(request: HttpRequest) -> Page:
    from rubric.web.models import AuditEntry

    entries = list(AuditEntry.objects.order_by("-at")[:500])
    rows = [{"at": e.at.isoformat(), "user": e.username, "action": e.action,
             "target": e.target, "sha256": e.file_sha256 or None, "detail": e.detail}
            for e in entries]
    return Page("rubric/audit.html", {"entries": entries}, {"entries": rows})
