"""The framework editor's pages: upload a new version, see lint and ``diff --check`` before
publishing it to a cycle."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rubric.problems import Report
from rubric.web import blobs
from rubric.web.settings import current
from rubric.web.views.common import Page, Stop, audit, store
from rubric.web.views.errors import report_dict, size_text


def draft_dict(draft) -> dict:
    return {"id": draft.id, "name": draft.shown_name, "sha256": draft.sha256,
            "framework": draft.framework_id or None, "version": draft.version or None,
            "checked_against": draft.previous or None, "errors": draft.errors,
            "warnings": draft.warnings, "diff": draft.diff,
            "published_to": draft.published_to or None, "publishable": draft.publishable}


def frameworks_page(request: HttpRequest) -> Page:
    from rubric.web.models import CyclePlan, FrameworkDraft

    found = store()
    listed = [{"id": i, "versions": found.versions(i)} for i in found.ids()]
    plans = [{"cycle": p.cycle, "framework": p.framework}
             for p in CyclePlan.objects.order_by("cycle")]
    drafts = list(FrameworkDraft.objects.order_by("-uploaded_at")[:30])
    payload = {"frameworks": listed, "cycles": plans, "default": current().framework,
               "drafts": [draft_dict(d) for d in drafts]}
    return Page("rubric/frameworks.html", {**payload, "draft_rows": drafts,
                                           "limit": size_text(current().max_upload_bytes)},
                payload)


def upload_framework(request: HttpRequest) -> Page:
    """Keep the file by its hash, lint it, and diff it against the newest earlier version."""
    from rubric.framework.load import load_framework
    from rubric.framework.store import version_key
    from rubric.versions.check import check_new_version
    from rubric.web.models import FrameworkDraft

    config = current()
    received = request.FILES.get("file")  # parses the body, through the limited handler
    if getattr(request, "rubric_upload_refused", None):
        raise Stop("upload-too-large", 413, limit=size_text(config.max_upload_bytes))
    if received is None or not hasattr(received, "digest"):
        raise Stop("upload-missing", 400)
    path = blobs.adopt(config.blobs, received.path, received.digest)
    name = blobs.shown_name(received.name, "framework.yaml")
    loaded = load_framework(path)
    report = Report(list(loaded.report.problems))
    draft = FrameworkDraft(sha256=received.digest, shown_name=name, uploaded_by=request.user)
    if loaded.framework is not None:
        framework = loaded.framework
        draft.framework_id, draft.version = framework.id, framework.version
        found = store()
        earlier = [v for v in found.versions(framework.id)
                   if version_key(v) < version_key(framework.version)]
        if found.get(framework.id, framework.version) is not None:
            report.add(_exists(framework.id, framework.version))
        elif earlier and loaded.valid:
            old = found.get(framework.id, earlier[-1])
            if old is not None and old.valid:
                result, checked = check_new_version(old, loaded)
                report.extend(checked)
                draft.previous, draft.diff = earlier[-1], result.to_dict()
    problems = report_dict(report, name)
    draft.errors, draft.warnings = problems["errors"], problems["warnings"]
    draft.save()
    audit(request, "framework-upload", name, received.digest, draft=draft.id,
          framework=draft.framework_id, version=draft.version, errors=len(draft.errors))
    return Page("rubric/draft.html", payload={"draft": draft_dict(draft)}, report=report,
                redirect=reverse("framework-draft", args=[draft.id]),
                status=201 if draft.publishable else 422)


def _exists(framework_id: str, version: str):
    from rubric.problems import Location, problem

    return problem("diff-check-failed", Location(), reason=f"{framework_id} {version} is "
                   "already published", hint="Bump the version before uploading a change.")


def _draft(draft_id: int):
    from rubric.web.models import FrameworkDraft

    draft = FrameworkDraft.objects.filter(pk=draft_id).first()
    if draft is None:
        raise Stop("not-found", 404)
    return draft


def draft_page(request: HttpRequest, draft_id: int) -> Page:
    draft = _draft(draft_id)
    return Page("rubric/draft.html", {"draft": draft, "cycle": current().open_cycle},
                {"draft": draft_dict(draft)})


def publish(request: HttpRequest, draft_id: int) -> Page:
    """Copy a clean draft into the service's framework folder and open a cycle on it."""
    from rubric._io import OutputExists, atomic_output
    from rubric.cycles.cycle import check_cycle
    from rubric.web.models import CyclePlan

    draft = _draft(draft_id)
    if draft.published_at is not None:
        raise Stop("draft-not-publishable", 422, name=draft.shown_name,
                   reason=f"it was published to {draft.published_to} already",
                   hint="To change the framework, upload a new version of it.")
    if not draft.publishable:
        count = len(draft.errors)
        raise Stop("draft-not-publishable", 422, name=draft.shown_name,
                   reason=f"it has {count} error{'s' if count != 1 else ''}",
                   hint="Fix the errors listed on the draft's page, then upload the file "
                        "again.")
    cycle = check_cycle(request.POST.get("cycle", current().open_cycle))
    config = current()
    source = blobs.blob_path(config.blobs, draft.sha256)
    target = config.published_frameworks / draft.framework_id / f"{draft.version}.yaml"
    try:
        with atomic_output(target) as temporary:
            temporary.write_bytes(source.read_bytes())
    except OutputExists:
        pass  # the same id and version published before: the check refused changes to it
    spec = f"{draft.framework_id}@{draft.version}"
    CyclePlan.objects.update_or_create(cycle=cycle, defaults={"framework": spec})
    draft.published_at, draft.published_to = timezone.now(), cycle
    draft.save(update_fields=["published_at", "published_to"])
    audit(request, "framework-publish", f"{spec} -> {cycle}", draft.sha256, draft=draft.id)
    return Page("rubric/draft.html", payload={"draft": draft_dict(draft)},
                redirect=reverse("framework-draft", args=[draft.id]))
