"""Who may see what in the web service: every route, every role, and object-level checks.

The matrix enumerates every route from Django's URL resolver; a route missing from the table
below fails the suite, so no route goes live without a decision on who may use it.
"""

from __future__ import annotations

import pytest

pytest.importorskip("django", reason="the web extra (django) is not installed")

ROLES = ("anonymous", "officer-a", "quad-lead", "national", "editor")
# yes: gets past authorisation (whatever the page then says); no: refused (401/403, or sent
# to sign in). Sample objects: officer-a's upload, the example Quad's unreleased comparison, its
# meeting pack and a record upload, officer-a's report (its Quad's comparison is released).
MATRIX = """
| route                   | anonymous | officer-a | quad-lead | national | editor |
| sign-in                 | yes       | yes       | yes       | yes      | yes    |
| sign-out                | no        | yes       | yes       | yes      | yes    |
| set-password            | yes       | yes       | yes       | yes      | yes    |
| static                  | yes       | yes       | yes       | yes      | yes    |
| home                    | no        | yes       | yes       | yes      | yes    |
| authority               | no        | yes       | no        | no       | no     |
| workbook                | no        | yes       | no        | no       | no     |
| upload                  | no        | yes       | no        | no       | no     |
| upload-detail           | no        | yes       | yes       | yes      | no     |
| upload-file             | no        | yes       | yes       | yes      | no     |
| quads                   | no        | no        | yes       | yes      | no     |
| quad                    | no        | no        | yes       | yes      | no     |
| quad-deadline           | no        | no        | yes       | no       | no     |
| quad-compare            | no        | no        | yes       | no       | no     |
| comparison              | no        | no        | yes       | yes      | no     |
| comparison-report       | no        | no        | yes       | yes      | no     |
| comparison-workbook     | no        | no        | yes       | yes      | no     |
| comparison-release      | no        | no        | yes       | no       | no     |
| quad-meeting            | no        | no        | yes       | yes      | no     |
| quad-pack               | no        | no        | yes       | no       | no     |
| pack                    | no        | no        | yes       | yes      | no     |
| pack-html               | no        | no        | yes       | yes      | no     |
| pack-workbook           | no        | no        | yes       | yes      | no     |
| pack-record             | no        | no        | yes       | yes      | no     |
| quad-record             | no        | no        | yes       | no       | no     |
| record-upload           | no        | no        | yes       | yes      | no     |
| report                  | no        | yes       | yes       | yes      | no     |
| report-html             | no        | yes       | yes       | yes      | no     |
| report-docx             | no        | yes       | yes       | yes      | no     |
| national                | no        | no        | no        | yes      | no     |
| national-workbook       | no        | no        | no        | yes      | no     |
| audit                   | no        | no        | no        | yes      | no     |
| frameworks              | no        | no        | no        | no       | yes    |
| framework-upload        | no        | no        | no        | no       | yes    |
| framework-draft         | no        | no        | no        | no       | yes    |
| framework-publish       | no        | no        | no        | no       | yes    |
"""


def _matrix() -> dict[str, dict[str, bool]]:
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in MATRIX.strip().splitlines()]
    header, body = rows[0], rows[1:]
    return {row[0]: {role: cell == "yes" for role, cell in zip(header[1:], row[1:], strict=True)}
            for row in body}


def _routes():
    """(name, pattern, view) of every route the service answers."""
    from django.urls import get_resolver

    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            else:
                found.append((entry.name, prefix + str(entry.pattern), entry.callback))

    walk(get_resolver().url_patterns)
    return found


def _sample_kwargs(web, name: str, pattern: str) -> dict:
    from rubric.web.models import FrameworkDraft

    draft = FrameworkDraft.objects.first()
    if draft is None:  # a draft with errors: publishing it is refused after authorisation
        editor = web.client("editor")
        from django.core.files.uploadedfile import SimpleUploadedFile

        editor.post("/frameworks/upload", {"file": SimpleUploadedFile("bad.yaml", b"id: [")})
        draft = FrameworkDraft.objects.first()
    values = {"upload_id": web.uploads["EXA"], "slug": "example-quad",
              "comparison_id": web.throwaway if name.endswith("comparison-release")
              else web.unreleased, "draft_id": draft.id, "name": "rubric.css",
              "uidb64": "MQ", "token": "not-a-token", "pack_id": web.pack,
              "record_upload_id": web.record_upload, "key": "EXA"}
    return {key: value for key, value in values.items() if f"<{key}>" in pattern
            or f":{key}>" in pattern}


