"""Signing in and out, one-time sign-in links, and the home page that sends each role on."""

from __future__ import annotations

import datetime as dt
from importlib import resources

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode

from rubric.problems import problem
from rubric.web.settings import current
from rubric.web.views.common import Page

HOME = {"officer": "authority", "quad-lead": "quads", "national": "national",
        "editor": "frameworks"}
STATIC = {"rubric.css": "text/css; charset=utf-8", "upload.js": "text/javascript; charset=utf-8"}


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def _locked(username: str, address: str) -> bool:
    from rubric.web.models import SignInFailure

    config = current()
    since = timezone.now() - dt.timedelta(minutes=config.sign_in_window_minutes)
    recent = SignInFailure.objects.filter(at__gte=since)
    return (recent.filter(username=username.casefold()).count() >= config.sign_in_attempts
            or recent.filter(address=address).count() >= 4 * config.sign_in_attempts)


def sign_in(request: HttpRequest) -> HttpResponse:
    from rubric.web.models import SignInFailure

    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        wanted = ""
    context: dict = {"next": wanted, "username": ""}
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        password = request.POST.get("password", "")
        context["username"] = username
        address = _address(request)
        if _locked(username, address):
            item = problem("sign-in-locked", minutes=current().sign_in_window_minutes)
            return render(request, "rubric/sign_in.html", {**context, "problem": item},
                          status=429)
        user = authenticate(request, username=username, password=password)
        if user is None:
            SignInFailure.objects.create(username=username.casefold(), address=address)
            return render(request, "rubric/sign_in.html",
                          {**context, "problem": problem("sign-in-failed")}, status=401)
        SignInFailure.objects.filter(username=username.casefold()).delete()
        login(request, user)
        return HttpResponseRedirect(wanted or reverse("home"), status=303)
    return render(request, "rubric/sign_in.html", context)


def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("sign-in"), status=303)


def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The one-time link ``rubric users add --link`` prints: choose a password, signed in."""
    from rubric.web.models import Account

    try:
        user = Account.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, OverflowError, Account.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "rubric/link_expired.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user)
        return HttpResponseRedirect(reverse("home"), status=303)
    return render(request, "rubric/set_password.html", {"form": form, "account": user},
                  status=400 if form.errors else 200)


def home(request: HttpRequest) -> Page:
    user = request.user
    target = HOME.get(user.role)
    from rubric.web.routes import api_routes

    return Page("rubric/problem.html", payload={"user": me(user), "routes": api_routes()},
                redirect=reverse(target) if target else None)


def me(user) -> dict:
    return {"name": user.get_username(), "role": user.role, "authority": user.authority or None,
            "authority_code": user.authority_code or None, "quads": list(user.quads or [])}


def static(request: HttpRequest, name: str) -> HttpResponse:
    if name not in STATIC:
        from rubric.web.views.errors import problem_response

        return problem_response(request, "not-found", 404)
    body = resources.files("rubric.web").joinpath("static", name).read_bytes()
    response = HttpResponse(body, content_type=STATIC[name])
    response["Cache-Control"] = "public, max-age=3600"
    return response
