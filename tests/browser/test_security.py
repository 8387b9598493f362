"""Security of the served course, tried as a curious student would (issue 17, part 6).

Against the session's real Voila server: a page's kernel websocket runs no code sent to
it; `/voila/files/` and `/voila/render/` give out no bank, course map, Python file or
instructor material, however the path is written; a failing cell shows no traceback;
text a student types comes back as text, never as markup. The `?template=`/`?theme=`
overrides are checked in test_server_config.py, and keys in every bank before a check
in test_key_leak.py.
"""

from __future__ import annotations

import http.client
import json
import uuid
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from conftest_helpers import go_to_question
from harness import ROOT, start_voila, stop

from allcourse.course.course_map import course

pytestmark = pytest.mark.browser


# --- the kernel websocket runs nothing -------------------------------------------------

SEND = """
async ({kernelId, code}) => {
  const url = location.origin.replace(/^http/, "ws") +
    `/api/kernels/${kernelId}/channels?session_id=curious-student`;
  const ws = new WebSocket(url);
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail("no socket"); });
  const replies = [];
  ws.onmessage = (e) => {
    if (typeof e.data !== "string") return;
    const m = JSON.parse(e.data);
    replies.push([m.header.msg_type, (m.parent_header || {}).msg_id || ""]);
  };
  const send = (type, content, id) => ws.send(JSON.stringify({
    header: {msg_id: id, username: "student", session: "curious-student", msg_type: type,
             version: "5.3", date: new Date().toISOString()},
    parent_header: {}, metadata: {}, content, channel: "shell", buffers: [],
  }));
  const run = {code, silent: false, store_history: true, user_expressions: {x: code},
               allow_stdin: false, stop_on_error: true};
  send("execute_request", run, "exec-1");
  send("inspect_request", {code: "open", cursor_pos: 4, detail_level: 1}, "inspect-1");
  send("complete_request", {code: "import allcourse.quiz.bank as b; b.", cursor_pos: 30},
       "complete-1");
  send("kernel_info_request", {}, "info-1");  // allowed: proves the socket is heard
  await new Promise((done) => setTimeout(done, 4000));
  ws.close();
  return replies;
}
"""


def test_code_sent_over_a_pages_kernel_websocket_runs_nothing(open_page, tmp_path):
    cp = open_page(next(m.notebook for m in course().modules if m.bank == "tour.yml"))
    kernel_id = json.loads(cp.page.locator("#jupyter-config-data").text_content())["kernelId"]
    marker = tmp_path / f"ran-{uuid.uuid4().hex}"
    code = f"open({str(marker)!r}, 'w').write('the kernel ran student code')"
    replies = cp.page.evaluate(SEND, {"kernelId": kernel_id, "code": code})
    answered = {parent for _, parent in replies}
    assert "info-1" in answered, f"the websocket was not heard at all: {replies}"
    for refused in ("exec-1", "inspect-1", "complete-1"):
        assert refused not in answered, f"{refused} got a reply: {replies}"
    assert not marker.exists(), "code sent by the browser was executed"


# --- files: banks, the course map, Python and instructor material stay on the server ---


def _get(base: str, path: str, hops: int = 3) -> tuple[int, bytes]:
    """GET `path` exactly as written (no normalising), following redirects."""
    url = urlparse(base)
    for _ in range(hops + 1):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        location = response.getheader("Location")
        if response.status in (301, 302, 303, 307, 308) and location:
            path = urlparse(location).path or "/"
            continue
        return response.status, body
    return response.status, body


def _ways_to_reach(relative: str) -> list[str]:
    """Paths a student could try for a repository file outside notebooks/."""
    encoded = quote(relative, safe="")
    absolute = str(ROOT / relative)
    return [
        f"/voila/files/../{relative}",
        f"/voila/files/%2e%2e/{relative}",
        f"/voila/files/..%2f{encoded}",
        f"/voila/files/%2e%2e%2f{encoded}",
        f"/voila/files/{absolute}",
        f"/voila/files/{quote(absolute, safe='')}",
        f"/voila/files/....//{relative}",
        f"/voila/render/../{relative}",
        f"/voila/render/%2e%2e/{relative}",
        f"/voila/render/..%2f{encoded}",
        f"/voila/static/../../{relative}",
        f"/voila/templates/allcourse/static/../../../../../{relative}",
        f"/files/../{relative}",
        f"/api/contents/../{relative}",
    ]


