"""Files the service keeps, named by their SHA-256 (never by a name a user gave).

``files/ab/<64 hex>`` under the uploads folder, which is outside anything served; files are
written once (read-only afterwards, never executable) and renamed into place atomically.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_HEX = re.compile(r"[0-9a-f]{64}")


def blob_path(root: Path, digest: str) -> Path:
    """Where the file with ``digest`` lives; refuses anything that is not a SHA-256."""
    if not _HEX.fullmatch(digest):
        raise ValueError("not a sha256 digest")
    return root / digest[:2] / digest


def adopt(root: Path, temporary: Path, digest: str) -> Path:
    """Move a received file into the store under its digest (a file already there wins)."""
    target = blob_path(root, digest)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        temporary.unlink(missing_ok=True)
    else:
        os.chmod(temporary, 0o440)
        os.replace(temporary, target)
    return target


def store_bytes(root: Path, data: bytes) -> tuple[str, Path]:
    """Keep ``data`` (an export the service made); returns (digest, path)."""
    digest = hashlib.sha256(data).hexdigest()
    target = blob_path(root, digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        adopt(root, Path(name), digest)
    return digest, target


def store_file(root: Path, path: Path) -> tuple[str, Path]:
    return store_bytes(root, path.read_bytes())


def shown_name(name: str | None, default: str = "upload") -> str:
    """A user's file name made safe to show: its last part, printable, at most 120 characters."""
    text = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch if ch.isprintable() else "?" for ch in text).strip()
    return text[:120] or default