def _methods(view) -> list[str]:
    """The HTTP methods a route accepts (from its require_http_methods closure)."""
    for cell in view.__closure__ or ():
        contents = cell.cell_contents
        if isinstance(contents, list) and contents and all(isinstance(m, str) for m in contents):
            return contents
    return ["GET"]


def _allowed(role: str, response) -> bool:
    if role == "anonymous":
        refused = response.status_code in (401, 403) or (
            response.status_code == 302 and "/sign-in" in response["Location"])
    else:
        refused = response.status_code == 403
    assert response.status_code < 500, response.content[:500]
    return not refused


def test_every_route_has_a_rule_and_a_row_in_the_matrix(web) -> None:
    matrix = _matrix()
    names = set()
    for name, pattern, view in _routes():
        assert getattr(view, "rubric_access", None), f"route {pattern} has no access rule"
        base = name.removeprefix("api-")
        assert base in matrix, f"route {name} ({pattern}) is not in the authorisation matrix"
        names.add(base)
    assert set(matrix) - names == set(), "matrix rows without a route"


@pytest.mark.parametrize("role", ROLES)
def test_authorisation_matrix(web, role: str) -> None:
    from django.urls import reverse

    matrix = _matrix()
    wrong = []
    for name, pattern, view in _routes():
        url = reverse(name, kwargs=_sample_kwargs(web, name, pattern))
        method = "post" if "POST" in _methods(view) and "GET" not in _methods(view) else "get"
        client = web.client(None if role == "anonymous" else role)
        response = getattr(client, method)(url)
        expected = matrix[name.removeprefix("api-")][role]
        if _allowed(role, response) != expected:
            wrong.append(f"{method.upper()} {url}: {response.status_code}, expected "
                         f"{'allowed' if expected else 'refused'}")
    assert wrong == []


def test_a_refusal_is_a_coded_problem_in_the_clis_json_shape(web) -> None:
    response = web.client("officer-a").get("/api/national/")
    assert response.status_code == 403
    body = response.json()
    assert body["ok"] is False and body["warnings"] == []
    assert [e["code"] for e in body["errors"]] == ["access-denied"]
    assert response["Content-Type"].startswith("application/json")
    anonymous = web.client().get("/api/authority/")
    assert anonymous.status_code == 401 and anonymous.json()["errors"][0]["code"] == (
        "access-denied")


def test_an_officer_never_sees_another_authoritys_upload(web) -> None:
    officer = web.client("officer-a")
    other = web.uploads["EXB"]
    assert officer.get(f"/uploads/{other}").status_code == 403
    assert officer.get(f"/uploads/{other}/file").status_code == 403
    assert officer.get(f"/api/uploads/{other}").json()["errors"][0]["code"] == "access-denied"
    own = officer.get(f"/api/uploads/{web.uploads['EXA']}").json()
    assert own["upload"]["authority"] == "Example Authority A"
    # another Quad's lead does not see the example Quad's members either
    assert web.client("lead-fg1a").get(f"/uploads/{other}").status_code == 403


def test_a_comparison_is_seen_by_members_only_after_release(web) -> None:
    member, outsider = web.client("officer-a"), web.client("officer-abd")
    unreleased = member.get(f"/api/comparisons/{web.unreleased}/")
    assert unreleased.status_code == 403
    assert unreleased.json()["errors"][0]["code"] == "comparison-not-released"
    assert member.get(f"/comparisons/{web.unreleased}/report.html").status_code == 403
    released = member.get(f"/api/comparisons/{web.released}/")
    assert released.status_code == 200 and released.json()["comparison"]["released"]
    report = member.get(f"/comparisons/{web.released}/report.html")
    assert report.status_code == 200 and b"Example Authority D" in report.content
    assert "sandbox" in report["Content-Security-Policy"]
    workbook = member.get(f"/comparisons/{web.released}/comparison.xlsx")
    assert workbook["Content-Disposition"].startswith("attachment;")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    listed = {c["id"] for c in member.get("/api/authority/").json()["comparisons"]}
    assert web.released in listed and web.unreleased not in listed
    # an officer of another Quad sees neither, released or not
    for record in (web.released, web.unreleased):
        assert outsider.get(f"/api/comparisons/{record}/").json()["errors"][0]["code"] == (
            "access-denied")
    assert outsider.get("/api/authority/").json()["comparisons"] == []


