"""Accounts, created by an administrator (``rubric users``), never by signing up.

Each account has one role; officers name their authority (resolved against the 32 councils,
or any name with ``allow_unlisted`` for training), Quad leads the Quads they lead (checked in
the Quads file). The password is set from standard input, or a one-time sign-in link lets the
person choose it: Django's token generator makes the link, which stops working once used.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rubric.problems import Location, Refused, problem

ROLES = ("officer", "quad-lead", "national", "editor")


def add_account(name: str, role: str, *, quads: Sequence[str] = (), authority: str | None = None,
                password: str | None = None, allow_unlisted: bool = False,
                quads_path: Path | None = None, extra_quads: Sequence[str] = ()):
    """Create the account (Django configured); raises :class:`Refused` with a coded problem."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from rubric.web.models import Account

    name = name.strip()
    if role not in ROLES:
        raise Refused(problem("options-conflict", Location(), reason=f"{role!r} is not a role",
                              hint=f"Use one of {', '.join(ROLES)}."))
    if Account.objects.filter(username__iexact=name).exists():
        raise Refused(problem("account-exists", Location(), name=name))
    fields: dict = {"role": role}
    if role == "officer":
        if not authority:
            raise Refused(problem("options-conflict", Location(), reason="an authority officer "
                                  "needs an authority", hint="Add --authority NAME."))
        from rubric.template.targets import resolve_authorities

        ((fields["authority"], fields["authority_code"]),) = resolve_authorities(
            [authority], allow_unlisted=allow_unlisted)
    elif authority:
        raise Refused(problem("options-conflict", Location(), reason="only officers belong to "
                              "an authority", hint="Leave out --authority for this role."))
    if role == "quad-lead":
        if not quads:
            raise Refused(problem("options-conflict", Location(), reason="a Quad lead needs "
                                  "the Quads they lead", hint="Add --quad NAME (repeatable)."))
        from rubric.registry.quads import find_quad

        chosen = []
        for quad in quads:
            if quad.casefold() in {q.casefold() for q in extra_quads}:
                chosen.append(next(q for q in extra_quads if q.casefold() == quad.casefold()))
            else:
                chosen.append(find_quad(quad, quads_path).name)
        fields["quads"] = chosen
    elif quads:
        raise Refused(problem("options-conflict", Location(), reason="only Quad leads lead "
                              "Quads", hint="Leave out --quad for this role."))
    account = Account(username=name, **fields)
    if password is not None:
        try:
            validate_password(password, account)
        except ValidationError as exc:
            raise Refused(problem("password-rejected", Location(),
                                  reason=" ".join(exc.messages))) from None
        account.set_password(password)
    else:
        account.set_unusable_password()
    account.save()
    return account


def sign_in_link(account, base_url: str) -> str:
    """A one-time link to choose a password (valid for three days, void once used)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    return base_url.rstrip("/") + reverse("set-password", args=[uid, token])


def find_account(name: str):
    from rubric.web.models import Account

    account = Account.objects.filter(username__iexact=name.strip()).first()
    if account is None:
        raise Refused(problem("account-unknown", Location(), name=name))
    return account


def list_accounts() -> list[dict]:
    from rubric.web.models import Account

    return [{"name": a.username, "role": a.role, "authority": a.authority or None,
             "quads": list(a.quads or []), "active": a.is_active,
             "has_password": a.has_usable_password(),
             "last_sign_in": a.last_login.isoformat() if a.last_login else None}
            for a in Account.objects.order_by("role", "username")]
