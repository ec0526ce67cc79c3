"""Returns uploaded through the web service: verdicts at their cells, the hostile corpus, and
32 uploads at once with nothing lost."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

pytest.importorskip("django", reason="the web extra (django) is not installed")

from tests.hostile.corpus import WORKBOOKS, demo_return_bytes
from tests.workbooks import edit_workbook


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.fixture
def isolated(web, tmp_path):
    """The service with its own history and file store, so these uploads leave the shared
    example Quad as it was."""
    from django.test import override_settings

    from rubric.web.models import Upload

    config = dataclasses.replace(web.config, db=tmp_path / "history.sqlite",
                                 uploads=tmp_path / "uploads")
    before = set(Upload.objects.values_list("id", flat=True))
    with override_settings(RUBRIC=config):
        yield config
    Upload.objects.exclude(id__in=before).delete()


def test_an_upload_lists_every_problem_at_its_cell_with_the_hint(web, isolated, tmp_path) -> None:
    path = tmp_path / "return.xlsx"
    path.write_bytes(demo_return_bytes("A"))

    def mistake(book) -> None:
        sheet = next(s for s in book.worksheets if s.title.startswith("1 "))
        for row in sheet.iter_rows(min_row=5):
            if row[0].value == "1.1.1":
                row[4].value = "Brilliant"

    edit_workbook(path, mistake)
    client = web.client("officer-a")
    response = client.post("/api/authority/upload", {"file": _file("return.xlsx",
                                                                   path.read_bytes())})
    assert response.status_code == 422
    body = response.json()
    assert body["ok"] is False and body["upload"]["valid"] is False
    (error,) = body["errors"]
    assert error["code"] == "level-unknown" and error["location"] == "1 Outcomes!E6"
    assert "Choose from the dropdown" in error["hint"]
    assert str(tmp_path) not in str(body)  # locations never show the server's paths
    page = client.get(f"/uploads/{body['upload']['id']}")
    assert b"level-unknown" in page.content and b"1 Outcomes!E6" in page.content


def test_a_return_of_another_authority_is_refused(web, isolated, tmp_path) -> None:
    from rubric.cycles.history import open_history

    response = web.client("officer-abd").post(
        "/api/authority/upload", {"file": _file("a.xlsx", demo_return_bytes("A"))})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["code"] == "return-other-authority"
    assert "Example Authority A" in error["message"] and "Aberdeen City" in error["message"]
    history = open_history(isolated.db)
    try:
        assert history.returns() == []  # nothing recorded under anyone's name
    finally:
        history.close()


@pytest.mark.parametrize("case", WORKBOOKS, ids=[c.id for c in WORKBOOKS])
def test_hostile_workbooks_get_located_problems_or_a_4xx_never_a_500(web, isolated, tmp_path,
                                                                    case) -> None:
    from django.test import override_settings

    folder = _fresh(tmp_path)
    source = case.build(folder)
    data = Path(source).read_bytes()
    # A case that brings its own framework store gets a service started on that folder
    # (``rubric serve --frameworks DIR``), as a real service would be.
    service = (dataclasses.replace(isolated, frameworks=folder / "store") if case.store
               else isolated)
    with override_settings(RUBRIC=service):
        response = web.client("officer-a").post("/api/authority/upload",
                                                {"file": _file("return.xlsx", data)})
    assert 400 <= response.status_code < 500 or response.status_code == 201, response.content
    body = response.json()
    if case.refused:
        assert response.status_code in (413, 422)
        codes = {e["code"] for e in body["errors"]}
        assert codes & case.codes or response.status_code == 413, (codes, case.codes)
    else:
        assert response.status_code == 201, body["errors"]
    stored = [p for p in isolated.uploads.rglob("*") if p.is_file()]
    assert all(p.parent.parent == isolated.blobs or p.name == "secret-key" for p in stored), stored


def _fresh(tmp_path: Path) -> Path:
    folder = tmp_path / "build"
    folder.mkdir(exist_ok=True)
    return folder


def test_32_parallel_uploads_are_all_recorded(web, isolated, tmp_path) -> None:
    from rubric.cycles.history import open_history
    from rubric.registry.authorities import all_authorities
    from rubric.web.models import Account, Upload

    councils = all_authorities()
    assert len(councils) == 32
    files = {}
    for council in councils:
        path = tmp_path / f"{council.code}.xlsx"
        path.write_bytes(demo_return_bytes("A"))

        def stamp(book, council=council) -> None:
            sheet = book["_rubric"]
            for row in range(1, sheet.max_row + 1):
                key = sheet.cell(row, 1).value
                if key in ("authority", "authority_code"):
                    sheet.cell(row, 2).value = (council.name if key == "authority"
                                                else council.code)

        files[council.code] = edit_workbook(path, stamp).read_bytes()
        Account.objects.get_or_create(username=f"par-{council.code}", defaults={
            "role": "officer", "authority": council.name, "authority_code": council.code})
    statuses: dict[str, int] = {}
    barrier = threading.Barrier(len(councils))

    def send(code: str) -> None:
        client = web.client(f"par-{code}")
        barrier.wait()
        response = client.post("/api/authority/upload", {"file": _file("r.xlsx", files[code])})
        statuses[code] = response.status_code

    threads = [threading.Thread(target=send, args=(c.code,)) for c in councils]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert statuses == dict.fromkeys(files, 201)
    recorded = Upload.objects.filter(authority_key__in=list(files), valid=True)
    assert sorted(recorded.values_list("authority_key", flat=True)) == sorted(files)
    history = open_history(isolated.db)
    try:
        current = history.returns(cycle="2025-26")
        assert sorted(r.authority_code for r in current) == sorted(files)
        assert {r.id for r in current} == set(recorded.values_list("return_id", flat=True))
    finally:
        history.close()