def _protected() -> list[tuple[str, str]]:
    """(file, a line of its content) for every file that must never be served: each bank
    the course map names, the map itself, the package's Python, everything in instructor/."""
    files = ["course.yml"]
    files += [f"quizzes/{m.bank}" for m in course().modules if m.bank]
    files += ["allcourse/quiz/scoring.py", "allcourse/app/server.py", "allcourse/__init__.py"]
    files += sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "instructor").rglob("*") if p.is_file()
    )
    out = []
    for name in files:
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        line = max(text.splitlines(), key=len).strip()  # its longest line: unmistakable
        out.append((name, line))
    return out


@pytest.mark.parametrize(("name", "line"), _protected(), ids=[n for n, _ in _protected()])
def test_no_bank_map_python_or_instructor_file_is_served(voila_server, name, line):
    assert line
    for path in _ways_to_reach(name):
        status, body = _get(voila_server, path)
        text = body.decode("utf-8", "replace")
        assert line[:60] not in text and line[:60] not in json.dumps(text), (
            f"{path} gave out {name} (HTTP {status})"
        )
        assert status >= 400, f"{path}: HTTP {status}"


def test_files_serves_pictures_only_from_the_notebooks_folder(voila_server):
    # The positive control: the same handler does serve an allowed file.
    pictures = sorted(p for p in (ROOT / "notebooks").rglob("*") if p.suffix in (".png", ".svg"))
    if pictures:
        rel = pictures[0].relative_to(ROOT / "notebooks")
        assert _get(voila_server, f"/voila/files/{quote(str(rel))}")[0] == 200
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb"))[:2]:
        status, body = _get(voila_server, f"/voila/files/{notebook.name}")
        assert status == 403 and b'"cells"' not in body, f"{notebook.name} source served"


def test_instructor_notebooks_cannot_be_rendered(voila_server):
    for notebook in sorted((ROOT / "instructor").rglob("*.ipynb")):
        rel = str(notebook.relative_to(ROOT))
        source = json.loads(notebook.read_text(encoding="utf-8"))
        title = "".join(source["cells"][0]["source"]).splitlines()[0].lstrip("# ").strip()
        for path in (
            f"/voila/render/../{rel}",
            f"/voila/render/%2e%2e/{quote(rel)}",
            f"/voila/render/..%2f{quote(rel, safe='')}",
            f"/voila/render/{ROOT / rel}",
            f"/voila/render//{ROOT / rel}",
            f"/voila/tree/../{Path(rel).parent}",
        ):
            status, body = _get(voila_server, path)
            assert title.encode() not in body, f"{path} rendered {rel} (HTTP {status})"
            assert b"allcourse.analytics" not in body


# --- a failing cell shows no traceback ---------------------------------------------------

FAILING = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                "answer_key = 'KEY-6f1c-in-the-traceback'\n",
                "raise RuntimeError(f'grading failed near {answer_key}')\n",
            ],
        },
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_a_failing_cell_shows_no_traceback_source_or_secret(browser, tmp_path):
    # The course's configuration on a folder holding one failing notebook: no notebook of
    # the course fails on purpose, and none may be added to the folder students see.
    folder = tmp_path / "served"
    folder.mkdir()
    (folder / "fails.ipynb").write_text(json.dumps(FAILING), encoding="utf-8")
    proc, base, _ = start_voila(str(folder))
    try:
        page = browser.new_context().new_page()
        page.goto(base + "voila/render/fails.ipynb")
        page.wait_for_selector("#loading", state="detached", timeout=90_000)
        # The student is told that something went wrong, and nothing more.
        page.get_by_text("There was an error when executing cell").wait_for()
        shown = page.content()
        for leak in ("Traceback", "RuntimeError", "KEY-6f1c", "grading failed", "answer_key"):
            assert leak not in shown, f"{leak!r} shown to the student"
        page.context.close()
    finally:
        stop(proc)


# --- what a student types comes back as text ---------------------------------------------

TYPED = (
    '<img src=x onerror="window.__typed=1"><b id="typed-bold">bold</b>'
    "<script>window.__typed=2</script>{{7*7}} ${7*7}"
)


def test_text_a_student_types_is_shown_back_escaped(open_page):
    cp = open_page(next(m.notebook for m in course().modules if m.bank == "tour.yml"))
    page = cp.page
    page.wait_for_selector(".allcourse-quiz .allcourse-item", timeout=60_000)
    card = go_to_question(page, "tour", "chromosomes 9 and 22 swap")
    box = card.get_by_label("Your answer")
    box.fill(TYPED)
    box.press("Tab")  # the text box syncs on change
    card.get_by_role("button", name="Check answer").click()
    feedback = card.locator(".allcourse-feedback")
    feedback.wait_for()
    assert TYPED in " ".join(feedback.inner_text().split())  # shown as the student typed it
    assert feedback.locator("img, script, #typed-bold").count() == 0
    assert page.evaluate("() => window.__typed") is None
    assert "49" not in feedback.inner_text()  # no template expression was evaluated
