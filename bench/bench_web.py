"""Benchmark: the web service's upload-to-verdict latency and 32 concurrent uploads (not a
test; run by hand, see README).

Starts ``rubric serve`` in its own process on a fresh database, adds one officer per council
(``rubric users add --password-stdin``), signs each in over HTTP, then times POST
/api/authority/upload of a realistic HGIOEA return until the verdict arrives: one officer at a
time (median over repeats), and all 32 at once (wall time, every verdict checked).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from bench_returns import generate  # noqa: E402

PASSWORD = "a benchmark passphrase"
RUBRIC = [sys.executable, "-m", "rubric"]


class Officer:
    """One signed-in browser session, kept in a cookie jar."""

    def __init__(self, base: str, name: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(base + "/sign-in").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"username": name, "password": PASSWORD,
                                       "csrfmiddlewaretoken": token}).encode()
        self.opener.open(urllib.request.Request(base + "/sign-in", form))
        page = self.opener.open(base + "/authority/").read().decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def upload(self, data: bytes) -> tuple[int, dict]:
        boundary = "rubricbench"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"return.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.base + "/api/authority/upload", body,
            {"Content-Type": f"multipart/form-data; boundary={boundary}",
             "X-CSRFToken": self.token, "Referer": self.base + "/authority/"})
        try:
            with self.opener.open(request) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    options = parser.parse_args()
    returns = generate(ROOT / "frameworks" / "hgioea" / "1.0.0.yaml")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite"
        common = ["--db", str(db), "--uploads", str(Path(folder) / "uploads")]
        for path in returns:
            subprocess.run([*RUBRIC, "users", "add", f"o-{path.stem}", "--role", "officer",
                            "--authority", path.stem, "--password-stdin", *common],
                           input=PASSWORD + "\n", text=True, check=True, capture_output=True)
        port = _free_port()
        server = subprocess.Popen([*RUBRIC, "serve", "--port", str(port), "--cycle", "2025-26",
                                   "--framework", "hgioea@1.0.0", *common],
                                  stderr=subprocess.PIPE, text=True, env=os.environ.copy())
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/sign-in", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            officers = {path: Officer(base, f"o-{path.stem}") for path in returns}
            first = returns[0]
            data = first.read_bytes()
            latencies = []
            for _ in range(options.repeats):
                start = time.perf_counter()
                status, verdict = officers[first].upload(data)
                latencies.append(time.perf_counter() - start)
                assert status == 201 and verdict["upload"]["valid"], verdict
            print(f"upload-to-verdict, one HGIOEA return ({len(data) // 1024} KiB), median of "
                  f"{options.repeats}: {statistics.median(latencies) * 1000:.0f} ms "
                  f"(min {min(latencies) * 1000:.0f} ms)")
            walls = []
            for _ in range(3):
                results: dict[Path, int] = {}
                barrier = threading.Barrier(len(returns) + 1)

                def send(path: Path, results=results, barrier=barrier) -> None:
                    barrier.wait()
                    results[path] = officers[path].upload(path.read_bytes())[0]

                threads = [threading.Thread(target=send, args=(p,)) for p in returns]
                for thread in threads:
                    thread.start()
                barrier.wait()
                start = time.perf_counter()
                for thread in threads:
                    thread.join()
                walls.append(time.perf_counter() - start)
                assert sorted(results.values()) == [201] * len(returns), results
            print(f"32 concurrent uploads (one per council), all verdicts back: median of 3 "
                  f"{statistics.median(walls):.2f} s ({statistics.median(walls) / 32 * 1000:.0f}"
                  f" ms per return); every one recorded")
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"({platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.system()}; waitress with 8 threads)")


if __name__ == "__main__":
    main()
