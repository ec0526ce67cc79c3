"""``rubric serve --example``: the bundled example returns and example accounts, for a demo.

The four example returns (fictional Example Authorities A to D, cycle 2025-26) are uploaded as
their officers would, so the Quad lead's dashboard starts with four valid returns; the
accounts below share one demonstration password, printed at start-up. Never for real data.
"""

from __future__ import annotations

from pathlib import Path

from rubric.web.config import QuadSpec

EXAMPLE_CYCLE = "2025-26"
EXAMPLE_FRAMEWORK = "hgioea@1.0.0"
EXAMPLE_PASSWORD = "example-only-password"
EXAMPLE_MEMBERS = tuple((f"Example Authority {letter}", f"EX{letter}") for letter in "ABCD")
EXAMPLE_QUAD = QuadSpec("Example Quad", EXAMPLE_CYCLE, EXAMPLE_MEMBERS, in_quads_file=False)
ACCOUNTS = (
    *((f"officer-{code[-1].lower()}", "officer", name, code) for name, code in EXAMPLE_MEMBERS),
    ("quad-lead", "quad-lead", "", ""),
    ("national", "national", "", ""),
    ("editor", "editor", "", ""),
)


def load_example(examples: Path | None = None) -> list[tuple[str, str]]:
    """Create the example accounts and upload the example returns (once); returns (name,
    role) of every example account."""
    from rubric.cycles.submit import submit_return
    from rubric.resources import bundled_examples_dir
    from rubric.web import blobs
    from rubric.web.models import Account, Upload
    from rubric.web.settings import current
    from rubric.web.views.common import history, store
    from rubric.web.views.errors import shown

    config = current()
    for username, role, authority, code in ACCOUNTS:
        account, made = Account.objects.get_or_create(
            username=username, defaults={"role": role, "authority": authority,
                                         "authority_code": code,
                                         "quads": [EXAMPLE_QUAD.name] if role == "quad-lead"
                                         else []})
        if made:
            account.set_password(EXAMPLE_PASSWORD)
            account.save()
    folder = examples or bundled_examples_dir()
    for path in sorted(folder.glob("example-authority-*.xlsx")) if folder else []:
        letter = path.stem[-1].upper()
        name, code = f"Example Authority {letter}", f"EX{letter}"
        digest, stored = blobs.store_file(config.blobs, path)
        if Upload.objects.filter(sha256=digest, authority_key=code).exists():
            continue
        with history() as opened:
            submission = submit_return(stored, store=store(), history=opened,
                                       cycle=EXAMPLE_CYCLE, authority=(name, code))
        outcome = submission.outcome
        Upload.objects.create(
            sha256=digest, size=stored.stat().st_size, shown_name=path.name,
            uploaded_by=Account.objects.get(username=f"officer-{letter.lower()}"),
            authority=name, authority_key=code, cycle=EXAMPLE_CYCLE, valid=submission.valid,
            errors=[shown(p) for p in submission.report.errors],
            warnings=[shown(p) for p in submission.report.warnings],
            return_id=outcome.return_id if outcome else None,
            outcome=outcome.outcome if outcome else "",
            framework="@".join(submission.framework) if submission.framework else "")
    return [(username, role) for username, role, _, _ in ACCOUNTS]
