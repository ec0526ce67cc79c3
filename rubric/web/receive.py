"""Upload limits enforced while the request arrives, before any reader sees a byte.

Three layers: waitress refuses a request body above the limit as it reads it; a middleware
refuses a declared ``Content-Length`` above the limit before Django parses anything; and the
upload handler streams each file into a hashing temporary file, stopping as soon as it passes
the limit. The number of files is capped by ``DATA_UPLOAD_MAX_NUMBER_FILES``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the small form fields


def _config():
    from rubric.web.settings import current

    return current()


class ReceivedFile(UploadedFile):
    """A file received to disk, with its SHA-256 computed on the way in."""

    def __init__(self, path: Path, digest: str, size: int, name: str | None,
                 content_type: str | None) -> None:
        super().__init__(open(path, "rb"), name, content_type, size)  # noqa: SIM115
        self.path = path
        self.digest = digest

    def temporary_file_path(self) -> str:
        return str(self.path)

    def close(self) -> None:
        super().close()


class LimitedUploadHandler(FileUploadHandler):
    """Stream each file to disk while hashing it; stop at the size limit."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        config = _config()
        config.incoming.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=config.incoming, prefix="upload-")
        self._out = os.fdopen(handle, "wb")
        self._path = Path(name)
        self._digest = hashlib.sha256()
        self._size = 0
        self._limit = config.max_upload_bytes
        if not hasattr(self.request, "rubric_received"):
            self.request.rubric_received = []
        self.request.rubric_received.append(self._path)  # removed after the response if kept

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size > self._limit:
            self._out.close()
            self._path.unlink(missing_ok=True)
            self.request.rubric_upload_refused = "upload-too-large"
            raise StopUpload(connection_reset=True)
        self._digest.update(raw_data)
        self._out.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> ReceivedFile:
        self._out.close()
        return ReceivedFile(self._path, self._digest.hexdigest(), self._size, self.file_name,
                            self.content_type)

    def upload_interrupted(self) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            out.close()
            self._path.unlink(missing_ok=True)


class RefuseOversizedBodies:
    """Refuse a request whose declared body is over the upload limit, before it is parsed."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > _config().max_upload_bytes + FORM_OVERHEAD:
            from rubric.web.views.errors import problem_response, size_text

            return problem_response(request, "upload-too-large", 413,
                                    limit=size_text(_config().max_upload_bytes))
        try:
            return self.get_response(request)
        finally:
            # A received file the view did not keep (refused, failed) is not left behind;
            # kept files were renamed into the store already.
            for received in (request.__dict__.get("_files") or {}).values():
                received.close()
            for path in getattr(request, "rubric_received", ()):
                Path(path).unlink(missing_ok=True)
