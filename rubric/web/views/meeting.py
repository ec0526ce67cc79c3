"""The Quad meeting in the service: the lead generates the meeting pack, uploads the filled
meeting record (validated and kept exactly as ``rubric meeting record`` does), and opens each
member's report; an officer opens its own report once its Quad's comparison is released.

Every file is made by the library (:mod:`rubric.meeting.run`) in a temporary folder and kept
by its hash; reports are made from the history on each request, so they show the latest
record.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from rubric.problems import Refused, Report, problem
from rubric.web import blobs
from rubric.web.access import leads, may_see_quad, report_verdict
from rubric.web.config import QuadSpec
from rubric.web.settings import current
from rubric.web.views.authority import XLSX
from rubric.web.views.common import Page, Stop, audit, history, moment, quad_by_slug, quads, store
from rubric.web.views.errors import report_dict, shown, size_text
from rubric.web.views.quad import current_returns

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SANDBOXED = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
             "frame-ancestors 'self'; sandbox")


def _quad(request: HttpRequest, slug: str, *, lead: bool) -> QuadSpec:
    quad = quad_by_slug(slug)
    allowed = leads(request.user, quad.name) if lead else may_see_quad(request.user, quad.name)
    if not allowed:
        raise Stop("access-denied", 403)
    return quad


def pack_dict(pack) -> dict:
    return {"id": pack.id, "quad": pack.quad, "cycle": pack.cycle,
            "created_at": pack.created_at.isoformat(),
            "meeting_date": pack.meeting_date.isoformat() if pack.meeting_date else None,
            "members": pack.members, "agenda": pack.agenda, "valid": pack.valid,
            "errors": pack.errors, "warnings": pack.warnings}


def record_upload_dict(upload) -> dict:
    return {"id": upload.id, "quad": upload.quad, "cycle": upload.cycle,
            "received_at": upload.received_at.isoformat(), "name": upload.shown_name,
            "sha256": upload.sha256, "size": upload.size, "valid": upload.valid,
            "outcome": upload.outcome or None, "record_id": upload.record_id,
            "replaced": upload.replaced, "views": upload.views, "actions": upload.actions,
            "errors": upload.errors, "warnings": upload.warnings}


def _stored_records(quad: QuadSpec) -> list[dict]:
    """The history's meeting records of this Quad's members for its cycle, newest first."""
    from rubric.meeting.store import members, records

    keys = {key.casefold() for _, key in quad.members}
    found = []
    with history() as opened:
        for record in records(opened, cycle=quad.cycle, current_only=False):
            codes = [code for code, _, _ in members(opened, record.id)]
            if codes and all(code.casefold() in keys for code in codes):
                found.append({"id": record.id, "quad": record.quad, "cycle": record.cycle,
                              "meeting_date": record.meeting_date,
                              "recorded_at": record.recorded_at, "members": codes,
                              "current": record.superseded_by is None,
                              "superseded_by": record.superseded_by})
    return sorted(found, key=lambda r: r["id"], reverse=True)


def meeting_page(request: HttpRequest, slug: str) -> Page:
    """The Quad's meeting: packs generated, records uploaded and kept, members' reports."""
    from rubric.web.models import MeetingPack, RecordUpload

    quad = _quad(request, slug, lead=False)
    packs = list(MeetingPack.objects.filter(quad=quad.name, cycle=quad.cycle)
                 .order_by("-created_at")[:20])
    uploads = list(RecordUpload.objects.filter(quad=quad.name, cycle=quad.cycle)
                   .order_by("-received_at")[:20])
    stored = _stored_records(quad)
    reports = [{"authority": name, "key": key,
                "url": reverse("api-report", args=[key])} for name, key in quad.members]
    payload = {"quad": quad.name, "cycle": quad.cycle,
               "packs": [pack_dict(p) for p in packs],
               "record_uploads": [record_upload_dict(u) for u in uploads],
               "records": stored, "reports": reports}
    return Page("rubric/meeting.html",
                {**payload, "quad": quad, "pack_rows": packs, "upload_rows": uploads,
                 "stored_rows": [{**r, "recorded": moment(r["recorded_at"])} for r in stored],
                 "may_lead": leads(request.user, quad.name),
                 "limit": size_text(current().max_upload_bytes)}, payload)


def generate_pack(request: HttpRequest, slug: str) -> Page:
    """Compare the members' current valid returns and keep the pack's three files."""
    from rubric.meeting.run import make_pack, meeting_day
    from rubric.web.models import MeetingPack

    quad = _quad(request, slug, lead=True)
    config = current()
    day = meeting_day(request.POST.get("meeting_date", "").strip() or None)
    chosen = current_returns(quad)
    digests = {"pack.html": "", "pack.xlsx": "", "record.xlsx": ""}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "pack"
        written = make_pack([Path(stored.path) for _, stored in chosen], out, store=store(),
                            quad=quad.name if quad.in_quads_file else None,
                            quads_path=config.quads_file, meeting_date=day)
        if written.pack is not None:
            for name in digests:
                if (out / name).is_file():
                    digests[name], _ = blobs.store_file(config.blobs, out / name)
    problems = report_dict(written.report)
    pack = MeetingPack.objects.create(
        quad=quad.name, cycle=quad.cycle, created_by=request.user, meeting_date=day,
        members=[key for key, _ in chosen], return_ids=[r.id for _, r in chosen],
        agenda=len(written.pack.agenda) if written.pack else 0,
        html_sha256=digests["pack.html"], xlsx_sha256=digests["pack.xlsx"],
        record_sha256=digests["record.xlsx"], errors=problems["errors"],
        warnings=problems["warnings"])
    audit(request, "meeting-pack", f"{quad.name} {quad.cycle}", pack.html_sha256,
          pack=pack.id, returns=pack.return_ids, valid=pack.valid)
    return Page("rubric/pack.html", payload={"pack": pack_dict(pack)}, report=written.report,
                redirect=reverse("pack", args=[pack.id]),
                status=201 if pack.valid else 422)


def _visible_pack(request: HttpRequest, pack_id: int):
    from rubric.web.models import MeetingPack

    pack = MeetingPack.objects.filter(pk=pack_id).first()
    if pack is None:
        raise Stop("not-found", 404)
    if not may_see_quad(request.user, pack.quad):
        raise Stop("access-denied", 403)
    return pack


def pack_page(request: HttpRequest, pack_id: int) -> Page:
    pack = _visible_pack(request, pack_id)
    return Page("rubric/pack.html", {"pack": pack, "may_lead": leads(request.user, pack.quad),
                                     "slug": QuadSpec(pack.quad, pack.cycle, ()).slug},
                {"pack": pack_dict(pack)})


def _kept(digest: str) -> Path:
    if not digest:
        raise Stop("not-found", 404)
    path = blobs.blob_path(current().blobs, digest)
    if not path.is_file():
        raise Stop("not-found", 404)
    return path


def pack_html(request: HttpRequest, pack_id: int) -> HttpResponse:
    """pack.html, shown in a sandboxed frame (no script, nothing fetched)."""
    pack = _visible_pack(request, pack_id)
    response = HttpResponse(_kept(pack.html_sha256).read_bytes(),
                            content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = SANDBOXED
    return response


def _attachment(path: Path, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(path.read_bytes(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def pack_workbook(request: HttpRequest, pack_id: int) -> HttpResponse:
    pack = _visible_pack(request, pack_id)
    return _attachment(_kept(pack.xlsx_sha256), XLSX, f"pack-{pack.id}-{pack.cycle}.xlsx")


def pack_record(request: HttpRequest, pack_id: int) -> HttpResponse:
    """The blank meeting record to fill at the meeting, prefilled with the self-evaluations."""
    pack = _visible_pack(request, pack_id)
    return _attachment(_kept(pack.record_sha256), XLSX, f"record-{pack.id}-{pack.cycle}.xlsx")


def upload_record(request: HttpRequest, slug: str) -> Page:
    """Receive a filled meeting record; keep it in the history when it is valid and names only
    this Quad's members (``rubric meeting record``'s checks, through the guarded reader)."""
    from rubric.meeting.run import record_meetings
    from rubric.web.models import RecordUpload

    quad = _quad(request, slug, lead=True)
    config = current()
    received = request.FILES.get("file")  # parses the body, through the limited handler
    if getattr(request, "rubric_upload_refused", None):
        raise Stop("upload-too-large", 413, limit=size_text(config.max_upload_bytes))
    if received is None or not hasattr(received, "digest"):
        raise Stop("upload-missing", 400)
    path = blobs.adopt(config.blobs, received.path, received.digest)
    run = record_meetings([path], config.db, store(), members=[k for _, k in quad.members])
    result, stored = run.entries[0] if run.entries else (None, None)
    record = result.record if result is not None and stored is not None else None
    upload = RecordUpload.objects.create(
        sha256=received.digest, size=received.size, uploaded_by=request.user,
        shown_name=blobs.shown_name(received.name, "record.xlsx"), quad=quad.name,
        cycle=quad.cycle, valid=stored is not None and run.report.valid,
        errors=[shown(p) for p in run.report.errors],
        warnings=[shown(p) for p in run.report.warnings],
        outcome=stored.outcome or "" if stored else "",
        record_id=stored.record_id if stored else None,
        replaced=stored.replaced if stored else None,
        views=len(record.validations) if record else 0,
        actions=len(record.actions) if record else 0)
    audit(request, "meeting-record", f"{quad.name} {quad.cycle}", received.digest,
          upload=upload.id, valid=upload.valid, errors=len(upload.errors),
          outcome=upload.outcome, record=upload.record_id)
    return Page("rubric/record.html", payload={"record_upload": record_upload_dict(upload)},
                report=Report(list(run.report.problems)),
                redirect=reverse("record-upload", args=[upload.id]),
                status=201 if upload.valid else 422)


def record_upload_page(request: HttpRequest, record_upload_id: int) -> Page:
    from rubric.web.models import RecordUpload

    upload = RecordUpload.objects.filter(pk=record_upload_id).first()
    if upload is None:
        raise Stop("not-found", 404)
    if not may_see_quad(request.user, upload.quad):
        raise Stop("access-denied", 403)
    return Page("rubric/record.html",
                {"upload": upload, "slug": QuadSpec(upload.quad, upload.cycle, ()).slug},
                {"record_upload": record_upload_dict(upload)})


# --- an authority's report --------------------------------------------------------------------

def _released_to(key: str, cycle: str) -> bool:
    from rubric.web.models import ComparisonRecord

    return any(key.casefold() in {k.casefold() for k in record.members}
               for record in ComparisonRecord.objects.filter(cycle=cycle,
                                                             released_at__isnull=False))


def _report_target(request: HttpRequest, key: str) -> tuple[str, str]:
    """(authority key, cycle) when the user may see that authority's report."""
    cycle = current().open_cycle
    verdict = report_verdict(request.user, key, quads(cycle),
                             released=lambda: _released_to(key, cycle))
    if verdict is not None:
        raise Stop(verdict, 403, cycle=cycle)
    return key, cycle


