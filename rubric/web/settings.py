"""Django settings built in code from a :class:`ServiceConfig` (there is no project folder).

Security choices in one place: argon2 first among password hashers, database sessions in
HttpOnly SameSite=Lax cookies (Secure behind HTTPS), CSRF on every state-changing request,
clickjacking and content-type protection, a content security policy allowing only this site's
own script and style, and upload limits.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from rubric.web.config import ServiceConfig

_configured: ServiceConfig | None = None


def secret_key(folder: Path) -> str:
    """The service's signing key, made once and kept (owner-only) beside the uploads, so
    sessions and sign-in links survive a restart."""
    path = folder / "secret-key"
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def django_settings(config: ServiceConfig) -> dict:
    base = urlsplit(config.base_url)
    hosts = {"127.0.0.1", "localhost", "testserver", *config.allowed_hosts}
    if base.hostname:
        hosts.add(base.hostname)
    return {
        "DEBUG": config.debug,
        "SECRET_KEY": secret_key(config.uploads),
        "ALLOWED_HOSTS": sorted(hosts),
        "ROOT_URLCONF": "rubric.web.urls",
        "INSTALLED_APPS": ["django.contrib.contenttypes", "django.contrib.auth",
                           "django.contrib.sessions", "rubric.web.apps.RubricWebConfig"],
        "MIDDLEWARE": [
            "django.middleware.security.SecurityMiddleware",
            "rubric.web.access.SecurityHeaders",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "rubric.web.receive.RefuseOversizedBodies",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            # Before CSRF: a request nobody may make is refused before its body is parsed.
            "rubric.web.access.Authorise",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        "DATABASES": {"default": {
            "ENGINE": "django.db.backends.sqlite3", "NAME": str(config.db),
            "OPTIONS": {"timeout": 60, "transaction_mode": "IMMEDIATE",
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=60000;"},
        }},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "AUTH_USER_MODEL": "rubric_web.Account",
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.Argon2PasswordHasher",
                             "django.contrib.auth.hashers.PBKDF2PasswordHasher"],
        "AUTH_PASSWORD_VALIDATORS": [
            {"NAME": "django.contrib.auth.password_validation."
                     "UserAttributeSimilarityValidator"},
            {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
             "OPTIONS": {"min_length": 12}},
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
            {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        ],
        "PASSWORD_RESET_TIMEOUT": 3 * 24 * 3600,  # one-time sign-in links last three days
        "LOGIN_URL": "sign-in",
        "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        "SESSION_COOKIE_AGE": int(config.session_hours * 3600),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": config.https,
        "SESSION_COOKIE_NAME": "rubric_session",
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": config.https,
        "CSRF_TRUSTED_ORIGINS": [f"{base.scheme}://{base.netloc}"] if base.netloc else [],
        "CSRF_FAILURE_VIEW": "rubric.web.views.errors.csrf_failure",
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https") if config.https else None,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_HSTS_SECONDS": 31536000 if config.https else 0,
        "X_FRAME_OPTIONS": "SAMEORIGIN",  # the comparison report is shown in a frame of ours
        "DATA_UPLOAD_MAX_NUMBER_FILES": config.max_files,
        "DATA_UPLOAD_MAX_NUMBER_FIELDS": 50,
        "DATA_UPLOAD_MAX_MEMORY_SIZE": 256 * 1024,  # form fields; files go to the upload handler
        "FILE_UPLOAD_HANDLERS": ["rubric.web.receive.LimitedUploadHandler"],
        "TEMPLATES": [{"BACKEND": "django.template.backends.django.DjangoTemplates",
                       "APP_DIRS": True,
                       "OPTIONS": {"context_processors": [
                           "django.template.context_processors.request",
                           "django.contrib.auth.context_processors.auth",
                           "django.template.context_processors.csrf",
                           "rubric.web.views.common.service_context"]}}],
        "USE_TZ": True,
        "TIME_ZONE": "Europe/London",
        "LANGUAGE_CODE": "en-gb",
        "USE_I18N": False,
        "LOGGING_CONFIG": None,
        "RUBRIC": config,
    }


def configure(config: ServiceConfig, *, migrate: bool = True) -> None:
    """Configure Django for ``config`` once per process and bring the tables up to date."""
    global _configured
    import django
    from django.conf import settings

    if _configured is None:
        config.uploads.mkdir(parents=True, exist_ok=True)
        config.db.parent.mkdir(parents=True, exist_ok=True)
        settings.configure(**django_settings(config))
        django.setup()
        _configured = config
    elif _configured != config:
        raise RuntimeError("the web service is already configured for another database")
    if migrate:
        from django.core.management import call_command

        from rubric.cycles.history import open_history

        open_history(config.db).close()  # the history's tables, in the same file
        call_command("migrate", verbosity=0, interactive=False)


def current() -> ServiceConfig:
    from django.conf import settings

    return settings.RUBRIC
