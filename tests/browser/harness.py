"""Start the course server and find a Chromium: shared by the browser tests, the
benchmark and the README screenshot script."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
RENDER_TIMEOUT_MS = 90_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chromium() -> str | None:
    """$CHROMIUM, then Debian's chromium, then whatever Playwright installed (None: none)."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
        return path if Path(path).exists() else None
    except Exception:
        return None


def start_voila(*extra_args: str, port: int | None = None) -> tuple[subprocess.Popen, str, Path]:
    """Start the course server on `port` (default: a free one); return (process, base URL,
    log file)."""
    port = port or _free_port()
    log = Path(os.environ.get("PYTEST_VOILA_LOG_DIR", "/tmp")) / f"allcourse-voila-{port}.log"
    cmd = [
        sys.executable,
        "-m",
        "allcourse.app.server",
        f"--port={port}",
        "--Voila.port_retries=0",
        *extra_args,
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Voila exited early:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(base + "voila/templates/allcourse/static/course.css", timeout=2)
            return proc, base, log
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"Voila did not start within 60 s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
