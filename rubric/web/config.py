"""What a running service needs to know, from the ``rubric serve`` options (no Django here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class QuadSpec:
    """A Quad as the service shows it: members as (name, key), key = code, or name if none."""

    name: str
    cycle: str
    members: tuple[tuple[str, str], ...]
    in_quads_file: bool = True  # False for the example Quad, whose members are fictional

    @property
    def slug(self) -> str:
        import re

        return re.sub(r"[^a-z0-9]+", "-", self.name.casefold()).strip("-") or "quad"


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    db: Path
    uploads: Path  # content-addressed files, outside any served folder
    frameworks: Path | None = None
    quads_file: Path | None = None
    cycle: str = ""  # the open cycle; "" = the current school year
    framework: str = "hgioea"  # the open cycle's framework until an editor publishes one
    base_url: str = "http://127.0.0.1:8000"
    allowed_hosts: tuple[str, ...] = ()
    https: bool = False  # behind an HTTPS reverse proxy: Secure cookies, trust X-Forwarded-Proto
    session_hours: float = 8.0
    max_upload_bytes: int = 10 * MiB
    max_files: int = 1
    sign_in_attempts: int = 5  # failures per name (x4 per address) within the window
    sign_in_window_minutes: int = 15
    extra_quads: tuple[QuadSpec, ...] = field(default_factory=tuple)
    debug: bool = False

    @property
    def open_cycle(self) -> str:
        from rubric.cycles.cycle import current_cycle

        return self.cycle or current_cycle(dt.date.today())

    @property
    def blobs(self) -> Path:
        return self.uploads / "files"

    @property
    def incoming(self) -> Path:
        return self.uploads / "incoming"

    @property
    def published_frameworks(self) -> Path:
        return self.uploads / "frameworks"
