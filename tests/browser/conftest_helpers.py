"""Assertions shared by browser tests."""

from __future__ import annotations


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
