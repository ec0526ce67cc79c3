"""Stopping the service the way a service manager or ``kill`` does leaves nothing running.

The service keeps limited reader processes warm (from a fork server); stopped by SIGTERM it must
let them go, not leave them waiting for work that never comes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _in_session(session: int) -> list[int]:
    """The processes still running in ``session`` (Linux: from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) == session and \
                    b"State:\tZ" not in (entry / "status").read_bytes():
                found.append(int(entry.name))
        except (ProcessLookupError, PermissionError, FileNotFoundError):
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux's /proc")
def test_sigterm_stops_the_service_and_its_warm_workers(tmp_path: Path) -> None:
    pytest.importorskip("django", reason="the web extra (django) is not installed")
    port = _free_port()
    service = subprocess.Popen(
        [sys.executable, "-m", "rubric", "serve", "--example", "--port", str(port),
         "--db", str(tmp_path / "history.sqlite")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                assert service.poll() is None, service.stderr.read().decode()
                assert time.monotonic() < deadline, "the service did not start"
                time.sleep(0.2)
        assert len(_in_session(service.pid)) >= 2  # the service and its warm workers
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=30) == 0
        deadline = time.monotonic() + 15
        while _in_session(service.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _in_session(service.pid) == []
        assert b"Traceback" not in service.stderr.read()
    finally:
        if service.poll() is None:
            os.killpg(service.pid, signal.SIGKILL)
        for left in _in_session(service.pid):
            os.kill(left, signal.SIGKILL)
