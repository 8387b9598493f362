"""`make load`: a class of students on one course server, measured.

N simulated students (default 30) arrive within the same second, open a module, answer
items and move on to the next module, against one server on loopback. Each student is a
protocol-level client that does what a course page does: it requests the page (Voila runs
the notebook), opens the kernel's websocket, asks for every widget's state (the moment the
page can draw its widgets: "interactive"), sets an answer and presses "Check answer" by
widget messages (the kernel grades it), then leaves the page with Voila's shutdown request
(as the browser's beacon does). No browser: 30 Chromium tabs on 2 cores would measure the
browser, not the server.

Reports time to interactive and check round trip (p50, p95), errors (must be 0), the peak
memory of the server and its kernels, and whether the kernels return to the idle count.
Bounded: every wait has a timeout, and the whole run stops after `--deadline` seconds.

    python tests/browser/load.py --students 30 [--module blood] [--modules 2] [--checks 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, start_voila, stop  # noqa: E402

sys.path.insert(0, str(ROOT))
from allcourse.course.course_map import course  # noqa: E402

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]+)"')
VERDICT = re.compile(r"correct", re.I)  # the verdict: "Correct", "Not correct", "Partly correct"
TIMEOUT_S = 120
MAX_NEXT = 10  # questions a student goes forward through, looking for single-choice ones


@dataclass
class Student:
    n: int
    base: str
    rng: random.Random
    cookies: dict[str, str] = field(default_factory=dict)
    ready_s: list[float] = field(default_factory=list)
    check_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)  # Check buttons pressed on this page

    # --- HTTP, with the cookies a browser would keep ----------------------------------------
    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _keep_cookies(self, response) -> None:
        for header in response.headers.get_list("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    async def _fetch(self, url: str, headers: dict | None = None, **kwargs):
        headers = {**self._cookie_header(), **(headers or {})}
        request = HTTPRequest(url, headers=headers, request_timeout=TIMEOUT_S, **kwargs)
        response = await AsyncHTTPClient().fetch(request, raise_error=False)
        self._keep_cookies(response)
        if response.code >= 400:
            raise RuntimeError(f"{response.code} for {url}")
        return response

    # --- one page ------------------------------------------------------------------------
    async def visit(self, notebook: str, checks: int) -> None:
        t0 = time.perf_counter()
        page = await self._fetch(self.base + "voila/render/" + notebook)
        match = KERNEL_ID.search(page.body.decode("utf-8", "replace"))
        if not match:
            raise RuntimeError(f"no kernel id in {notebook}")
        kernel_id = match.group(1)
        session = uuid.uuid4().hex
        ws_url = (
            self.base.replace("http", "ws", 1)
            + f"api/kernels/{kernel_id}/channels?"
            + urlencode({"session_id": session})
        )
        ws = await websocket_connect(
            HTTPRequest(ws_url, headers=self._cookie_header(), request_timeout=TIMEOUT_S)
        )
        try:
            states = await self._request_states(ws, session)
            self.ready_s.append(time.perf_counter() - t0)
            done = 0
            # A self-check shows one question at a time: check the single-choice ones,
            # going on with "Next question" as a student does.
            for _ in range(checks + MAX_NEXT):
                for radio, button in _check_targets(states):
                    if done < checks and button not in self.checked:
                        await asyncio.sleep(self.rng.uniform(0.5, 2.0))  # reading it
                        await self._check(ws, session, radio, button)
                        self.checked.add(button)
                        done += 1
                following = _button(states, "Next question")
                if done >= checks or following is None:
                    break
                await self._next_question(ws, session, following, states)
        finally:
            ws.close()
        await self._leave(kernel_id)

    async def _send(
        self, ws, session: str, msg_type: str, content: dict, metadata: dict | None = None
    ) -> None:
        header = {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": session,
            "username": "",
            "date": "",
            "version": "5.3",
        }
        msg = {
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
        await ws.write_message(json.dumps(msg))

    async def _until(self, ws, wanted) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(ws.read_message(), deadline - time.monotonic())
            if raw is None:
                raise RuntimeError("the kernel's websocket closed")
            msg = json.loads(raw)
            if wanted(msg):
                return msg
        raise TimeoutError("no answer from the kernel")

    async def _request_states(self, ws, session: str) -> dict:
        """What the widget manager does on page load (ipywidgets 8's control comm)."""
        comm_id = uuid.uuid4().hex
        await self._send(
            ws,
            session,
            "comm_open",
            {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
            {"version": "1.0.0"},  # ipywidgets' control protocol
        )
        await self._send(
            ws, session, "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}
        )
        msg = await self._until(
            ws,
            lambda m: (
                m.get("msg_type", m["header"]["msg_type"]) == "comm_msg"
                and m["content"].get("data", {}).get("method") == "update_states"
            ),
        )
        return msg["content"]["data"]["states"]

    async def _next_question(self, ws, session: str, button: str, states: dict) -> None:
        """Press "Next question" and add the widgets of the question it shows to `states`
        (the kernel opens a model for each, the card's own last)."""
        await self._send(
            ws,
            session,
            "comm_msg",
            {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}},
        )

        def opened(m: dict) -> bool:
            if m["header"]["msg_type"] != "comm_open":
                return False
            state = m["content"].get("data", {}).get("state", {})
            model = {"model_name": state.get("_model_name"), "state": state}
            states[m["content"]["comm_id"]] = model
            return "allcourse-item" in state.get("_dom_classes", [])

        await self._until(ws, opened)

    async def _check(self, ws, session: str, radio: tuple[str, int], button: str) -> None:
        model_id, options = radio
        index = self.rng.randrange(options)
        await self._send(
            ws,
            session,
            "comm_msg",
            {
                "comm_id": model_id,
                "data": {"method": "update", "state": {"index": index}, "buffer_paths": []},
            },
        )
        t0 = time.perf_counter()
        await self._send(
            ws,
            session,
            "comm_msg",
            {
                "comm_id": button,
                # No snapshot: the kernel grades the value the update above set.
                "data": {"method": "custom", "content": {"event": "click", "snapshot": {}}},
            },
        )
        await self._until(
            ws,
            lambda m: (
                m["header"]["msg_type"] == "comm_msg"
                and VERDICT.search(json.dumps(m["content"].get("data", {}).get("state", {})))
            ),
        )
        self.check_s.append(time.perf_counter() - t0)

    async def _leave(self, kernel_id: str) -> None:
        """Voila's beforeunload beacon: POST the kernel id with the _xsrf token."""
        body = urlencode({"_xsrf": self.cookies.get("_xsrf", "")})
        await self._fetch(
            self.base + f"voila/api/shutdown/{kernel_id}",
            method="POST",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


def _button(states: dict, label: str) -> str | None:
    """The model id of the button that says `label`, if the page has one."""
    for model_id, entry in states.items():
        state = entry.get("state", {})
        if entry.get("model_name") == "ButtonModel" and state.get("description") == label:
            return model_id
    return None


def _check_targets(states: dict) -> list[tuple[tuple[str, int], str]]:
    """(radio model id, number of options), Check button id for each single-choice item."""

    def kids(model_id: str) -> list[str]:
        state = states.get(model_id, {}).get("state", {})
        return [c.removeprefix("IPY_MODEL_") for c in state.get("children", [])]

    def descendants(model_id: str) -> list[str]:
        out = []
        for child in kids(model_id):
            out += [child, *descendants(child)]
        return out

    targets = []
    for model_id, entry in states.items():
        state = entry.get("state", {})
        if "allcourse-item" not in state.get("_dom_classes", []):
            continue
        radio = button = None
        for d in descendants(model_id):
            s = states.get(d, {})
            if s.get("model_name") == "RadioButtonsModel" and radio is None:
                radio = (d, len(s["state"].get("_options_labels", [])))
            label = s.get("state", {}).get("description", "")
            # An ipywidgets Button, or the course's check button (an anywidget).
            if s.get("model_name") in ("ButtonModel", "AnyModel") and label.startswith("Check"):
                button = d
        if radio and radio[1] and button:
            targets.append((radio, button))
    return targets


# --- the server's side ---------------------------------------------------------------------


def kernel_processes(server_pid: int) -> list[tuple[int, float]]:
    """(pid, resident MB) of each kernel the server started."""
    out = subprocess.run(
        ["ps", "--ppid", str(server_pid), "-o", "pid=,rss=,args="], capture_output=True, text=True
    ).stdout
    return [
        (int(line.split()[0]), int(line.split()[1]) / 1024)
        for line in out.splitlines()
        if "ipykernel" in line
    ]


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) process `pid` has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    out = subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True)
    return int(out.stdout.strip() or 0) / 1024


