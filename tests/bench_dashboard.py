"""`make bench` (part): the instructor dashboard on a class of 500 results files.

Writes 500 students' results files (the fixture generator's seeded model of a class,
every answer scored by the real scorer) into a temporary folder, then, in a fresh
Python process as an instructor's kernel would be, times:
- import: importing the analytics package (pandas, matplotlib);
- load: reading and re-scoring every file (`Dashboard()`);
- render: drawing every section of the dashboard notebook (tables and SVG charts).
Budget: load + render under 5 s of wall-clock time; the CPU time of the same work and
the whole cold process are printed too (on a shared, loaded machine the CPU time is the
steadier figure). Exits 1 when
over budget. A benchmark, not a timed test: a loaded machine must not fail the suite.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "tests" / "fixtures" / "exports" / "generator" / "make_exports.py"
STUDENTS = 500
BUDGET_S = 5.0  # load + render of 500 files

MEASURE = """
import json, sys, time
t0 = time.perf_counter()
from allcourse.analytics import Dashboard
t1 = time.perf_counter()
c1 = time.process_time()
d = Dashboard(sys.argv[1])
t2 = time.perf_counter()
html = [d.files(), d.student_summary(), d.completion(), d.moodle("start"), d.moodle("blood"),
        d.tests(), d.distractors("blood", min_share=20), d.steps()]
t3 = time.perf_counter()
c3 = time.process_time()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "render": t3 - t2, "cpu": c3 - c1,
                  "students": len(d.results.students), "files": len(d.results.files),
                  "answers": len(d.answers), "html_chars": sum(len(h.data) for h in html)}))
"""


def write_class(folder: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_exports", GENERATOR)
    gen = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(gen)
    from allcourse.app import progress as P
    from allcourse.app import results_io

    cat = P.catalogue()
    rng = random.Random(500)
    for n in range(STUDENTS):
        name = f"Student {n + 1:03d}"
        share = 1.0 if rng.random() < 0.8 else rng.uniform(0.2, 0.9)
        record = gen.student_record(name, rng.uniform(0.2, 0.95), rng, share)
        text = results_io.export_json(record, cat, "2026-03-06T17:00:00+00:00")
        (folder / results_io.results_filename(name, "json")).write_text(text, encoding="utf-8")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="allcourse-bench-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        write_class(folder)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"wrote {STUDENTS} results files ({size:.1f} MB) in {time.perf_counter() - t:.1f} s")
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, str(folder)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        cold = time.perf_counter() - start
    r = json.loads(out.stdout.strip().splitlines()[-1])
    work = r["load"] + r["render"]
    print(
        f"dashboard: {r['files']} files, {r['students']} students, {r['answers']} answers; "
        f"import {r['import']:.2f} s, load and re-score {r['load']:.2f} s, "
        f"render {r['render']:.2f} s ({r['html_chars'] / 1e3:.0f} k characters of HTML); "
        f"CPU time of load and render {r['cpu']:.2f} s; whole cold process {cold:.2f} s"
    )
    ok = work < BUDGET_S and r["files"] == STUDENTS
    load = os.getloadavg()[0]
    print(
        f"dashboard_load_and_render_s {work:.2f} (budget {BUDGET_S:.1f}) "
        f"{'ok' if ok else 'OVER'} (machine load average {load:.1f})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
