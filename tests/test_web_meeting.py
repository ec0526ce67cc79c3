"""The Quad meeting through the service: the lead makes the pack, uploads the filled record
(checked as ``rubric meeting record`` checks it) and opens members' reports; an officer opens
its own report only, and only once its Quad's comparison is released."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("django", reason="the web extra (django) is not installed")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AGREED = {("EXA", "1.1"): {"view": "Agreed", "level": 4},
          ("EXA", "1.2"): {"view": "Evidence suggests lower", "level": 3,
                           "rationale": "Two visit notes are not enough."},
          ("EXB", "1.1"): {"view": "Agreed", "level": 4}}
ACTIONS = {("EXA", "EXA-A01"): {"action": "Share the tracking tool with every school.",
                                "links": "1.2", "owner": "QI lead", "status": "Not started"}}


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.fixture(scope="module")
def pack(web) -> dict:
    response = web.client("quad-lead").post("/api/quads/example-quad/pack",
                                            {"meeting_date": "2026-03-12"})
    assert response.status_code == 201, response.json()["errors"]
    return response.json()["pack"]


def _record(web, pack: dict, tmp_path: Path, evaluation=AGREED, actions=ACTIONS) -> bytes:
    from rubric.meeting.fill import fill_record

    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(web.client("quad-lead").get(f"/packs/{pack['id']}/record.xlsx").content)
    return fill_record(blank, tmp_path / "filled.xlsx", evaluation, actions,
                       force=True).read_bytes()


def test_the_lead_makes_the_pack_and_gets_its_three_files(web, pack) -> None:
    lead = web.client("quad-lead")
    assert pack["valid"] and pack["members"] == ["EXA", "EXB", "EXC", "EXD"]
    assert pack["meeting_date"] == "2026-03-12" and pack["agenda"] > 0
    page = lead.get(f"/packs/{pack['id']}/").content.decode()
    assert f'src="/packs/{pack["id"]}/pack.html" sandbox' in page
    assert "12 March 2026" in page
    shown = lead.get(f"/packs/{pack['id']}/pack.html")
    assert shown["Content-Type"].startswith("text/html")
    assert "sandbox" in shown["Content-Security-Policy"]
    assert b"Example Authority D" in shown.content
    for name in ("pack.xlsx", "record.xlsx"):
        download = lead.get(f"/packs/{pack['id']}/{name}")
        assert download["Content-Type"] == XLSX and download.content[:2] == b"PK"
        assert download["Content-Disposition"].startswith("attachment;")
    listed = lead.get("/api/quads/example-quad/meeting/").json()
    assert pack["id"] in [p["id"] for p in listed["packs"]]
    # the national lead reads it; another Quad's lead does not, nor makes one for this Quad
    assert web.client("national").get(f"/api/packs/{pack['id']}/").status_code == 200
    other = web.client("lead-fg1a")
    assert other.get(f"/api/packs/{pack['id']}/").status_code == 403
    assert other.get(f"/packs/{pack['id']}/record.xlsx").status_code == 403
    assert other.post("/api/quads/example-quad/pack").status_code == 403


def test_a_bad_meeting_date_is_refused(web) -> None:
    response = web.client("quad-lead").post("/api/quads/example-quad/pack",
                                            {"meeting_date": "12/03/2026"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "date-invalid"


def test_a_filled_record_is_checked_at_its_cells_and_kept(web, pack, tmp_path) -> None:
    lead = web.client("quad-lead")
    wrong = _record(web, pack, tmp_path, {**AGREED, ("EXA", "1.1"): {"view": "Mostly agreed",
                                                                      "level": 4}})
    refused = lead.post("/api/quads/example-quad/record", {"file": _file("r.xlsx", wrong)})
    assert refused.status_code == 422
    body = refused.json()
    assert body["record_upload"]["valid"] is False and body["record_upload"]["record_id"] is None
    (error,) = body["errors"]
    assert error["code"] == "record-view-unknown" and error["location"].startswith("Evaluation!H")
    assert "Mostly agreed" in error["message"] and error["hint"]
    assert str(tmp_path) not in str(body) and str(web.root) not in str(body)
    page = lead.get(f"/records/{body['record_upload']['id']}").content.decode()
    assert "record-view-unknown" in page and error["location"] in page

    good = _record(web, pack, tmp_path)
    kept = lead.post("/api/quads/example-quad/record", {"file": _file("record.xlsx", good)})
    assert kept.status_code == 201, kept.json()["errors"]
    upload = kept.json()["record_upload"]
    assert upload["valid"] and upload["outcome"] in ("recorded", "superseded")
    assert upload["views"] == 3 and upload["actions"] == 1
    again = lead.post("/api/quads/example-quad/record", {"file": _file("again.xlsx", good)})
    assert again.json()["record_upload"]["outcome"] == "unchanged"
    meeting = lead.get("/api/quads/example-quad/meeting/").json()
    current = [r for r in meeting["records"] if r["current"]]
    assert [r["id"] for r in current] == [upload["record_id"]]
    assert current[0]["members"] == ["EXA", "EXB", "EXC", "EXD"]
    page = lead.get(f"/records/{upload['id']}").content.decode()
    assert f"kept as record #{upload['record_id']}" in page

    from rubric.web.models import AuditEntry

    assert AuditEntry.objects.filter(action="meeting-record", file_sha256=kept.json()[
        "record_upload"]["sha256"]).exists()


def test_a_record_of_another_quad_is_refused_and_not_kept(web, pack, tmp_path) -> None:
    from rubric.cycles.history import open_history

    good = _record(web, pack, tmp_path)
    history = open_history(web.config.db)
    try:
        before = history.connection.execute("SELECT COUNT(*) FROM meeting_records").fetchone()
    finally:
        history.close()
    other = web.client("lead-fg1a")  # leads FG1 Quad A, whose members are not these
    refused = other.post("/api/quads/fg1-quad-a/record", {"file": _file("r.xlsx", good)})
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error["code"] == "record-other-quad" and error["location"] == "_rubric!B9"
    assert "Example Authority A" in error["message"]
    history = open_history(web.config.db)
    try:
        after = history.connection.execute("SELECT COUNT(*) FROM meeting_records").fetchone()
    finally:
        history.close()
    assert after == before
    assert other.post("/api/quads/example-quad/record",
                      {"file": _file("r.xlsx", good)}).status_code == 403


def test_reports_for_the_lead_and_for_the_officer_after_release_only(web, pack,
                                                                       tmp_path) -> None:
    lead = web.client("quad-lead")
    assert lead.post("/api/quads/example-quad/record", {"file": _file(
        "record.xlsx", _record(web, pack, tmp_path))}).status_code == 201
    body = lead.get("/api/reports/EXA/").json()
    report = body["report"]
    assert body["authority"] == "Example Authority A" and report["cycle"] == "2025-26"
    assert report["quad"] and report["meeting_date"] == "2026-03-12"
    lower = next(i for i in report["indicators"] if i["id"] == "1.2")
    assert lower["view"] == "Evidence suggests lower" and lower["validated_level"] == 3
    assert [a["id"] for a in report["actions"]] == ["EXA-A01"]
    html = lead.get("/reports/EXA/report.html")
    assert "sandbox" in html["Content-Security-Policy"]
    assert b"Two visit notes are not enough." in html.content
    word = lead.get("/reports/EXA/report.docx")
    assert word["Content-Type"] == DOCX and word.content[:2] == b"PK"
    assert word["Content-Disposition"] == 'attachment; filename="report-EXA-2025-26.docx"'
    page = lead.get("/reports/EXA/").content.decode()
    assert 'src="/reports/EXA/report.html" sandbox' in page

    # the officer of A: its own report (its Quad's comparison is released), nobody else's
    officer = web.client("officer-a")
    assert officer.get("/api/reports/EXA/").json()["report"]["authority_code"] == "EXA"
    assert officer.get("/reports/EXA/report.docx").status_code == 200
    assert "/reports/EXA/" in officer.get("/authority/").content.decode()
    for url in ("/api/reports/EXB/", "/reports/EXB/report.html", "/reports/EXB/report.docx"):
        refused = officer.get(url)
        assert refused.status_code == 403, url
    assert officer.get("/api/reports/EXB/").json()["errors"][0]["code"] == "access-denied"
    # an officer whose Quad has no released comparison waits for it
    waiting = web.client("officer-abd")
    held = waiting.get("/api/reports/ABE/")
    assert held.status_code == 403
    assert held.json()["errors"][0]["code"] == "report-not-released"
    assert waiting.get("/reports/ABE/report.docx").status_code == 403
    assert "/reports/" not in waiting.get("/authority/").content.decode()
    # another Quad's lead and the editor see none of them
    assert web.client("lead-fg1a").get("/api/reports/EXA/").status_code == 403
    assert web.client("editor").get("/api/reports/EXA/").status_code == 403


def test_a_report_without_a_return_is_a_coded_problem(web) -> None:
    body = web.client("lead-fg1a").get("/api/reports/ABE/")  # a member of FG1 Quad A
    assert body.status_code == 404
    assert body.json()["errors"][0]["code"] == "report-no-return"
    file = web.client("lead-fg1a").get("/reports/ABE/report.docx")
    assert file.status_code == 422 and b"report-no-return" in file.content
