"""What the service's pages show and do beyond access: readable times on the officer's page,
and the framework editor publishing a clean draft (and refusing one that is not)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("django", reason="the web extra (django) is not installed")

from tests.conftest import DEMO


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.fixture
def isolated(web, tmp_path):
    """The service with its own history and file store (published frameworks included), so
    these tests leave the shared service as it was."""
    from django.test import override_settings

    config = dataclasses.replace(web.config, db=tmp_path / "history.sqlite",
                                 uploads=tmp_path / "uploads")
    with override_settings(RUBRIC=config):
        yield config


def test_the_officer_sees_when_each_return_was_recorded_in_local_time(web) -> None:
    client = web.client("officer-a")
    (row, *_) = client.get("/api/authority/").json()["returns"]
    stamp = row["ingested_at"]  # the API keeps the exact ISO time
    local = dt.datetime.fromisoformat(stamp).astimezone(ZoneInfo("Europe/London"))
    page = client.get("/authority/").content.decode()
    shown = f"{local.day} {local:%b %Y %H:%M}"
    assert f'<time datetime="{stamp}">{shown}</time>' in page
    assert f">{stamp}<" not in page


def test_a_summer_time_stamp_is_shown_an_hour_on() -> None:
    from django.template import Context, Template

    from rubric.web.views.common import moment

    template = Template('{{ when|date:"j M Y H:i" }}')
    summer = moment("2026-06-01T09:30:00+00:00")
    assert template.render(Context({"when": summer})) == "1 Jun 2026 10:30"
    assert template.render(Context({"when": moment("2026-01-15T09:30:00")})) == (
        "15 Jan 2026 09:30")  # no zone: the history's UTC
    assert moment("not a time") is None and moment(None) is None


def _framework(framework_id: str, version: str = "1.0.0", *edits: tuple[str, str]) -> bytes:
    text = DEMO.read_text(encoding="utf-8").replace("id: demo", f"id: {framework_id}", 1)
    text = text.replace('version: "1.0.0"', f'version: "{version}"').replace(
        '  - version: "1.0.0"', f'  - version: "{version}"')
    for old, new in edits:
        text = text.replace(old, new, 1)
    return text.encode()


def test_a_clean_draft_is_published_to_a_cycle_and_opens_it(web, isolated) -> None:
    from rubric.web.models import AuditEntry, CyclePlan

    editor = web.client("editor")
    data = _framework("published-demo")
    uploaded = editor.post("/api/frameworks/upload", {"file": _file("new.yaml", data)})
    assert uploaded.status_code == 201, uploaded.json()["errors"]
    draft = uploaded.json()["draft"]
    assert draft["publishable"] and draft["errors"] == [] and draft["published_to"] is None
    page = editor.get(f"/frameworks/drafts/{draft['id']}/").content.decode()
    assert "clean" in page and 'value="2025-26"' in page  # offered for the open cycle
    published = editor.post(f"/api/frameworks/drafts/{draft['id']}/publish",
                            {"cycle": "2031-32"})
    assert published.status_code == 200
    assert published.json()["draft"]["published_to"] == "2031-32"
    kept = isolated.published_frameworks / "published-demo" / "1.0.0.yaml"
    assert kept.read_bytes() == data
    assert CyclePlan.objects.get(cycle="2031-32").framework == "published-demo@1.0.0"
    listed = editor.get("/api/frameworks/").json()
    assert {"id": "published-demo", "versions": ["1.0.0"]} in listed["frameworks"]
    assert {"cycle": "2031-32", "framework": "published-demo@1.0.0"} in listed["cycles"]
    assert AuditEntry.objects.filter(action="framework-publish",
                                     target="published-demo@1.0.0 -> 2031-32").exists()
    # published once: publishing the same draft again is refused, the plan unchanged
    again = editor.post(f"/api/frameworks/drafts/{draft['id']}/publish", {"cycle": "2032-33"})
    assert again.status_code == 422
    (error,) = again.json()["errors"]
    assert error["code"] == "draft-not-publishable" and "2031-32 already" in error["message"]
    assert not CyclePlan.objects.filter(cycle="2032-33").exists()


def test_a_draft_with_errors_or_an_under_bumped_version_is_not_published(web, isolated) -> None:
    from rubric.web.models import CyclePlan

    editor = web.client("editor")
    broken = editor.post("/api/frameworks/upload",
                         {"file": _file("broken.yaml", _framework("broken-demo").replace(
                             b"status: published", b"status: final"))})
    assert broken.status_code == 422 and broken.json()["draft"]["publishable"] is False
    base = editor.post("/api/frameworks/upload", {"file": _file("base.yaml",
                                                                _framework("bumped-demo"))})
    assert editor.post(f"/api/frameworks/drafts/{base.json()['draft']['id']}/publish",
                       {"cycle": "2033-34"}).status_code == 200
    under = editor.post("/api/frameworks/upload", {"file": _file("under.yaml", _framework(
        "bumped-demo", "1.0.1", ("    weight: 2\n", "    weight: 3\n")))})
    assert under.status_code == 422
    assert [e["code"] for e in under.json()["errors"]] == ["diff-check-failed"]
    assert under.json()["draft"]["checked_against"] == "1.0.0"
    for response in (broken, under):
        draft = response.json()["draft"]
        refused = editor.post(f"/api/frameworks/drafts/{draft['id']}/publish",
                              {"cycle": "2034-35"})
        assert refused.status_code == 422
        (error,) = refused.json()["errors"]
        assert error["code"] == "draft-not-publishable" and "error" in error["message"]
        assert "upload the file again" in error["hint"]
        page = editor.get(f"/frameworks/drafts/{draft['id']}/").content.decode()
        assert "Publish to cycle" not in page  # no button for a draft that cannot go out
    assert not CyclePlan.objects.filter(cycle="2034-35").exists()
    assert not (isolated.published_frameworks / "broken-demo").exists()
    assert not (isolated.published_frameworks / "bumped-demo" / "1.0.1.yaml").exists()
    clean = editor.post("/api/frameworks/upload", {"file": _file("c.yaml",
                                                                 _framework("cycle-demo"))})
    bad_cycle = editor.post(f"/api/frameworks/drafts/{clean.json()['draft']['id']}/publish",
                            {"cycle": "2034"})
    assert bad_cycle.status_code == 400
    assert bad_cycle.json()["errors"][0]["code"] == "cycle-invalid"
    assert editor.get(f"/api/frameworks/drafts/{clean.json()['draft']['id']}/").json()[
        "draft"]["publishable"]
