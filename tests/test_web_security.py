"""The web service's security model: CSRF, sign-in limits, sessions, one-time links, upload
limits, content-addressed storage and the audit log."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

pytest.importorskip("django", reason="the web extra (django) is not installed")

from tests.conftest import ROOT

EXAMPLE_A = ROOT / "responses" / "examples" / "example-authority-a.xlsx"


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _token(page: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def test_a_state_changing_request_without_the_csrf_token_is_refused(web) -> None:
    from rubric.web.models import Upload

    client = web.client("officer-a", enforce_csrf_checks=True)
    before = Upload.objects.count()
    refused = client.post("/authority/upload",
                          {"file": _file("a.xlsx", EXAMPLE_A.read_bytes())})
    assert refused.status_code == 403
    assert b"access-denied" in refused.content
    api = client.post("/api/authority/upload", {"file": _file("a.xlsx", b"x")})
    assert api.status_code == 403 and api.json()["errors"][0]["code"] == "access-denied"
    assert Upload.objects.count() == before
    token = _token(client.get("/authority/").content)
    accepted = client.post("/authority/upload", {"file": _file("a.xlsx", EXAMPLE_A.read_bytes()),
                                                 "csrfmiddlewaretoken": token})
    assert accepted.status_code == 303 and Upload.objects.count() == before + 1
    signed_out = client.post("/sign-out")
    assert signed_out.status_code == 403  # signing out is a state change too


def test_sign_in_is_rate_limited_per_name(web) -> None:
    from rubric.web.accounts import add_account

    add_account("ratelimited", "editor", password="a long passphrase for tests")
    client = web.client()
    for _ in range(web.config.sign_in_attempts):
        failed = client.post("/sign-in", {"username": "ratelimited", "password": "wrong"})
        assert failed.status_code == 401 and b"is not right" in failed.content
    locked = client.post("/sign-in", {"username": "RateLimited",
                                      "password": "a long passphrase for tests"})
    assert locked.status_code == 429 and b"failed sign-ins; wait 15 minutes" in locked.content
    assert "_auth_user_id" not in client.session
    # another account is not locked by someone guessing at this one
    add_account("not-limited", "editor", password="another long passphrase")
    fine = web.client().post("/sign-in", {"username": "not-limited",
                                          "password": "another long passphrase"})
    assert fine.status_code == 303


def test_session_cookie_flags_and_expiry(web) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from rubric.web.accounts import add_account

    add_account("session-user", "editor", password="yet another long passphrase")
    client = web.client()
    signed_in = client.post("/sign-in", {"username": "session-user",
                                         "password": "yet another long passphrase"})
    assert signed_in.status_code == 303
    cookie = signed_in.cookies["rubric_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == int(web.config.session_hours * 3600)
    assert client.get("/frameworks/").status_code == 200
    session = Session.objects.get(session_key=cookie.value)
    session.expire_date = timezone.now() - dt.timedelta(seconds=1)
    session.save()
    expired = client.get("/frameworks/")
    assert expired.status_code == 302 and expired["Location"].startswith("/sign-in")
    assert client.get("/api/frameworks/").status_code == 401


def test_secure_cookies_behind_https() -> None:
    from rubric.web.config import ServiceConfig
    from rubric.web.settings import django_settings

    settings = django_settings(ServiceConfig(db=Path("x.sqlite"), uploads=Path("/tmp/u"),
                                             https=True, base_url="https://rubric.example"))
    assert settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"]
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert "https://rubric.example" in settings["CSRF_TRUSTED_ORIGINS"]
    assert settings["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")


def test_a_one_time_link_sets_the_password_once(web) -> None:
    from rubric.web.accounts import add_account, sign_in_link
    from rubric.web.models import Account

    account = add_account("linked", "officer", authority="Fife")
    assert not account.has_usable_password()
    path = sign_in_link(account, "http://testserver").removeprefix("http://testserver")
    client = web.client()
    assert client.get(path).status_code == 200
    weak = client.post(path, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 400
    chosen = "a passphrase nobody guesses"
    done = client.post(path, {"new_password1": chosen, "new_password2": chosen})
    assert done.status_code == 303 and client.get("/authority/").status_code == 200
    stored = Account.objects.get(username="linked")
    assert stored.password.startswith("argon2")
    assert web.client().get(path).status_code == 400  # used: the link is void


def test_password_rules_and_unknown_names_are_refused_when_adding_accounts(web) -> None:
    from rubric.problems import Refused
    from rubric.web.accounts import add_account

    cases = [({"name": "weak", "role": "editor", "password": "password"}, "password-rejected"),
             ({"name": "linked2", "role": "officer", "authority": "Fyfe"}, "authority-unknown"),
             ({"name": "editor", "role": "editor"}, "account-exists"),
             ({"name": "lead2", "role": "quad-lead", "quads": ["No Such Quad"],
               "quads_path": ROOT / "quads.yaml"}, "quad-unknown")]
    for options, code in cases:
        with pytest.raises(Refused) as refused:
            add_account(**options)
        assert refused.value.problem.code == code
    from rubric.web.accounts import find_account

    with pytest.raises(Refused) as refused:
        find_account("nobody")
    assert refused.value.problem.code == "account-unknown"


def test_uploads_over_the_limits_are_refused_before_they_are_read(web) -> None:
    from rubric.web.models import Upload

    client = web.client("officer-a")
    before = Upload.objects.count()
    limit = web.config.max_upload_bytes
    declared = client.post("/api/authority/upload", data=b"x" * 10,
                           content_type="multipart/form-data; boundary=b",
                           CONTENT_LENGTH=str(limit * 4))
    assert declared.status_code == 413
    assert declared.json()["errors"][0]["code"] == "upload-too-large"
    streamed = client.post("/api/authority/upload",
                           {"file": _file("big.xlsx", b"\0" * (limit + 1))})
    assert streamed.status_code == 413
    assert streamed.json()["errors"][0]["code"] == "upload-too-large"
    many = client.post("/api/authority/upload", {"file": [_file("a.xlsx", b"1"),
                                                          _file("b.xlsx", b"2")]})
    assert many.status_code == 400 and many.json()["errors"][0]["code"] == "upload-too-many"
    missing = client.post("/api/authority/upload", {})
    assert missing.json()["errors"][0]["code"] == "upload-missing"
    assert Upload.objects.count() == before
    assert list(web.config.incoming.glob("*")) == []  # nothing left half-received


def test_files_are_stored_by_hash_never_by_the_users_name(web) -> None:
    from rubric.web.models import AuditEntry, Upload

    data = EXAMPLE_A.read_bytes()
    client = web.client("officer-a")
    response = client.post("/api/authority/upload",
                           {"file": _file("../../etc/evil\x00name.xlsx", data)})
    body = response.json()["upload"]
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    assert body["sha256"] == digest
    stored = web.config.blobs / digest[:2] / digest
    assert stored.read_bytes() == data and not stored.stat().st_mode & 0o111
    assert body["name"].endswith("name.xlsx") and not set(body["name"]) & {"/", "\\", "\0"}
    assert not any("evil" in p.name for p in web.root.rglob("*"))
    entry = AuditEntry.objects.filter(action="upload").order_by("-at").first()
    assert entry.username == "officer-a" and entry.file_sha256 == digest
    assert entry.detail["upload"] == Upload.objects.order_by("-id").first().id
    download = client.get(f"/uploads/{body['id']}/file")
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == data


def test_every_page_sends_a_strict_content_security_policy(web) -> None:
    response = web.client("officer-a").get("/authority/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
