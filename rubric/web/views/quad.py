"""The Quad lead's pages (the national lead sees them too): members' status, deadline, the
comparison generated, shown, downloaded and released."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from rubric.cycles.status import UploadFact, member_statuses
from rubric.problems import Report
from rubric.web import blobs
from rubric.web.access import leads, may_see_quad
from rubric.web.config import QuadSpec
from rubric.web.settings import current
from rubric.web.views.authority import XLSX, comparison_allowed
from rubric.web.views.common import Page, Stop, audit, history, quad_by_slug, quads, store
from rubric.web.views.errors import report_dict


def _deadline(quad: QuadSpec) -> dt.date | None:
    from rubric.web.models import Deadline

    found = Deadline.objects.filter(quad=quad.name, cycle=quad.cycle).first()
    return found.due if found else None


def statuses(quad: QuadSpec):
    from rubric.web.models import Upload

    keys = [key for _, key in quad.members]
    facts = [UploadFact(u.authority_key, u.received_at, u.valid) for u in
             Upload.objects.filter(cycle=quad.cycle, authority_key__in=keys)]
    with history() as opened:
        return member_statuses(quad.members, facts, opened, quad.cycle,
                               deadline=_deadline(quad), today=timezone.localdate())


def current_returns(quad: QuadSpec) -> list:
    """(authority key, stored return) of each member's current valid return."""
    found = statuses(quad)
    with history() as opened:
        return [(s.key, opened.returns(authority_code=s.key, cycle=quad.cycle)[-1])
                for s in found if s.return_id is not None]


def comparison_dict(record) -> dict:
    return {"id": record.id, "quad": record.quad, "cycle": record.cycle,
            "created_at": record.created_at.isoformat(), "members": record.members,
            "valid": record.valid, "released": record.released_at is not None,
            "released_at": record.released_at.isoformat() if record.released_at else None,
            "errors": record.errors, "warnings": record.warnings}


def _summary(quad: QuadSpec) -> dict:
    found = statuses(quad)
    counts = {state.replace("-", "_"): sum(s.state == state for s in found)
              for state in ("not-started", "problems", "valid")}
    return {"name": quad.name, "slug": quad.slug, "cycle": quad.cycle, **counts,
            "overdue": sum(s.overdue for s in found), "members": len(found)}


def quads_page(request: HttpRequest) -> Page:
    visible = [q for q in quads() if may_see_quad(request.user, q.name)]
    rows = [_summary(q) for q in visible]
    return Page("rubric/quads.html", {"rows": rows}, {"quads": rows})


def _visible_quad(request: HttpRequest, slug: str) -> QuadSpec:
    quad = quad_by_slug(slug)
    if not may_see_quad(request.user, quad.name):
        raise Stop("access-denied", 403)
    return quad


def quad_page(request: HttpRequest, slug: str) -> Page:
    from rubric.web.models import ComparisonRecord

    quad = _visible_quad(request, slug)
    found = statuses(quad)
    records = list(ComparisonRecord.objects.filter(quad=quad.name, cycle=quad.cycle)
                   .order_by("-created_at")[:20])
    deadline = _deadline(quad)
    payload = {"quad": quad.name, "cycle": quad.cycle,
               "deadline": deadline.isoformat() if deadline else None,
               "members": [s.to_dict() for s in found],
               "comparisons": [comparison_dict(r) for r in records]}
    return Page("rubric/quad.html", {**payload, "quad": quad, "statuses": found,
                                     "records": records, "deadline": deadline,
                                     "may_lead": leads(request.user, quad.name),
                                     "valid_count": sum(s.state == "valid" for s in found)},
                payload)


def _lead_of(request: HttpRequest, slug: str) -> QuadSpec:
    quad = quad_by_slug(slug)
    if not leads(request.user, quad.name):
        raise Stop("access-denied", 403)
    return quad


def set_deadline(request: HttpRequest, slug: str) -> Page:
    from rubric.web.models import Deadline

    quad = _lead_of(request, slug)
    try:
        due = dt.date.fromisoformat(request.POST.get("due", "").strip())
    except ValueError:
        raise Stop("date-invalid", 400, value=request.POST.get("due", "")[:40]) from None
    Deadline.objects.update_or_create(quad=quad.name, cycle=quad.cycle, defaults={"due": due})
    audit(request, "deadline", f"{quad.name} {quad.cycle}", due=due.isoformat())
    return Page("rubric/quad.html", payload={"deadline": due.isoformat()},
                redirect=reverse("quad", args=[quad.slug]))


