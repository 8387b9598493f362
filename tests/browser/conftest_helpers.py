"""Assertions and helpers shared by browser tests."""

from __future__ import annotations

import json
from typing import Any


def assert_clean(cp) -> None:
    """No request left the machine and the browser console logged no error."""
    assert cp.external_requests == [], f"requests to other hosts: {cp.external_requests}"
    assert cp.console_errors == [], f"console errors: {cp.console_errors}"


def assert_accessible(page, where: str) -> None:
    """axe-core (bundled, offline) finds no WCAG A/AA violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}},
    )
    violations = results.response["violations"]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"accessibility violations on {where}:\n" + "\n".join(report)


def decode_kernel_message(payload: bytes | str) -> dict[str, Any] | None:
    """A kernel message from a websocket frame (the v1 binary protocol or JSON text)."""
    if isinstance(payload, str):
        try:
            return json.loads(payload)
        except ValueError:
            return None
    n = int.from_bytes(payload[:8], "little")
    offsets = [int.from_bytes(payload[8 + 8 * i : 16 + 8 * i], "little") for i in range(n)]
    parts = [payload[offsets[i] : offsets[i + 1]] for i in range(n - 1)]
    try:
        return {
            "channel": parts[0].decode(),
            "header": json.loads(parts[1]),
            "content": json.loads(parts[4]),
        }
    except (IndexError, ValueError, UnicodeDecodeError):
        return None
