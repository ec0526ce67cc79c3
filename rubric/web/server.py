"""Serving the Django application with waitress: a pure-Python, multi-threaded WSGI server
that buffers and limits request bodies before the application sees them."""

from __future__ import annotations

from rubric.web.config import ServiceConfig
from rubric.web.receive import FORM_OVERHEAD


def application(config: ServiceConfig):
    """The WSGI application for ``config`` (Django configured, tables up to date)."""
    from django.core.wsgi import get_wsgi_application

    from rubric.web.settings import configure

    configure(config)
    return get_wsgi_application()


def make_server(config: ServiceConfig, host: str, port: int, *, threads: int = 8):
    """A waitress server (not yet running); ``.run()`` serves until interrupted."""
    from waitress import create_server

    from rubric.read.batch import default_jobs
    from rubric.read.sandbox import keep_workers_warm

    keep_workers_warm(default_jobs())  # before waitress's threads: uploads read by warm workers
    options = {"host": host, "port": port, "threads": threads,
               "max_request_body_size": config.max_upload_bytes + FORM_OVERHEAD,
               "channel_timeout": 60, "ident": "rubric"}
    if config.https:
        options.update(trusted_proxy="127.0.0.1", trusted_proxy_headers={
            "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"},
            clear_untrusted_proxy_headers=True)
    return create_server(application(config), **options)


def serve_until_stopped(server) -> None:
    """Serve until Ctrl+C or SIGTERM (what a service manager or ``kill`` sends), then close the
    server and let its workers go: killed without this, the warm workers would wait for ever."""
    import signal

    from rubric.read.sandbox import shutdown_workers

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        shutdown_workers()
