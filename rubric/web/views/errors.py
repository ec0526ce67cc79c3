"""Coded problems as responses: an HTML page for people, ``{"ok": false, "errors": [...],
"warnings": [...]}`` (the CLI's ``--json`` shape) for ``/api/``."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from rubric.problems import Problem, Report, problem


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def shown(item: Problem, file: str | None = None) -> dict[str, Any]:
    """A problem as data, its location without the server's paths (``Sheet!B7``, a line)."""
    data = dataclasses.replace(item, location=dataclasses.replace(item.location,
                                                                  file=file)).to_dict()
    return data


def report_dict(report: Report, file: str | None = None) -> dict[str, list[dict[str, Any]]]:
    return {"errors": [shown(p, file) for p in report.errors],
            "warnings": [shown(p, file) for p in report.warnings]}


def report_response(request: HttpRequest, report: Report, status: int,
                    file: str | None = None) -> HttpResponse:
    data = report_dict(report, file)
    if wants_json(request):
        return JsonResponse({"ok": False, **data}, status=status)
    return render(request, "rubric/problem.html", {"problems": data["errors"] + data[
        "warnings"], "status": status}, status=status)


def problem_response(request: HttpRequest, code: str, status: int,
                     **context: Any) -> HttpResponse:
    return report_response(request, Report([problem(code, **context)]), status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return report_response(request, Report([problem(
        "access-denied")]), 403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.core.exceptions import RequestDataTooBig, TooManyFilesSent

    from rubric.web.settings import current

    if isinstance(exception, TooManyFilesSent):
        return problem_response(request, "upload-too-many", 400, limit=current().max_files)
    if isinstance(exception, RequestDataTooBig):
        return problem_response(request, "upload-too-large", 413,
                                limit=size_text(current().max_upload_bytes))
    return problem_response(request, "not-found", 400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem_response(request, "access-denied", 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem_response(request, "not-found", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Something went wrong on the server; it has been noted. Go back and "
                        "try again.", status=500, content_type="text/plain; charset=utf-8")


def size_text(count: int) -> str:
    return f"{count / (1024 * 1024):.0f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"
