"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The on-disk framework cache (rubric/framework/cache.py) lives in a folder of this run, never
# the user's: set before anything loads a framework, and inherited by every subprocess.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="rubric-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = ROOT / "frameworks"
DEMO = FRAMEWORKS / "demo" / "1.0.0.yaml"
HGIOEA = FRAMEWORKS / "hgioea" / "1.0.0.yaml"
HGIOS4 = FRAMEWORKS / "hgios4" / "1.0.0.yaml"


@pytest.fixture(scope="session")
def demo_text() -> str:
    return DEMO.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_framework():
    from rubric.framework.load import load_framework

    result = load_framework(DEMO)
    assert result.valid, [str(p) for p in result.report]
    return result.framework


# --- the web service (rubric serve): one configured Django per test process ------------------

@pytest.fixture(scope="session")
def web(tmp_path_factory):
    """The service configured on a fresh database with the example data and accounts, plus a
    second Quad (FG1 Quad A) with an officer and a lead, and three comparisons of the example
    Quad: unreleased, released, and one for release tests to use up."""
    pytest.importorskip("django", reason="the web extra (django) is not installed")
    from types import SimpleNamespace

    from django.test import Client

    from rubric.web.config import ServiceConfig
    from rubric.web.example import EXAMPLE_CYCLE, EXAMPLE_FRAMEWORK, EXAMPLE_QUAD, load_example
    from rubric.web.settings import configure

    root = tmp_path_factory.mktemp("web")
    config = ServiceConfig(db=root / "service.sqlite", uploads=root / "uploads",
                           quads_file=ROOT / "quads.yaml", cycle=EXAMPLE_CYCLE,
                           framework=EXAMPLE_FRAMEWORK, extra_quads=(EXAMPLE_QUAD,),
                           max_upload_bytes=2 * 1024 * 1024)
    configure(config)
    load_example(ROOT / "responses" / "examples")
    from rubric.web.accounts import add_account
    from rubric.web.models import Account, ComparisonRecord, Upload

    add_account("officer-abd", "officer", authority="Aberdeen City")
    add_account("lead-fg1a", "quad-lead", quads=["FG1 Quad A"], quads_path=config.quads_file)

    def client(username: str | None = None, **options) -> Client:
        made = Client(**options)
        if username:
            made.force_login(Account.objects.get(username=username))
        return made

    lead = client("quad-lead")
    made = [lead.post("/api/quads/example-quad/compare").json()["comparison"]["id"]
            for _ in range(3)]
    assert lead.post(f"/api/comparisons/{made[1]}/release").status_code == 200
    assert all(ComparisonRecord.objects.get(pk=i).valid for i in made)
    uploads = {u.authority_key: u.id for u in Upload.objects.all()}
    # the meeting: a pack of the example Quad, and a record upload (refused: not a workbook)
    from django.core.files.uploadedfile import SimpleUploadedFile

    pack = lead.post("/api/quads/example-quad/pack", {"meeting_date": "2026-03-10"})
    assert pack.status_code == 201, pack.json()["errors"]
    refused = lead.post("/api/quads/example-quad/record",
                        {"file": SimpleUploadedFile("record.xlsx", b"not a workbook")})
    assert refused.status_code == 422
    return SimpleNamespace(config=config, root=root, client=client, unreleased=made[0],
                           released=made[1], throwaway=made[2], uploads=uploads,
                           pack=pack.json()["pack"]["id"],
                           record_upload=refused.json()["record_upload"]["id"])
