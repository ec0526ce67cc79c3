"""The authority officer's pages: the workbook to fill, uploads with their verdicts, returns
so far, and released comparisons."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse

from rubric.problems import Report
from rubric.web import blobs
from rubric.web.access import comparison_verdict, may_see_authority
from rubric.web.settings import current
from rubric.web.views.common import (
    Page,
    Stop,
    audit,
    history,
    moment,
    open_framework,
    quads,
    quads_of_authority,
    store,
)
from rubric.web.views.errors import shown, size_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_dict(upload) -> dict:
    return {"id": upload.id, "authority": upload.authority, "cycle": upload.cycle,
            "received_at": upload.received_at.isoformat(), "valid": upload.valid,
            "outcome": upload.outcome or None, "framework": upload.framework or None,
            "sha256": upload.sha256, "size": upload.size, "name": upload.shown_name,
            "return_id": upload.return_id, "errors": upload.errors, "warnings": upload.warnings}


def _released_for(key: str) -> list:
    from rubric.web.models import ComparisonRecord

    return [r for r in ComparisonRecord.objects.filter(released_at__isnull=False)
            .order_by("-released_at") if key.casefold() in {k.casefold() for k in r.members}]


def authority_page(request: HttpRequest) -> Page:
    from rubric.web.models import Upload

    user = request.user
    key = user.authority_key
    uploads = list(Upload.objects.filter(authority_key=key).order_by("-received_at")[:50])
    with history() as opened:
        returns = opened.returns(authority_code=key, current_only=False)
    released = _released_for(key)
    rows = [{"id": r.id, "cycle": r.cycle, "framework": f"{r.framework_id} "
             f"{r.framework_version}", "ingested_at": r.ingested_at,
             "state": "superseded" if r.superseded_by else "current"} for r in reversed(returns)]
    shown_rows = [{**row, "recorded": moment(row["ingested_at"])} for row in rows]
    payload = {"authority": user.authority, "cycle": current().open_cycle,
               "framework": open_framework(),
               "quads": [q.name for q in quads_of_authority(key)],
               "uploads": [upload_dict(u) for u in uploads], "returns": rows,
               "comparisons": [{"id": r.id, "quad": r.quad, "cycle": r.cycle,
                                "released_at": r.released_at.isoformat()} for r in released]}
    return Page("rubric/authority.html", {**payload, "uploads": uploads, "returns": shown_rows,
                                          "released": released,
                                          "report_open": any(r.cycle == current().open_cycle
                                                             for r in released),
                                          "limit": size_text(current().max_upload_bytes)},
                payload)


def workbook(request: HttpRequest) -> HttpResponse:
    """The officer's workbook for the open cycle (with ``?follow_up=1``, the follow-up one,
    listing last cycle's next steps from the history)."""
    from rubric.cycles.cycle import previous_cycle
    from rubric.cycles.trend import previous_next_steps
    from rubric.template.workbook import TemplateInfo, write_template

    user = request.user
    config = current()
    loaded = store().resolve(open_framework())
    framework = loaded.framework
    if framework is None:
        raise Stop("framework-has-errors", 422, path=open_framework(),
                   errors=len(loaded.report.errors))
    follow_up = request.GET.get("follow_up") == "1"
    steps = None
    if follow_up:
        with history() as opened:
            steps = previous_next_steps(opened, user.authority_key,
                                        previous_cycle(config.open_cycle), store(),
                                        framework) or {}
    info = TemplateInfo(user.authority, config.open_cycle, user.authority_code,
                        follow_up=steps)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "workbook.xlsx"
        write_template(framework, info, out)
        data = out.read_bytes()
    name = (f"{framework.id}-{framework.version}-{user.authority_code or 'authority'}-"
            f"{config.open_cycle}{'-follow-up' if follow_up else ''}.xlsx")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def upload(request: HttpRequest) -> Page:
    """Receive a return, give its verdict, record it when valid."""
    from rubric.cycles.submit import submit_return
    from rubric.web.models import Upload

    config = current()
    user = request.user
    received = request.FILES.get("file")  # parses the body, through the limited handler
    if getattr(request, "rubric_upload_refused", None):
        raise Stop("upload-too-large", 413, limit=size_text(config.max_upload_bytes))
    if received is None or not hasattr(received, "digest"):
        raise Stop("upload-missing", 400)
    path = blobs.adopt(config.blobs, received.path, received.digest)
    with history() as opened:
        submission = submit_return(path, store=store(), history=opened,
                                   cycle=config.open_cycle,
                                   authority=(user.authority, user.authority_code))
    name = blobs.shown_name(received.name, "return.xlsx")
    report = submission.report
    outcome = submission.outcome
    framework = "@".join(submission.framework) if submission.framework else ""
    record = Upload.objects.create(
        sha256=received.digest, size=received.size, shown_name=name, uploaded_by=user,
        authority=user.authority, authority_key=user.authority_key, cycle=config.open_cycle,
        valid=submission.valid, errors=[shown(p) for p in report.errors],
        warnings=[shown(p) for p in report.warnings],
        return_id=outcome.return_id if outcome else None,
        outcome=outcome.outcome if outcome else "", framework=framework)
    audit(request, "upload", f"{user.authority} {config.open_cycle}", received.digest,
          upload=record.id, valid=record.valid, errors=len(record.errors),
          outcome=record.outcome)
    return Page("rubric/upload.html", _upload_context(record),
                {"upload": upload_dict(record)}, Report(list(report.problems)),
                redirect=reverse("upload-detail", args=[record.id]),
                status=201 if submission.valid else 422)


def _upload_context(record) -> dict:
    return {"upload": record, "errors": record.errors, "warnings": record.warnings}


def _visible_upload(request: HttpRequest, upload_id: int):
    from rubric.web.models import Upload

    record = Upload.objects.filter(pk=upload_id).first()
    if record is None:
        raise Stop("not-found", 404)
    if not may_see_authority(request.user, record.authority_key, quads(record.cycle)):
        raise Stop("access-denied", 403)
    return record


def upload_detail(request: HttpRequest, upload_id: int) -> Page:
    record = _visible_upload(request, upload_id)
    report = Report()
    return Page("rubric/upload.html", _upload_context(record), {"upload": upload_dict(record)},
                report)


def upload_file(request: HttpRequest, upload_id: int) -> HttpResponse:
    record = _visible_upload(request, upload_id)
    path = blobs.blob_path(current().blobs, record.sha256)
    if not path.is_file():
        raise Stop("not-found", 404)
    return FileResponse(path.open("rb"), as_attachment=True, content_type=XLSX,
                        filename=f"return-{record.id}.xlsx")


def comparison_allowed(request: HttpRequest, comparison_id: int):
    from rubric.web.models import ComparisonRecord

    record = ComparisonRecord.objects.filter(pk=comparison_id).first()
    if record is None:
        raise Stop("not-found", 404)
    verdict = comparison_verdict(request.user, record)
    if verdict is not None:
        raise Stop(verdict, 403, quad=record.quad, cycle=record.cycle)
    return record


__all__ = ["authority_page", "comparison_allowed", "upload", "upload_detail",
           "upload_file", "workbook"]
