"""What every view shares: the page-or-JSON pattern, the framework store, the history, Quads.

A view function returns a :class:`Page` (template, context, JSON payload, report) or raises
:class:`Stop` with a coded problem; :func:`pair` turns it into two routes, the HTML page and
the same data under ``/api/``, with one access rule, so pages and JSON never drift apart.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from rubric.cycles.history import History, open_history
from rubric.framework.store import FrameworkStore
from rubric.problems import Refused, Report
from rubric.resources import framework_search_path
from rubric.web.access import allow
from rubric.web.config import QuadSpec, ServiceConfig
from rubric.web.settings import current
from rubric.web.views.errors import problem_response, report_dict, report_response


@dataclass(slots=True)
class Page:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] | None = None  # the JSON body (default: nothing but the report)
    report: Report = field(default_factory=Report)
    redirect: str | None = None  # after a successful POST (HTML only)
    status: int = 200


class Stop(Exception):
    """End the request with a coded problem and an HTTP status."""

    def __init__(self, code: str, status: int, **context: Any) -> None:
        super().__init__(code)
        self.code, self.status, self.context = code, status, context


def _respond(request: HttpRequest, view: Callable[..., Page], kwargs: dict[str, Any],
             as_json: bool) -> HttpResponse:
    try:
        page = view(request, **kwargs)
    except Stop as stop:
        return problem_response(request, stop.code, stop.status, **stop.context)
    except Refused as refused:
        status = 400 if refused.report.exit_code == 2 else 422
        return report_response(request, refused.report, status)
    if as_json:
        body = {"ok": page.report.valid and page.status < 400, **(page.payload or {}),
                **report_dict(page.report)}
        return JsonResponse(body, status=page.status, json_dumps_params={"ensure_ascii": False})
    if page.redirect:
        return HttpResponseRedirect(page.redirect, status=303)
    return render(request, page.template, {**page.context, "report": report_dict(page.report)},
                  status=page.status)


@dataclass(frozen=True, slots=True)
class ApiShape:
    """What a JSON route takes and gives, for the route list at ``GET /api/``."""

    methods: tuple[str, ...]
    data: tuple[str, ...]  # the keys beside ``ok``, ``errors`` and ``warnings``
    form: tuple[str, ...] = ()  # form fields a POST takes
    about: str = ""  # what it is, and any narrowing by object (whose, which Quad)


def pair(route: str, name: str, view: Callable[..., Page], *, who: tuple[str, ...],
         data: tuple[str, ...], methods: tuple[str, ...] = ("GET",),
         form: tuple[str, ...] = (), about: str = "") -> list[URLPattern]:
    """The HTML route ``route`` and its JSON twin ``api/route``, with the same rule; the twin
    also carries its :class:`ApiShape`."""
    from django.views.decorators.http import require_http_methods

    def html(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return _respond(request, view, kwargs, as_json=False)

    def api(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return _respond(request, view, kwargs, as_json=True)

    made = []
    for prefix, function, label in (("", html, name), ("api/", api, f"api-{name}")):
        function.__name__ = label.replace("-", "_")
        guarded = allow(*who)(require_http_methods(list(methods))(function))
        if prefix:
            guarded.rubric_api = ApiShape(methods, data, form, about)  # type: ignore[attr-defined]
        made.append(path(prefix + route, guarded, name=label))
    return made


def single(route: str, name: str, view: Callable[..., HttpResponse], *, who: tuple[str, ...],
           methods: tuple[str, ...] = ("GET",)) -> URLPattern:
    """A route with no JSON twin (a file download, the sign-in form)."""
    from django.views.decorators.http import require_http_methods

    @functools.wraps(view)
    def guarded(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, **kwargs)
        except Stop as stop:
            return problem_response(request, stop.code, stop.status, **stop.context)
        except Refused as refused:
            return report_response(request, refused.report,
                                   400 if refused.report.exit_code == 2 else 422)

    return path(route, allow(*who)(require_http_methods(list(methods))(guarded)), name=name)


# --- the library's stores ----------------------------------------------------------------------

@functools.cache
def _store(config: ServiceConfig) -> FrameworkStore:
    # Published drafts come last: the user's and bundled folders keep their precedence, and
    # worker processes (which search the first folder) still find the bundled frameworks.
    return FrameworkStore(*framework_search_path(config.frameworks),
                          config.published_frameworks)


def store() -> FrameworkStore:
    return _store(current())


@contextlib.contextmanager
def history() -> Iterator[History]:
    opened = open_history(current().db)
    try:
        yield opened
    finally:
        opened.close()


@functools.cache
def _quads(config: ServiceConfig, cycle: str) -> tuple[QuadSpec, ...]:
    from rubric.registry.quads import load_quads_file

    try:
        quads = load_quads_file(config.quads_file).quads
    except Refused:
        quads = []
    cycles = sorted({q.cycle for q in quads})
    # Membership carries over until the Quads file lists the cycle.
    chosen = cycle if cycle in cycles else (max(c for c in cycles if c <= cycle)
                                            if any(c <= cycle for c in cycles) else None)
    specs = [QuadSpec(q.name, cycle, tuple((a.name, a.code) for a in q.members))
             for q in quads if q.cycle == chosen]
    specs += [q for q in config.extra_quads]
    return tuple(specs)


def quads(cycle: str | None = None) -> tuple[QuadSpec, ...]:
    config = current()
    return _quads(config, cycle or config.open_cycle)


def quad_by_slug(slug: str, cycle: str | None = None) -> QuadSpec:
    for quad in quads(cycle):
        if quad.slug == slug:
            return quad
    raise Stop("not-found", 404)


def quads_of_authority(key: str, cycle: str | None = None) -> list[QuadSpec]:
    return [q for q in quads(cycle) if key.casefold() in {k.casefold() for _, k in q.members}]


def open_framework() -> str:
    """The framework (id@version or id) the open cycle's workbooks are made from."""
    from rubric.web.models import CyclePlan

    config = current()
    plan = CyclePlan.objects.filter(cycle=config.open_cycle).first()
    return plan.framework if plan else config.framework


def moment(text: str | None) -> dt.datetime | None:
    """A timestamp the history keeps as ISO text (UTC), as an aware datetime that templates
    show in the service's local time; None when it is not one."""
    try:
        found = dt.datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


def audit(request: HttpRequest, action: str, target: str, digest: str = "",
          **detail: Any) -> None:
    from rubric.web.models import AuditEntry

    AuditEntry.objects.create(username=request.user.get_username(), action=action,
                              target=target[:300], file_sha256=digest, detail=detail)


def service_context(request: HttpRequest) -> dict[str, Any]:
    """Template context for every page: the open cycle and the user's navigation."""
    config = current()
    user = request.user
    nav: list[tuple[str, str]] = []
    if getattr(user, "is_authenticated", False):
        nav = {"officer": [("authority", "My authority")],
               "quad-lead": [("quads", "My Quads")],
               "national": [("national", "National"), ("quads", "Quads"), ("audit", "Audit")],
               "editor": [("frameworks", "Frameworks")]}.get(user.role, [])
    return {"open_cycle": config.open_cycle, "nav": nav}
