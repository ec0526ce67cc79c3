"""``rubric serve`` and ``rubric users``: the web service and its accounts.

Django and waitress (the optional ``web`` extra) are imported only when these commands run, so
the rest of the CLI starts as fast as before.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from rubric.cli._render import emit_json, refusals
from rubric.cli.options import db_option, frameworks_option, json_option, quads_option

uploads_option = click.option(
    "--uploads", "uploads_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    metavar="DIR", help="Where uploaded and generated files are kept, by their SHA-256 "
    "(default: rubric-uploads/ beside the database). Never inside a served folder.")
base_url_option = click.option(
    "--base-url", default=None, metavar="URL",
    help="The address people use (for sign-in links and CSRF checks behind a proxy); "
    "default http://HOST:PORT.")


def _config(db_path: Path | None, uploads_dir: Path | None, frameworks_dir: Path | None,
            quads_file: Path | None, **options):
    from rubric.resources import history_path
    from rubric.web.config import ServiceConfig

    db = history_path(db_path)
    uploads = uploads_dir or db.resolve().parent / "rubric-uploads"
    return ServiceConfig(db=db, uploads=uploads, frameworks=frameworks_dir,
                         quads_file=quads_file, **options)


def _web():
    from rubric.problems import Location, Refused, problem

    try:
        import django  # noqa: F401
        import waitress  # noqa: F401
    except ImportError as exc:
        raise Refused(problem("web-extra-missing", Location(), missing=exc.name or "django")
                      ) from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 exposes the service to the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@db_option
@frameworks_option
@quads_option
@uploads_option
@base_url_option
@click.option("--cycle", default=None, metavar="CYCLE",
              help="The open cycle (default: the current school year; 2025-26 with --example).")
@click.option("--framework", "framework_spec", default=None, metavar="FRAMEWORK",
              help="The open cycle's framework until an editor publishes one (default hgioea).")
@click.option("--https", is_flag=True, help="Behind an HTTPS reverse proxy on this machine: "
              "Secure cookies, HSTS, trust its X-Forwarded-Proto/-For.")
@click.option("--example", is_flag=True, help="Load the example returns and example accounts "
              "(a demonstration; never for real data).")
@refusals
def serve(host: str, port: int, db_path: Path | None, frameworks_dir: Path | None,
          quads_file: Path | None, uploads_dir: Path | None, base_url: str | None,
          cycle: str | None, framework_spec: str | None, https: bool, example: bool) -> None:
    """Run the web service: officers upload returns, Quad leads compare and release."""
    _web()
    from rubric.cycles.cycle import check_cycle

    extra: dict = {}
    if example:
        from rubric.web.example import EXAMPLE_CYCLE, EXAMPLE_FRAMEWORK, EXAMPLE_QUAD

        extra = {"extra_quads": (EXAMPLE_QUAD,)}
        cycle = cycle or EXAMPLE_CYCLE
        framework_spec = framework_spec or EXAMPLE_FRAMEWORK
    config = _config(db_path, uploads_dir, frameworks_dir, quads_file,
                     cycle=check_cycle(cycle) if cycle else "",
                     framework=framework_spec or "hgioea",
                     base_url=base_url or f"http://{host}:{port}", https=https,
                     allowed_hosts=(host,), **extra)
    from rubric.web.server import make_server, serve_until_stopped

    server = make_server(config, host, port)
    if example:
        from rubric.web.example import EXAMPLE_PASSWORD, load_example

        accounts = load_example()
        click.echo("Example accounts (password for all: " + EXAMPLE_PASSWORD + "): " +
                   ", ".join(f"{name} ({role})" for name, role in accounts), err=True)
    click.echo(f"rubric serving {config.base_url}/ (cycle {config.open_cycle}; database "
               f"{config.db}; files in {config.uploads}); Ctrl+C stops it", err=True)
    serve_until_stopped(server)


@click.group()
def users() -> None:
    """Accounts of the web service: add, list, and new sign-in links."""


def _setup(db_path: Path | None, uploads_dir: Path | None, quads_file: Path | None,
           base_url: str | None):
    _web()
    from rubric.web.settings import configure

    config = _config(db_path, uploads_dir, None, quads_file,
                     base_url=base_url or "http://127.0.0.1:8000")
    configure(config)
    return config


@users.command("add")
@click.argument("name")
@click.option("--role", required=True,
              type=click.Choice(["national", "quad-lead", "officer", "editor"]))
@click.option("--quad", "quads", multiple=True, metavar="QUAD", help="A Quad this lead leads "
              "(repeatable).")
@click.option("--authority", default=None, metavar="NAME", help="An officer's authority.")
@click.option("--allow-unlisted", is_flag=True, help="Accept an authority outside the 32.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--link", is_flag=True, help="Print a one-time sign-in link (the default).")
@db_option
@quads_option
@uploads_option
@base_url_option
@json_option
@refusals
def add_user(name: str, role: str, quads: tuple[str, ...], authority: str | None,
             allow_unlisted: bool, password_stdin: bool, link: bool, db_path: Path | None,
             quads_file: Path | None, uploads_dir: Path | None, base_url: str | None,
             as_json: bool) -> None:
    """Create an account with one role; print a one-time sign-in link or set a password."""
    config = _setup(db_path, uploads_dir, quads_file, base_url)
    from rubric.web.accounts import add_account, sign_in_link
    from rubric.web.example import EXAMPLE_QUAD

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    account = add_account(name, role, quads=quads, authority=authority, password=password,
                          allow_unlisted=allow_unlisted, quads_path=quads_file,
                          extra_quads=(EXAMPLE_QUAD.name,))
    url = None if password_stdin and not link else sign_in_link(account, config.base_url)
    if as_json:
        emit_json({"ok": True, "name": account.username, "role": account.role,
                   "link": url, "errors": [], "warnings": []})
        return
    click.echo(f"added {account.username} ({account.role_label})", err=True)
    if url:
        click.echo(url)


@users.command("link")
@click.argument("name")
@db_option
@uploads_option
@base_url_option
@refusals
def link_user(name: str, db_path: Path | None, uploads_dir: Path | None,
              base_url: str | None) -> None:
    """Print a new one-time sign-in link for NAME (to choose a new password)."""
    config = _setup(db_path, uploads_dir, None, base_url)
    from rubric.web.accounts import find_account, sign_in_link

    click.echo(sign_in_link(find_account(name), config.base_url))


@users.command("list")
@db_option
@uploads_option
@json_option
def list_users(db_path: Path | None, uploads_dir: Path | None, as_json: bool) -> None:
    """Every account with its role, authority or Quads."""
    _setup(db_path, uploads_dir, None, None)
    from rubric.web.accounts import list_accounts

    rows = list_accounts()
    if as_json:
        emit_json({"ok": True, "accounts": rows, "errors": [], "warnings": []})
        return
    for row in rows:
        scope = row["authority"] or ", ".join(row["quads"]) or "-"
        state = "" if row["has_password"] else " (no password yet)"
        click.echo(f"{row['name']:<24} {row['role']:<10} {scope}{state}")
