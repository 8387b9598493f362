"""`make bench`: speed and memory of every module, side by side with Voila's own floor.

In one run, one server serves the course's notebooks and a baseline notebook (one button
that sets a text: the least a Voila page can do). For each module, measured in a real
Chromium and compared with the baseline measured in between:
- time to interactive: from the request until the page's first button can be used (and,
  as a column, until the server has sent the whole page);
- check round trip: "Check answer" pressed until the verdict is said and the feedback is
  drawn (baseline: the button pressed until its text has changed), timed inside the page;
- the resident memory of the page's kernel.
Budgets (ratios to the baseline, and MB) live here, not in timed tests: a loaded machine
must not fail a test suite. Prints a table; exits 1 when a module is over a budget.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from harness import CHROMIUM_ARGS, RENDER_TIMEOUT_MS, ROOT, find_chromium, start_voila, stop
from playwright.sync_api import expect, sync_playwright

READY_RATIO = 1.3  # time to interactive, at most this times the baseline's
CHECK_RATIO = 1.5  # check round trip, at most this times the baseline's
KERNEL_MB = 70.0  # resident memory of one page's kernel
CONTENT = {"validate_all_content_s": 5.0, "score_per_item_us": 200.0, "build_25_items_s": 1.0}
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
# BENCH_MODULES=blood,review measures only those modules (ids or notebook names).
ONLY = [x for x in os.environ.get("BENCH_MODULES", "").split(",") if x]
BASELINE = "zz_bench_baseline.ipynb"
MAX_NEXT = 10  # questions to go forward through, looking for a single-choice one
VERDICT = re.compile(r"(Correct|Not correct|Partly correct|correct)")

BASELINE_CODE = """\
import ipywidgets as widgets
button = widgets.Button(description="Press")
label = widgets.Label("not pressed")
button.on_click(lambda _: setattr(label, "value", "pressed"))
widgets.VBox([button, label])"""


def course_with_baseline(tmp: Path) -> Path:
    """A course root whose notebooks/ holds the course's notebooks plus the baseline."""
    root = tmp / "course"
    (root / "notebooks").mkdir(parents=True)
    for name in ("course.yml", "quizzes", "assets"):
        (root / name).symlink_to(ROOT / name)
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        (root / "notebooks" / nb.name).symlink_to(nb)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE_CODE)])
    nbformat.write(nb, root / "notebooks" / BASELINE)
    return root


def kernel_mb(kernel_id: str) -> float:
    out = subprocess.run(
        ["pgrep", "-f", f"kernel-{kernel_id}"], capture_output=True, text=True
    ).stdout.split()
    rss = subprocess.run(
        ["ps", "-o", "rss=", "-p", ",".join(out) or "0"], capture_output=True, text=True
    ).stdout.split()
    return sum(int(x) for x in rss) / 1024


def has_buttons(notebook: Path) -> bool:
    """Whether the page draws widgets with buttons (a quiz or a scenario)."""
    text = notebook.read_text(encoding="utf-8")
    return any(call in text for call in ("self_check(", "show_quiz(", "_view import"))


def open_ready(browser, url: str, buttons: bool):
    """(page, seconds until it is interactive: rendered, and its first button enabled,
    seconds until the server had sent the whole page: kernel started, notebook run)."""
    page = browser.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("#loading", state="detached", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=RENDER_TIMEOUT_MS)
    if buttons:
        page.locator("button.widget-button:not([disabled])").first.wait_for(
            state="visible", timeout=RENDER_TIMEOUT_MS
        )
    ready = time.perf_counter() - t0
    served = page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd") / 1000
    return page, ready, served


def page_kernel(page) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


# Timed inside the page, from the click to the change in the page (a MutationObserver):
# Playwright's own polling costs more on a big page than on the one-button baseline,
# and is not something a student waits for.
ROUND_TRIP_JS = """
([button, target, pattern, root, drawn]) => new Promise((resolve) => {
  const re = new RegExp(pattern);
  let t0 = 0;
  const observer = new MutationObserver(() => {
    if (re.test(target.textContent.trim()) && (!drawn || root.querySelector(drawn))) {
      observer.disconnect();
      resolve((performance.now() - t0) / 1000);
    }
  });
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  t0 = performance.now();
  button.click();
})
"""


def _round_trip(page, button, target, pattern: str, root=None, drawn: str = "") -> float:
    """Seconds from the click until `target`'s text matches `pattern` and, when given,
    `drawn` (a CSS selector) is in `root`."""
    handles = [button, target, root or target]
    args = [h.element_handle() for h in handles]
    return page.evaluate(ROUND_TRIP_JS, [args[0], args[1], pattern, args[2], drawn])


def baseline_round_trip(page) -> float:
    label = page.locator(".widget-label").filter(has_text="not pressed")
    return _round_trip(page, page.get_by_role("button", name="Press"), label, "^pressed$")


def module_round_trip(page) -> float | None:
    """Choose the first option of the self-check's first single-choice question (going
    forward with "Next question", as it shows one question at a time), press Check, time until
    the verdict is said and the feedback is drawn. None: the page has no such question."""
    check_button = page.get_by_role("button", name=re.compile(r"^Check", re.I))
    # The self-check's question (a scenario's practice question, earlier on some pages,
    # records no progress and updates no navigation: a lighter check).
    radios = (
        page.locator(".allcourse-quiz .allcourse-item")
        .filter(has=page.locator("input[type=radio]"))
        .filter(has=check_button)
    )
    following = page.get_by_role("button", name="Next question")
    for _ in range(MAX_NEXT):
        if radios.count() or not following.count():
            break
        title = page.locator(".allcourse-quiz .allcourse-item-title").first
        shown = title.text_content()
        following.click()
        expect(title).not_to_have_text(shown or "")
    if radios.count() == 0:
        return None
    item = radios.first
    item.scroll_into_view_if_needed()
    item.locator("input[type=radio]").first.check()
    check = item.get_by_role("button", name=re.compile(r"^Check", re.I))
    status = item.locator(".allcourse-status").first
    return _round_trip(page, check, status, VERDICT.pattern, item, ".allcourse-feedback")


