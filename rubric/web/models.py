"""The service's own records: accounts, uploads, comparisons, framework drafts, deadlines,
sign-in failures and the audit log. Returns themselves live in the history tables."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

ROLES = {
    "officer": "Authority officer",
    "quad-lead": "Quad lead",
    "national": "National lead",
    "editor": "Framework editor",
}


class Account(AbstractUser):
    """A person who signs in. Officers belong to one authority, Quad leads lead named Quads."""

    role = models.CharField(max_length=16, choices=list(ROLES.items()))
    authority = models.CharField(max_length=200, blank=True)  # officers: the authority's name
    authority_code = models.CharField(max_length=16, blank=True)  # "" outside the 32
    quads = models.JSONField(default=list, blank=True)  # Quad leads: Quad names

    @property
    def authority_key(self) -> str:
        return self.authority_code or self.authority

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


class Upload(models.Model):
    """One file an officer uploaded, with its verdict. The file is stored by its hash."""

    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    shown_name = models.CharField(max_length=120)  # for display only, never a path
    uploaded_by = models.ForeignKey(Account, on_delete=models.PROTECT)
    authority = models.CharField(max_length=200)
    authority_key = models.CharField(max_length=200, db_index=True)
    cycle = models.CharField(max_length=7, db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)
    valid = models.BooleanField()
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    return_id = models.IntegerField(null=True)  # the history record when valid
    outcome = models.CharField(max_length=16, blank=True)  # ingested / unchanged / superseded
    framework = models.CharField(max_length=80, blank=True)  # id@version as the file says


class ComparisonRecord(models.Model):
    """A Quad comparison generated in the service; members see it once it is released."""

    quad = models.CharField(max_length=200)
    cycle = models.CharField(max_length=7)
    created_by = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.JSONField(default=list)  # authority keys compared
    return_ids = models.JSONField(default=list)
    html_sha256 = models.CharField(max_length=64, blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    released_at = models.DateTimeField(null=True)
    released_by = models.ForeignKey(Account, null=True, on_delete=models.PROTECT,
                                    related_name="+")

    @property
    def valid(self) -> bool:
        return bool(self.html_sha256) and not self.errors


class FrameworkDraft(models.Model):
    """A framework file an editor uploaded: checked, and perhaps published to a cycle."""

    sha256 = models.CharField(max_length=64)
    shown_name = models.CharField(max_length=120)
    uploaded_by = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    framework_id = models.CharField(max_length=64, blank=True)
    version = models.CharField(max_length=64, blank=True)
    previous = models.CharField(max_length=64, blank=True)  # the version it was checked against
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    diff = models.JSONField(null=True)
    published_at = models.DateTimeField(null=True)
    published_to = models.CharField(max_length=7, blank=True)

    @property
    def publishable(self) -> bool:
        return bool(self.framework_id) and not self.errors and self.published_at is None


class CyclePlan(models.Model):
    """Which framework a cycle's workbooks are made from (set when an editor publishes)."""

    cycle = models.CharField(max_length=7, unique=True)
    framework = models.CharField(max_length=140)  # id@version


class Deadline(models.Model):
    """A Quad's deadline for returns in a cycle, set by its lead."""

    quad = models.CharField(max_length=200)
    cycle = models.CharField(max_length=7)
    due = models.DateField()

    class Meta:
        unique_together = (("quad", "cycle"),)


class SignInFailure(models.Model):
    """A failed sign-in, counted to slow down password guessing."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class AuditEntry(models.Model):
    """Who did what, when, to which file: uploads, comparisons, releases, publications."""

    at = models.DateTimeField(auto_now_add=True)
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=300)
    file_sha256 = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict)


class MeetingPack(models.Model):
    """A meeting pack a Quad lead generated: pack.html, pack.xlsx and the blank record.xlsx."""

    quad = models.CharField(max_length=200)
    cycle = models.CharField(max_length=7)
    created_by = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    meeting_date = models.DateField(null=True)
    members = models.JSONField(default=list)  # authority keys in the pack
    return_ids = models.JSONField(default=list)
    agenda = models.PositiveIntegerField(default=0)  # prompts on the agenda
    html_sha256 = models.CharField(max_length=64, blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    record_sha256 = models.CharField(max_length=64, blank=True)
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)

    @property
    def valid(self) -> bool:
        return bool(self.html_sha256) and not self.errors


class RecordUpload(models.Model):
    """A filled meeting record a Quad lead uploaded, with its verdict and what was kept."""

    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    shown_name = models.CharField(max_length=120)  # for display only, never a path
    uploaded_by = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    quad = models.CharField(max_length=200)  # the Quad it was uploaded for
    cycle = models.CharField(max_length=7)
    received_at = models.DateTimeField(auto_now_add=True)
    valid = models.BooleanField()
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    outcome = models.CharField(max_length=16, blank=True)  # recorded / unchanged / superseded
    record_id = models.IntegerField(null=True)  # the history's meeting record when kept
    replaced = models.IntegerField(null=True)  # the record it superseded
    views = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
