"""Every route, each with its access rule (``who``); pages and their ``/api/`` JSON twins."""

from __future__ import annotations

from rubric.web.access import PUBLIC, SIGNED_IN
from rubric.web.views import auth, authority, editor, national, quad
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
    *pair("", "home", auth.home, who=(SIGNED_IN,)),
    # authority officers
    *pair("authority/", "authority", authority.authority_page, who=OFFICER),
    single("authority/workbook.xlsx", "workbook", authority.workbook, who=OFFICER),
    *pair("authority/upload", "upload", authority.upload, who=OFFICER, methods=POST),
    *pair("uploads/<int:upload_id>", "upload-detail", authority.upload_detail, who=READERS),
    single("uploads/<int:upload_id>/file", "upload-file", authority.upload_file, who=READERS),
    # Quad leads (the national lead reads the same pages)
    *pair("quads/", "quads", quad.quads_page, who=LEADERS),
    *pair("quads/<slug:slug>/", "quad", quad.quad_page, who=LEADERS),
    *pair("quads/<slug:slug>/deadline", "quad-deadline", quad.set_deadline, who=LEAD,
          methods=POST),
    *pair("quads/<slug:slug>/compare", "quad-compare", quad.generate, who=LEAD, methods=POST),
    *pair("comparisons/<int:comparison_id>/", "comparison", quad.comparison_page, who=READERS),
    single("comparisons/<int:comparison_id>/report.html", "comparison-report",
           quad.comparison_report, who=READERS),
    single("comparisons/<int:comparison_id>/comparison.xlsx", "comparison-workbook",
           quad.comparison_workbook, who=READERS),
    *pair("comparisons/<int:comparison_id>/release", "comparison-release", quad.release,
          who=LEAD, methods=POST),
    # national lead
    *pair("national/", "national", national.national_page, who=NATIONAL),
    single("national/national.xlsx", "national-workbook", national.national_workbook,
           who=NATIONAL),
    *pair("audit/", "audit", national.audit_page, who=NATIONAL),
    # framework editors
    *pair("frameworks/", "frameworks", editor.frameworks_page, who=EDITOR),
    *pair("frameworks/upload", "framework-upload", editor.upload_framework, who=EDITOR,
          methods=POST),
    *pair("frameworks/drafts/<int:draft_id>/", "framework-draft", editor.draft_page,
          who=EDITOR),
    *pair("frameworks/drafts/<int:draft_id>/publish", "framework-publish", editor.publish,
          who=EDITOR, methods=POST),
]

handler400 = "rubric.web.views.errors.bad_request"
handler403 = "rubric.web.views.errors.forbidden"
handler404 = "rubric.web.views.errors.not_found"
handler500 = "rubric.web.views.errors.server_error"