def close(page) -> None:
    page.close(run_before_unload=True)  # frees its kernel, as a student leaving does


def bench_pages() -> tuple[list[dict], dict]:
    from allcourse.course.course_map import course

    executable = find_chromium()
    if executable is None:
        raise SystemExit("No Chromium found: install Debian's chromium or set $CHROMIUM.")
    tmp = Path(tempfile.mkdtemp(prefix="allcourse-bench-"))
    os.environ["ALLCOURSE_ROOT"] = str(course_with_baseline(tmp))
    proc, base, _ = start_voila()
    notebooks = [
        m.notebook
        for m in course().modules
        if not ONLY or any(x in (m.id, m.notebook) for x in ONLY)
    ]
    runs: dict[str, dict[str, list[float]]] = {
        nb: {"ready": [], "served": [], "check": [], "mb": []} for nb in [BASELINE, *notebooks]
    }
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            # One visit to every page first, as a server's first visitors make: the browser
            # caches the JS and the kernels fill the content cache (validated content,
            # bank indexes), which a fresh clone or an edited package does not have yet.
            for name in (BASELINE, *notebooks):
                buttons = name == BASELINE or has_buttons(ROOT / "notebooks" / name)
                warm, _, _ = open_ready(browser, base + "voila/render/" + name, buttons)
                close(warm)
            for _ in range(REPEATS):
                for nb in notebooks:
                    # The baseline is measured right before each module, in the same state.
                    for name in (BASELINE, nb):
                        url = base + "voila/render/" + name
                        buttons = name == BASELINE or has_buttons(ROOT / "notebooks" / name)
                        page, ready, served = open_ready(browser, url, buttons)
                        runs[name]["ready"].append(ready)
                        runs[name]["served"].append(served)
                        runs[name]["mb"].append(kernel_mb(page_kernel(page)))
                        rt = (
                            baseline_round_trip(page)
                            if name == BASELINE
                            else module_round_trip(page)
                        )
                        if rt is not None:
                            runs[name]["check"].append(rt)
                        close(page)
            browser.close()
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    med = {
        nb: {k: (statistics.median(v) if v else None) for k, v in r.items()}
        for nb, r in runs.items()
    }
    base_m = med[BASELINE]
    rows = []
    for nb in notebooks:
        m = med[nb]
        rows.append(
            {
                "notebook": nb,
                "ready_s": m["ready"],
                "ready_x": m["ready"] / base_m["ready"],
                "served_s": m["served"],
                "check_s": m["check"],
                "check_x": m["check"] / base_m["check"] if m["check"] else None,
                "kernel_mb": max(runs[nb]["mb"]),
            }
        )
    return rows, {
        "ready_s": base_m["ready"],
        "served_s": base_m["served"],
        "check_s": base_m["check"],
        "kernel_mb": max(runs[BASELINE]["mb"]),
    }


def bench_content() -> dict[str, float]:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "allcourse", "validate"], cwd=ROOT, check=False, capture_output=True
    )
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

    # Building a 25-item self-check in the kernel (first-use costs such as imports aside).
    from allcourse.quiz import show_quiz

    pairs = [
        (f.stem, it) for f in sorted((ROOT / "quizzes").glob("*.yml")) for it in load_bank(f).items
    ][:25]
    show_quiz(items=pairs[:2])
    t0 = time.perf_counter()
    show_quiz(items=pairs, title="Timing")
    build_s = time.perf_counter() - t0
    return {
        "validate_all_content_s": validate_s,
        "score_per_item_us": per_item_us,
        "build_25_items_s": build_s,
    }


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main() -> int:
    sys.path.insert(0, str(Path(ROOT)))
    content = bench_content()
    rows, base = bench_pages()
    failed = False
    print(
        f"\nBaseline (one button, same server): served {base['served_s']:.2f} s, "
        f"interactive {base['ready_s']:.2f} s, "
        f"round trip {base['check_s'] * 1000:.0f} ms, kernel {base['kernel_mb']:.0f} MB\n"
    )
    head = (
        f"| {'module':30s} | served | interactive | x base | check | x base "
        "| kernel MB | within budget |"
    )
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for r in rows:
        ok = (
            r["ready_x"] <= READY_RATIO
            and (r["check_x"] is None or r["check_x"] <= CHECK_RATIO)
            and r["kernel_mb"] <= KERNEL_MB
        )
        failed |= not ok
        check_ms = None if r["check_s"] is None else r["check_s"] * 1000
        print(
            f"| {r['notebook']:30s} | {r['served_s']:4.2f} s | {r['ready_s']:9.2f} s "
            f"| {r['ready_x']:5.2f}x "
            f"| {_fmt(check_ms, '3.0f'):>3s} ms | {_fmt(r['check_x'], '5.2f'):>5s}x "
            f"| {r['kernel_mb']:9.0f} | {'yes' if ok else 'NO':13s} |"
        )
    print(
        f"\nBudgets: interactive <= {READY_RATIO}x baseline, check <= {CHECK_RATIO}x baseline, "
        f"kernel <= {KERNEL_MB:.0f} MB ({REPEATS} runs each, medians; memory: the largest)."
    )
    for name, budget in CONTENT.items():
        ok = content[name] <= budget
        failed |= not ok
        print(f"{'ok  ' if ok else 'OVER'} {name:24s} {content[name]:10.3f}   budget {budget}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