async def sample_memory(server_pid: int, peak: dict, stop_event: asyncio.Event) -> None:
    while not stop_event.is_set():
        kernels = kernel_processes(server_pid)
        total = rss_mb(server_pid) + sum(mb for _, mb in kernels)
        peak["mb"] = max(peak.get("mb", 0.0), total)
        peak["kernels"] = max(peak.get("kernels", 0), len(kernels))
        await asyncio.sleep(0.5)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run_class(base: str, server_pid: int, args) -> dict:
    AsyncHTTPClient.configure(None, max_clients=max(10, args.students * 2))
    route = [m.notebook for m in route_modules(args)]
    idle = len(kernel_processes(server_pid))
    peak: dict = {}
    stop_event = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(server_pid, peak, stop_event))
    students = [Student(n, base, random.Random(n)) for n in range(args.students)]

    async def one(student: Student) -> None:
        await asyncio.sleep(student.rng.uniform(0, 1.0))  # all within the same second
        for notebook in route:
            try:
                await student.visit(notebook, args.checks)
            except Exception as exc:  # a failure is counted and reported, not raised
                student.errors.append(f"{notebook}: {type(exc).__name__}: {exc}")

    t0 = time.perf_counter()
    cpu0 = {"client": time.process_time(), "server": cpu_s(server_pid)}
    await asyncio.wait_for(asyncio.gather(*(one(s) for s in students)), args.deadline)
    wall = time.perf_counter() - t0
    cpu = {
        "client": time.process_time() - cpu0["client"],
        "server": cpu_s(server_pid) - cpu0["server"],
    }
    # Kernels go back to the idle count (or the refilled pool) once every student has left.
    deadline = time.monotonic() + 60
    while len(kernel_processes(server_pid)) > idle and time.monotonic() < deadline:
        await asyncio.sleep(1)
    stop_event.set()
    await sampler
    ready = [x for s in students for x in s.ready_s]
    first = [s.ready_s[0] for s in students if s.ready_s]
    later = [x for s in students for x in s.ready_s[1:]]
    checks = [x for s in students for x in s.check_s]
    return {
        "students": args.students,
        "route": route,
        "wall_s": wall,
        "ready_p50": pct(ready, 0.5),
        "ready_p95": pct(ready, 0.95),
        "first_p50": pct(first, 0.5),
        "first_p95": pct(first, 0.95),
        "later_p50": pct(later, 0.5),
        "later_p95": pct(later, 0.95),
        "check_p50": pct(checks, 0.5),
        "check_p95": pct(checks, 0.95),
        "checks": len(checks),
        "errors": [e for s in students for e in s.errors],
        "peak_mb": peak.get("mb", float("nan")),
        "peak_kernels": peak.get("kernels", 0),
        "idle_kernels": idle,
        "kernels_after": len(kernel_processes(server_pid)),
        "cpu_client_s": cpu["client"],
        "cpu_server_s": cpu["server"],
    }