def report_page(request: HttpRequest, key: str) -> Page:
    """The authority's report for the open cycle: what it says, and its files."""
    from rubric.report.build import build_report

    key, cycle = _report_target(request, key)
    with history() as opened:
        built = build_report(opened, key, cycle, store())
    document = built.document
    summary = document.to_dict() if document is not None else None
    payload = {"authority": document.authority if document else key, "cycle": cycle,
               "report": summary}
    return Page("rubric/report.html", {**payload, "key": key, "document": document,
                                       "problems": report_dict(built.report)},
                payload, Report(list(built.report.problems)),
                status=200 if document is not None else 404)


def _report_file(request: HttpRequest, key: str, suffix: str) -> bytes:
    """The report made by ``make_report`` (as ``rubric report`` makes it), its bytes."""
    from rubric.meeting.run import make_report

    key, cycle = _report_target(request, key)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"report{suffix}"
        found = make_report(current().db, key, cycle, out, store=store())
        if not out.is_file():  # the library's refusal (no return in the history), passed on
            first, *rest = found.errors or [problem("report-no-return", authority=key,
                                                    cycle=cycle)]
            raise Refused(first, Report(rest))
        return out.read_bytes()


def report_html(request: HttpRequest, key: str) -> HttpResponse:
    """The report as HTML, shown in a sandboxed frame (no script, nothing fetched)."""
    response = HttpResponse(_report_file(request, key, ".html"),
                            content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = SANDBOXED
    return response


def report_docx(request: HttpRequest, key: str) -> HttpResponse:
    data = _report_file(request, key, ".docx")
    cycle = current().open_cycle
    safe = "".join(ch if ch.isalnum() else "-" for ch in key)[:40] or "authority"
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="report-{safe}-{cycle}.docx"'
    return response

