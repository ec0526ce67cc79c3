"""Every route, each with its access rule (``who``); pages and their ``/api/`` JSON twins."""

from __future__ import annotations

from rubric.web.access import PUBLIC, SIGNED_IN
from rubric.web.views import auth, authority, editor, meeting, national, quad
from rubric.web.views.common import pair, single

OFFICER, LEAD, NATIONAL, EDITOR = ("officer",), ("quad-lead",), ("national",), ("editor",)
LEADERS = ("quad-lead", "national")
READERS = ("officer", "quad-lead", "national")  # object checks narrow these per record
POST = ("POST",)

urlpatterns = [
    single("sign-in", "sign-in", auth.sign_in, who=(PUBLIC,), methods=("GET", "POST")),
    single("sign-out", "sign-out", auth.sign_out, who=(SIGNED_IN,), methods=POST),
    single("account/set-password/<str:uidb64>/<str:token>", "set-password", auth.set_password,
           who=(PUBLIC,), methods=("GET", "POST")),
    single("static/<str:name>", "static", auth.static, who=(PUBLIC,)),
    *pair("", "home", auth.home, who=(SIGNED_IN,), data=("user", "routes"),
          about="who you are, and this list of every JSON route"),
    # authority officers
    *pair("authority/", "authority", authority.authority_page, who=OFFICER,
          data=("authority", "cycle", "framework", "quads", "uploads", "returns",
                "comparisons"), about="your authority: uploads, returns, released comparisons"),
    single("authority/workbook.xlsx", "workbook", authority.workbook, who=OFFICER),
    *pair("authority/upload", "upload", authority.upload, who=OFFICER, methods=POST,
          form=("file",), data=("upload",),
          about="upload a return: 201 valid and recorded, 422 with its problems"),
    *pair("uploads/<int:upload_id>", "upload-detail", authority.upload_detail, who=READERS,
          data=("upload",), about="one upload and its verdict (officers: their own; Quad "
          "leads: their members')"),
    single("uploads/<int:upload_id>/file", "upload-file", authority.upload_file, who=READERS),
    # Quad leads (the national lead reads the same pages)
    *pair("quads/", "quads", quad.quads_page, who=LEADERS, data=("quads",),
          about="your Quads (national: every Quad) with counts per state"),
    *pair("quads/<slug:slug>/", "quad", quad.quad_page, who=LEADERS,
          data=("quad", "cycle", "deadline", "members", "comparisons"),
          about="a Quad's members' status, deadline and comparisons (leads: their own)"),
    *pair("quads/<slug:slug>/deadline", "quad-deadline", quad.set_deadline, who=LEAD,
          methods=POST, form=("due",), data=("deadline",),
          about="set the Quad's deadline (YYYY-MM-DD)"),
    *pair("quads/<slug:slug>/compare", "quad-compare", quad.generate, who=LEAD, methods=POST,
          data=("comparison",), about="compare the members' current valid returns: 201, or "
          "422 with the gate's problems"),
    *pair("comparisons/<int:comparison_id>/", "comparison", quad.comparison_page, who=READERS,
          data=("comparison",), about="a comparison (members: once released)"),
    single("comparisons/<int:comparison_id>/report.html", "comparison-report",
           quad.comparison_report, who=READERS),
    single("comparisons/<int:comparison_id>/comparison.xlsx", "comparison-workbook",
           quad.comparison_workbook, who=READERS),
    *pair("comparisons/<int:comparison_id>/release", "comparison-release", quad.release,
          who=LEAD, methods=POST, data=("comparison",), about="release it to the members"),
    # the Quad meeting: pack, record, reports
    *pair("quads/<slug:slug>/meeting/", "quad-meeting", meeting.meeting_page, who=LEADERS,
          data=("quad", "cycle", "packs", "record_uploads", "records", "reports"),
          about="a Quad's meeting: packs, record uploads, records kept, members' reports"),
    *pair("quads/<slug:slug>/pack", "quad-pack", meeting.generate_pack, who=LEAD,
          methods=POST, form=("meeting_date",), data=("pack",),
          about="make the meeting pack (pack.html, pack.xlsx, record.xlsx): 201, or 422"),
    *pair("packs/<int:pack_id>/", "pack", meeting.pack_page, who=LEADERS, data=("pack",),
          about="a meeting pack"),
    single("packs/<int:pack_id>/pack.html", "pack-html", meeting.pack_html, who=LEADERS),
    single("packs/<int:pack_id>/pack.xlsx", "pack-workbook", meeting.pack_workbook,
           who=LEADERS),
    single("packs/<int:pack_id>/record.xlsx", "pack-record", meeting.pack_record, who=LEADERS),
    *pair("quads/<slug:slug>/record", "quad-record", meeting.upload_record, who=LEAD,
          methods=POST, form=("file",), data=("record_upload",),
          about="upload the filled meeting record: 201 kept, 422 with its problems"),
    *pair("records/<int:record_upload_id>", "record-upload", meeting.record_upload_page,
          who=LEADERS, data=("record_upload",), about="one record upload and its verdict"),
    *pair("reports/<str:key>/", "report", meeting.report_page, who=READERS,
          data=("authority", "cycle", "report"),
          about="an authority's report for the open cycle (officers: their own, once the "
          "Quad's comparison is released; leads: their members')"),
    single("reports/<str:key>/report.html", "report-html", meeting.report_html, who=READERS),
    single("reports/<str:key>/report.docx", "report-docx", meeting.report_docx, who=READERS),
    # national lead
    *pair("national/", "national", national.national_page, who=NATIONAL,
          data=("cycle", "quads", "returns_recorded"), about="every Quad at a glance"),
    single("national/national.xlsx", "national-workbook", national.national_workbook,
           who=NATIONAL),
    *pair("audit/", "audit", national.audit_page, who=NATIONAL, data=("entries",),
          about="the audit log, newest first"),
    # framework editors
    *pair("frameworks/", "frameworks", editor.frameworks_page, who=EDITOR,
          data=("frameworks", "cycles", "default", "drafts"),
          about="frameworks held, cycles' frameworks, drafts"),
    *pair("frameworks/upload", "framework-upload", editor.upload_framework, who=EDITOR,
          methods=POST, form=("file",), data=("draft",),
          about="upload a framework file: lint and diff --check; 201 publishable, 422 not"),
    *pair("frameworks/drafts/<int:draft_id>/", "framework-draft", editor.draft_page,
          who=EDITOR, data=("draft",), about="a draft and its checks"),
    *pair("frameworks/drafts/<int:draft_id>/publish", "framework-publish", editor.publish,
          who=EDITOR, methods=POST, form=("cycle",), data=("draft",),
          about="publish a clean draft to a cycle"),
]

handler400 = "rubric.web.views.errors.bad_request"
handler403 = "rubric.web.views.errors.forbidden"
handler404 = "rubric.web.views.errors.not_found"
handler500 = "rubric.web.views.errors.server_error"