def test_a_quad_lead_leads_only_their_own_quads(web) -> None:
    other_lead = web.client("lead-fg1a")
    assert other_lead.get("/api/quads/example-quad/").status_code == 403
    assert other_lead.post("/api/quads/example-quad/compare").status_code == 403
    assert other_lead.post(f"/api/comparisons/{web.throwaway}/release").status_code == 403
    assert other_lead.get(f"/comparisons/{web.unreleased}/").status_code == 403
    mine = other_lead.get("/api/quads/").json()["quads"]
    assert [q["name"] for q in mine] == ["FG1 Quad A"]
    everyone = web.client("national").get("/api/quads/").json()["quads"]
    assert {q["name"] for q in everyone} >= {"FG1 Quad A", "FG4 Quad B", "Example Quad"}
    # the national lead reads the dashboards but does not act for a Quad
    assert web.client("national").post("/api/quads/example-quad/compare").status_code == 403


def test_unknown_objects_bad_dates_and_unreleasable_comparisons(web) -> None:
    from rubric.web.models import Account, ComparisonRecord

    lead = web.client("quad-lead")
    missing = lead.get("/api/uploads/999999")
    assert missing.status_code == 404 and missing.json()["errors"][0]["code"] == "not-found"
    assert lead.get("/quads/no-such-quad/").status_code == 404
    bad = lead.post("/api/quads/example-quad/deadline", {"due": "31/03/2026"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "date-invalid"
    good = lead.post("/api/quads/example-quad/deadline", {"due": "2026-03-31"})
    assert good.status_code == 200
    assert lead.get("/api/quads/example-quad/").json()["deadline"] == "2026-03-31"
    broken = ComparisonRecord.objects.create(
        quad="Example Quad", cycle="2025-26", created_by=Account.objects.get(
            username="quad-lead"), errors=[{"code": "compare-too-few"}])
    refused = lead.post(f"/api/comparisons/{broken.id}/release")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "comparison-has-problems"


_ROLE_OF = {"officer-a": "officer", "quad-lead": "quad-lead", "national": "national",
            "editor": "editor"}


def test_the_route_list_is_every_api_route_with_the_rule_the_service_applies(web) -> None:
    """GET /api/ lists every JSON route with who may call it, from the rules the access
    middleware applies; no role the service lets through is missing from the list."""
    body = web.client("editor").get("/api/").json()
    listed = {entry["path"]: entry for entry in body["routes"]}
    api = [(name, pattern, view) for name, pattern, view in _routes()
           if name.startswith("api-")]
    assert len(listed) == len(api) == len(body["routes"])
    matrix = _matrix()
    for name, pattern, view in api:
        path = "/" + pattern
        for key in ("upload_id", "comparison_id", "pack_id", "record_upload_id", "draft_id",
                    "slug", "key"):
            path = path.replace(f"<int:{key}>", f"{{{key}}}").replace(
                f"<slug:{key}>", f"{{{key}}}").replace(f"<str:{key}>", f"{{{key}}}")
        entry = listed[path]
        assert entry["methods"] == _methods(view)
        assert entry["data"][0] == "ok" and entry["data"][-2:] == ["errors", "warnings"]
        who = set(entry["who"])
        granted = {role for role, allowed in matrix[name.removeprefix("api-")].items()
                   if allowed and role != "anonymous"}
        if "signed-in" in who:
            who = set(_ROLE_OF.values())
        # every role the matrix lets through is listed; a listed role the matrix refuses is
        # narrowed by an object check (an unreleased comparison, another authority's upload)
        assert {_ROLE_OF[role] for role in granted} <= who, (path, who, granted)
        assert entry["about"], path
    upload = listed["/api/authority/upload"]
    assert upload["methods"] == ["POST"] and upload["form"] == ["file"]
    assert listed["/api/reports/{key}/"]["who"] == ["national", "officer", "quad-lead"]


def test_every_json_body_has_the_keys_the_route_list_declares(web) -> None:
    from django.urls import reverse

    shapes = {entry["path"]: set(entry["data"]) for entry in
              web.client("national").get("/api/").json()["routes"]}
    matrix = _matrix()
    checked = 0
    for name, pattern, view in _routes():
        if not name.startswith("api-") or "GET" not in _methods(view):
            continue
        role = next(r for r, allowed in matrix[name.removeprefix("api-")].items() if allowed)
        response = web.client(role).get(reverse(name, kwargs=_sample_kwargs(web, name,
                                                                            pattern)))
        assert response.status_code == 200, (name, response.content[:300])
        declared = next(keys for path, keys in shapes.items()
                        if reverse(name, kwargs=_sample_kwargs(web, name, pattern)) ==
                        _fill(path, _sample_kwargs(web, name, pattern)))
        assert set(response.json()) == declared, name
        checked += 1
    assert checked >= 14  # every GET route of the JSON API


def _fill(path: str, kwargs: dict) -> str:
    for key, value in kwargs.items():
        path = path.replace(f"{{{key}}}", str(value))
    return path