def generate(request: HttpRequest, slug: str) -> Page:
    """Compare the members' current valid returns; keep the report and workbook."""
    from rubric.compare.pipeline import run_comparison
    from rubric.web.models import ComparisonRecord

    quad = _lead_of(request, slug)
    config = current()
    chosen = current_returns(quad)
    paths = [Path(stored.path) for _, stored in chosen]
    report = Report()
    html_digest = xlsx_digest = ""
    with tempfile.TemporaryDirectory() as folder:
        xlsx, html = Path(folder) / "comparison.xlsx", Path(folder) / "comparison.html"
        run = run_comparison(paths, store=store(),
                             quad=quad.name if quad.in_quads_file else None,
                             quads_path=config.quads_file, xlsx=xlsx, html=html)
        report = run.report
        if run.comparison is not None:
            html_digest, _ = blobs.store_file(config.blobs, html)
            xlsx_digest, _ = blobs.store_file(config.blobs, xlsx)
    problems = report_dict(report)
    record = ComparisonRecord.objects.create(
        quad=quad.name, cycle=quad.cycle, created_by=request.user,
        members=[key for key, _ in chosen], return_ids=[r.id for _, r in chosen],
        html_sha256=html_digest, xlsx_sha256=xlsx_digest, errors=problems["errors"],
        warnings=problems["warnings"])
    audit(request, "compare", f"{quad.name} {quad.cycle}", html_digest,
          comparison=record.id, returns=record.return_ids, valid=record.valid)
    return Page("rubric/comparison.html", payload={"comparison": comparison_dict(record)},
                report=report, redirect=reverse("comparison", args=[record.id]),
                status=201 if record.valid else 422)


def comparison_page(request: HttpRequest, comparison_id: int) -> Page:
    record = comparison_allowed(request, comparison_id)
    return Page("rubric/comparison.html",
                {"record": record, "may_lead": leads(request.user, record.quad),
                 "slug": QuadSpec(record.quad, record.cycle, ()).slug},
                {"comparison": comparison_dict(record)})


def _blob_of(record, digest: str):
    if not digest:
        raise Stop("not-found", 404)
    path = blobs.blob_path(current().blobs, digest)
    if not path.is_file():
        raise Stop("not-found", 404)
    return path


def comparison_report(request: HttpRequest, comparison_id: int) -> HttpResponse:
    """The HTML report, shown in a sandboxed frame (no script, nothing fetched)."""
    record = comparison_allowed(request, comparison_id)
    path = _blob_of(record, record.html_sha256)
    response = HttpResponse(path.read_bytes(), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; "
                                           "img-src data:; frame-ancestors 'self'; sandbox")
    return response


def comparison_workbook(request: HttpRequest, comparison_id: int) -> HttpResponse:
    record = comparison_allowed(request, comparison_id)
    path = _blob_of(record, record.xlsx_sha256)
    response = HttpResponse(path.read_bytes(), content_type=XLSX)
    response["Content-Disposition"] = (f'attachment; filename="comparison-{record.id}-'
                                       f'{record.cycle}.xlsx"')
    return response


def release(request: HttpRequest, comparison_id: int) -> Page:
    from rubric.web.models import ComparisonRecord

    record = ComparisonRecord.objects.filter(pk=comparison_id).first()
    if record is None:
        raise Stop("not-found", 404)
    if not leads(request.user, record.quad):
        raise Stop("access-denied", 403)
    if not record.valid:
        raise Stop("comparison-has-problems", 422, errors=len(record.errors))
    if record.released_at is None:
        record.released_at = timezone.now()
        record.released_by = request.user
        record.save(update_fields=["released_at", "released_by"])
        audit(request, "release", f"{record.quad} {record.cycle}", record.html_sha256,
              comparison=record.id)
    return Page("rubric/comparison.html", payload={"comparison": comparison_dict(record)},
                redirect=reverse("comparison", args=[record.id]))
