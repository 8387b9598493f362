"""Assertions shared by browser tests."""

from __future__ import annotations


def assert_clean(cp) -> None:
    """No request left the machine and the browser console logged no error."""
    assert cp.external_requests == [], f"requests to other hosts: {cp.external_requests}"
    assert cp.console_errors == [], f"console errors: {cp.console_errors}"
