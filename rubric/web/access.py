"""Who may do what: every view declares the roles it admits, and nothing else gets through.

Each view carries ``rubric_access`` (set by :func:`allow`); the :class:`Authorise` middleware
refuses any view without one (deny by default), so a new route without a rule is closed, and
the test suite fails until the route is in its matrix. Object-level checks (whose return,
which Quad, released or not) are the functions below, which views call on every request: an id
in a URL is never enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

ROLES = ("officer", "quad-lead", "national", "editor")
PUBLIC, SIGNED_IN = "public", "signed-in"


def allow(*who: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view with who may call it: roles, ``public`` or ``signed-in`` (any role)."""
    unknown = set(who) - {*ROLES, PUBLIC, SIGNED_IN}
    assert who and not unknown, unknown

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.rubric_access = frozenset(who)  # type: ignore[attr-defined]
        return view

    return mark


def admits(access: Iterable[str], user: Any) -> bool:
    access = frozenset(access)
    if PUBLIC in access:
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return SIGNED_IN in access or user.role in access


class Authorise:
    """Check the signed-in user against the view's rule before the request body is parsed."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> Any:
        from rubric.web.views.errors import problem_response

        access = getattr(view, "rubric_access", None)
        if access is None:
            return problem_response(request, "access-denied", 403)
        if admits(access, request.user):
            return None
        if not request.user.is_authenticated:
            if request.path.startswith("/api/") or request.method != "GET":
                return problem_response(request, "access-denied", 401)
            return HttpResponseRedirect(f"{reverse('sign-in')}?next={request.path}")
        return problem_response(request, "access-denied", 403)


class SecurityHeaders:
    """A strict content security policy (own scripts and styles only) and no caching of
    signed-in pages."""

    POLICY: ClassVar[str] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'")

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.POLICY)
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "private, no-store")
        return response


# --- object-level checks ---------------------------------------------------------------------

def leads(user: Any, quad_name: str) -> bool:
    """Whether ``user`` is the lead of Quad ``quad_name``."""
    return user.role == "quad-lead" and quad_name.casefold() in {
        q.casefold() for q in (user.quads or [])}


def may_see_quad(user: Any, quad_name: str) -> bool:
    return user.role == "national" or leads(user, quad_name)


def may_see_authority(user: Any, key: str, quads: Iterable[Any]) -> bool:
    """Officers see their own authority; Quad leads their Quads' members; national everyone."""
    if user.role == "national":
        return True
    if user.role == "officer":
        return bool(user.authority_key) and user.authority_key.casefold() == key.casefold()
    if user.role == "quad-lead":
        return any(leads(user, q.name) and key.casefold() in {k.casefold() for _, k in q.members}
                   for q in quads)
    return False


def comparison_verdict(user: Any, record: Any) -> str | None:
    """None when ``user`` may see the comparison ``record``, else the problem code to show."""
    if may_see_quad(user, record.quad):
        return None
    if user.role == "officer" and user.authority_key.casefold() in {
            k.casefold() for k in record.members}:
        return None if record.released_at else "comparison-not-released"
    return "access-denied"


def report_verdict(user: Any, key: str, quads: Iterable[Any],
                   released: Callable[[], bool]) -> str | None:
    """None when ``user`` may see authority ``key``'s report, else the problem code to show.

    Quad leads see their members' reports and the national lead every one; an officer sees
    only its own authority's, and only once ``released()`` (its Quad's comparison is out).
    """
    if user.role == "officer":
        if not (user.authority_key and user.authority_key.casefold() == key.casefold()):
            return "access-denied"
        return None if released() else "report-not-released"
    return None if user.role in ("national", "quad-lead") and may_see_authority(
        user, key, quads) else "access-denied"