def report(r: dict) -> None:
    print(f"\n{r['students']} students, route {' -> '.join(r['route'])} ({r['wall_s']:.1f} s)")
    print(f"  {'measure (seconds)':38s} {'p50':>8s} {'p95':>8s}")
    row = "  {:38s} {:8.2f} {:8.2f}"
    print(row.format("interactive, the page opened together", r["first_p50"], r["first_p95"]))
    print(row.format("interactive, the pages after it", r["later_p50"], r["later_p95"]))
    print(row.format("check round trip", r["check_p50"], r["check_p95"]))
    print(f"  checks graded: {r['checks']}   errors: {len(r['errors'])}")
    for e in r["errors"][:10]:
        print(f"    {e}")
    print(
        f"  peak memory: {r['peak_mb']:.0f} MB in {r['peak_kernels']} kernels + server;"
        f" kernels idle before: {r['idle_kernels']}, after: {r['kernels_after']}"
    )
    print(
        f"  CPU during the class ({os.cpu_count()} cores, {r['wall_s']:.1f} s): server "
        f"{r['cpu_server_s']:.1f} s, the simulated students' client {r['cpu_client_s']:.1f} s"
        " (it runs on the same machine)"
    )


def route_modules(args) -> list:
    """The modules each student visits, in order: `--modules` modules with a self-check
    from `--module`."""
    modules = [m for m in course().modules if m.bank]
    start = next((i for i, m in enumerate(modules) if m.id == args.module), 0)
    return [modules[(start + k) % len(modules)] for k in range(args.modules)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--module", default="blood", help="course.yml id of the first module")
    parser.add_argument("--modules", type=int, default=2, help="modules each student visits")
    parser.add_argument("--checks", type=int, default=2, help="items checked per module")
    parser.add_argument("--deadline", type=float, default=600, help="stop the run after (s)")
    parser.add_argument(
        "--no-preheat",
        action="store_true",
        help="no kernels waiting (default: as `make app CLASS_SIZE=students "
        "CLASS_MODULE=<the route's modules>`)",
    )
    parser.add_argument("server_args", nargs="*", help="extra server options, after --")
    args = parser.parse_args(argv)
    preheat = (
        []
        if args.no_preheat
        else [
            f"--CourseVoila.class_size={args.students}",
            # every module of the route: the class moves on together
            "--CourseVoila.class_module=" + ",".join(m.id for m in route_modules(args)),
        ]
    )
    proc, base, log = start_voila(*preheat, *args.server_args)
    try:
        # The class arrives once every page's pool is filled: "filled" is logged when its
        # last kernel has run the notebook (the server's pools run them one at a time).
        if preheat:
            pages = len(list((ROOT / "notebooks").glob("*.ipynb")))
            deadline = time.monotonic() + args.deadline
            while time.monotonic() < deadline and log.read_text().count("Kernel pool of") < pages:
                time.sleep(1)
        result = asyncio.run(run_class(base, proc.pid, args))
    finally:
        stop(proc)
    report(result)
    return 1 if result["errors"] or result["kernels_after"] > result["idle_kernels"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
