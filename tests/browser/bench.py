"""`make bench`: speed and memory of the course, measured against budgets.

Budgets live here, not in timed tests (a loaded CI machine must not fail a test suite).
Prints one line per measurement and exits 1 when any is over budget.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import CHROMIUM_ARGS, RENDER_TIMEOUT_MS, ROOT, find_chromium, start_voila, stop
from playwright.sync_api import sync_playwright

# Budgets for this 2-core machine class.
BUDGETS = {
    "validate_all_content_s": 5.0,  # python -m allcourse validate, whole process
    "score_per_item_us": 200.0,  # mean time of one score() call over every bank item
    "page_ready_s": 8.0,  # cold page load until Voila has rendered every cell (median)
    "check_round_trip_s": 1.0,  # click "Check answer" until feedback is on screen
    "kernel_rss_mb": 150.0,  # resident memory of one page's kernel
}


def _rss_mb_of_children(pid: int) -> list[float]:
    """Resident memory of each kernel process started by the server."""
    out = subprocess.run(
        ["ps", "--ppid", str(pid), "-o", "rss=,args="], capture_output=True, text=True
    ).stdout
    return [int(line.split()[0]) / 1024 for line in out.splitlines() if "ipykernel" in line]


def bench_content() -> dict[str, float]:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "allcourse", "validate"], cwd=ROOT, check=False)
    validate_s = time.perf_counter() - t0

    from allcourse.quiz.bank import load_bank
    from allcourse.quiz.scoring import key_response, score

    items = [
        it for f in sorted((ROOT / "quizzes").glob("*.yml")) for it in load_bank(f).all_items()
    ]
    responses = [(it, key_response(it)) for it in items]
    rounds = 50
    t0 = time.perf_counter()
    for _ in range(rounds):
        for it, resp in responses:
            score(it, resp)
    per_item_us = (time.perf_counter() - t0) / (rounds * max(1, len(responses))) * 1e6
    return {"validate_all_content_s": validate_s, "score_per_item_us": per_item_us}


def bench_pages() -> dict[str, float]:
    from allcourse.course.course_map import course

    executable = find_chromium()
    if executable is None:
        raise SystemExit("No Chromium found: install Debian's chromium or set $CHROMIUM.")
    proc, base, _ = start_voila()
    results: dict[str, float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            ready, rss = [], []
            for module in course().modules:
                page = browser.new_page()
                t0 = time.perf_counter()
                page.goto(base + "voila/render/" + module.notebook)
                page.wait_for_selector("#loading", state="detached", timeout=RENDER_TIMEOUT_MS)
                ready.append(time.perf_counter() - t0)
                rss.extend(_rss_mb_of_children(proc.pid))
                print(f"  {module.notebook:32s} ready in {ready[-1]:.2f} s")
                if module.id == "blood":
                    results["check_round_trip_s"] = _check_round_trip(page)
                page.close()
            browser.close()
        results["page_ready_s"] = statistics.median(ready)
        results["kernel_rss_mb"] = max(rss) if rss else float("nan")
    finally:
        stop(proc)
    return results


def _check_round_trip(page) -> float:
    """Choose the first option of the first quiz item, press Check, time the feedback."""
    check = page.get_by_role("button", name=re.compile(r"^Check", re.I)).first
    check.scroll_into_view_if_needed()
    item = check.locator("xpath=ancestor::div[contains(@class,'allcourse-item')][1]")
    item.locator("input").first.check()
    t0 = time.perf_counter()
    check.click()
    item.get_by_text(re.compile(r"(Correct|Not correct|Partly correct)")).first.wait_for()
    return time.perf_counter() - t0


def main() -> int:
    sys.path.insert(0, str(Path(ROOT)))
    measured = {**bench_content(), **bench_pages()}
    failed = False
    for name, budget in BUDGETS.items():
        value = measured.get(name, float("nan"))
        ok = value <= budget
        failed |= not ok
        print(f"{'ok  ' if ok else 'OVER'} {name:24s} {value:10.3f}   budget {budget}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
