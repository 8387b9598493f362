"""Serve the course: Voila over notebooks/ with the course template and configuration.

`python -m allcourse.app.server [--port N] [--theme dark]` (what `make app` runs).
Differences from plain `voila notebooks/`: `/` and the file tree redirect to the home
notebook, and the template and config are the repo's own (assets/voila/).
"""

from __future__ import annotations

import asyncio
import compileall
import os
import secrets
import sys
import weakref
from pathlib import Path

import jinja2
import voila.app as voila_app
from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.utils import url_path_join
from tornado.web import RedirectHandler, authenticated
from traitlets import Int, Unicode, default
from voila.app import Voila
from voila.exporter import VoilaExporter
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

from allcourse.course import paths
from allcourse.course.course_map import Course, course
from allcourse.quiz import events

CONFIG_DIR = paths.ASSETS / "voila"
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # allcourse/


def pools_for(course: Course, class_size: int, class_module: str, others: int) -> dict:
    """Voila's `kernel_pools_config`: {notebook file: {"pool_size": n}}, plus "default".

    `class_size` kernels for the notebook of each module in `class_module` (course.yml ids,
    comma-separated, e.g. "blood,diagnosis" for a class that does both; "" means the first
    module), `others` for every other module's notebook. Raises KeyError for an unknown
    module id.
    """
    ids = [m.strip() for m in class_module.split(",") if m.strip()]
    targets = {course.module(i).id for i in ids} if ids else {course.modules[0].id}
    pools = {"default": {"pool_size": max(others, 0)}}
    for module in course.modules:
        size = class_size if module.id in targets else others
        pools[module.notebook] = {"pool_size": max(size, 0)}
    return pools


def pools_filled_one_at_a_time(base_class, preheat_kernel: bool, *args, **kwargs):
    """Voila's kernel manager class, whose pooled kernels start and run their notebook one
    at a time.

    Voila fills every pool at once when the server starts and refills a pool as soon as
    kernels are taken: with 30 students, 30 kernels started together and the class's pages
    and checks waited behind them (make load: checks p50 5 s); with pools for 60 students
    (128 kernels) the server was still running their notebooks, 128 at once, when the
    class came (first page 48 s), and nbclient timed out waiting for their output. One at a
    time, a refill uses one core and leaves the rest to the class. "One" covers running
    the notebook as well as starting the kernel (Voila runs it in a task of its own). Pool
    entries are taken oldest first and the lock is first come, first served, so a student
    who takes a kernel that is still starting waits for that kernel only."""
    manager_class = voila_kernel_manager_factory(base_class, preheat_kernel, *args, **kwargs)
    if not preheat_kernel:
        return manager_class

    class OneAtATime(manager_class):
        def __init__(self, **kw):
            self._one_at_a_time = asyncio.Lock()  # before Voila's __init__ fills the pools
            super().__init__(**kw)

        async def _initialize(self, *a, **kw):
            async with self._one_at_a_time:
                pooled = await super()._initialize(*a, **kw)
                # Its outcome (and any error) is Voila's to handle when a page takes it.
                await asyncio.wait({pooled["task"]})
                return pooled

    return OneAtATime


class CoursePageHandler(TornadoVoilaHandler):
    """Voila's page handler, plus the `_xsrf` cookie and the student's shuffle seed.

    When a student leaves a page, Voila's own script posts the page's kernel id to
    `/voila/api/shutdown/<id>` with the `_xsrf` cookie's value, but the page handler never
    sets that cookie, so the request is refused (403) and the kernel (~70 MB) lives on
    until the idle cull. Reading `xsrf_token` sets the cookie, so the shutdown succeeds.

    The seed (see `allcourse.quiz.events`) comes from its cookie, or is drawn and set on a
    first visit, and goes to the page's kernel as the only request header Voila passes
    on (`events.SEED_HEADER`), so the page is built with its options in the student's
    order.
    """

    async def prepare(self, *args, **kwargs):
        await super().prepare(*args, **kwargs)
        self.xsrf_token  # noqa: B018 (the property sets the cookie)
        seed = events.parse_seed(self.get_cookie(events.SEED_COOKIE))
        if seed is None:
            seed = secrets.randbelow(events.MAX_SEED) + 1
            self.set_cookie(
                events.SEED_COOKIE, str(seed), expires_days=365, samesite="Lax", path="/"
            )
        self.request.headers[events.SEED_HEADER] = str(seed)  # replaces any sent by the client


class PromptKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """The page's kernel websocket, with Nagle's algorithm off (TCP_NODELAY).

    Tornado leaves it on, so a small message written right after another waits until the
    browser acknowledges the first, and the browser delays its acknowledgement (about
    40 ms on Linux). A check sends a few small messages one after another (the progress
    write and the verdict among them): half of the checks took 50 ms instead of 12
    (measured in a real Chromium, same page, same answer).
    Tornado's `set_nodelay` documents this trade: a few more packets for no delay."""

    async def open(self, kernel_id):  # type: ignore[override]
        self.set_nodelay(True)
        await super().open(kernel_id)


LEAVE_GRACE_S = 1.5  # the page being left is gone by then (see LeaveShutdownHandler)
_leaving: set[asyncio.Task] = set()  # shutdowns scheduled, kept referenced until done
_shutdown_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # one per event loop


async def shut_down_left_kernel(manager, kernel_id: str, grace_s: float = LEAVE_GRACE_S) -> None:
    """Stop the kernel of a page the student left, `grace_s` seconds later, one kernel at a
    time (first asked, first stopped). A kernel already gone is left alone.

    A class moves on together: 30 pages left within a second stopped 30 kernels at once,
    and every check made meanwhile waited about 2 s for them (make load, 30 students: check
    p95 2.1 s; stopped one at a time: 0.13 s; with no kernel stopped at all: 0.15 s)."""
    await asyncio.sleep(grace_s)
    loop = asyncio.get_running_loop()
    lock = _shutdown_locks.setdefault(loop, asyncio.Lock())
    async with lock:
        if kernel_id in manager:
            await ensure_async(manager.shutdown_kernel(kernel_id))


class LeaveShutdownHandler(VoilaShutdownKernelHandler):
    """Stops the kernel of a page the student left, a moment later (`shut_down_left_kernel`).

    The page asks on `beforeunload`, while the old page is still drawing: stopping its kernel
    at once makes its unfinished widgets fail in the console while the next page loads.
    """

    @authenticated
    async def post(self, kernel_id):
        task = asyncio.ensure_future(shut_down_left_kernel(self.kernel_manager, kernel_id))
        _leaving.add(task)
        task.add_done_callback(_leaving.discard)
        self.set_status(204)
        self.finish()


class TemplateBytecodeCache(jinja2.BytecodeCache):
    """Compiled page templates, kept in memory for the server's life.

    Voila makes a new exporter, with a new Jinja environment, for every page request, so
    each request compiled the same templates again: about half a second of the server's
    one thread per page (measured with cProfile), which a class opening a module together
    waits on in turn. Jinja stores each template's source checksum with its code and
    compiles an edited template again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = TemplateBytecodeCache()


def cache_compiled_templates() -> None:
    """Make every Voila exporter's Jinja environment use `TEMPLATE_CACHE` (idempotent)."""
    create = VoilaExporter._create_environment
    if getattr(create, "uses_template_cache", False):
        return

    def create_environment(self):
        environment = create(self)
        environment.bytecode_cache = TEMPLATE_CACHE
        return environment

    create_environment.uses_template_cache = True
    VoilaExporter._create_environment = create_environment


class CourseVoila(Voila):
    """Voila with a landing page (students never see a file listing) and, for a class,
    preheated kernels sized from the course map.

    A page's kernel costs over a second of CPU to start and run its notebook, so a class
    that opens a module together waits for each other's kernels. Voila can keep kernels
    that have already run a notebook ready in a pool per notebook (and its idle cull
    leaves pooled kernels alone); `pools_for` sizes the pools."""

    class_size = Int(
        0,
        config=True,
        help="Students who will open `class_module` together: that many preheated kernels "
        "wait for its page (0: no preheating).",
    )
    class_module = Unicode(
        "",
        config=True,
        help="course.yml id of the module the class opens, or several, comma-separated "
        "(default: the first).",
    )

    class_pool_others = Int(
        1, config=True, help="Preheated kernels for every other page when class_size > 0."
    )

    def init_settings(self):
        cache_compiled_templates()
        self.voila_configuration.http_header_envs = [events.SEED_HEADER]
        if self.class_size > 0:
            self.voila_configuration.preheat_kernel = True
            try:
                pools = pools_for(
                    course(), self.class_size, self.class_module, self.class_pool_others
                )
            except KeyError:
                ids = ", ".join(m.id for m in course().modules)
                raise SystemExit(
                    f"class_module {self.class_module!r} is not a module in course.yml ({ids})"
                ) from None
            self.config.VoilaKernelManager.kernel_pools_config = pools
            # The manager fills its pools as it is made: its class must already wait its turn.
            voila_app.voila_kernel_manager_factory = pools_filled_one_at_a_time
        settings = super().init_settings()
        if self.class_size > 0:
            self._touch_kernels_taken_from_the_pool()
        return settings

    def _touch_kernels_taken_from_the_pool(self) -> None:
        """A pooled kernel can wait longer than the idle-cull timeout. When a page takes it,
        the cull would see a long-idle kernel with no connection (the browser has not
        connected yet) and stop it under the student: so it counts as active from then."""
        manager = self.kernel_manager
        take = manager.get_rendered_notebook

        async def take_and_touch(*args, **kwargs):
            render_task, rendered, kernel_id = await take(*args, **kwargs)
            manager.get_kernel(kernel_id).last_activity = utcnow()
            return render_task, rendered, kernel_id

        manager.get_rendered_notebook = take_and_touch

    @default("config_file_paths")
    def _config_file_paths_default(self) -> list[str]:
        return [str(CONFIG_DIR)]

    @default("root_dir")
    def _default_root_dir(self) -> str:
        return str(paths.NOTEBOOKS)

    def init_handlers(self) -> list:
        home = url_path_join(self.server_url, "voila/render", course().modules[0].notebook)
        redirects = [
            (self.server_url, RedirectHandler, {"url": home}),
            (url_path_join(self.server_url, r"/voila/tree(/.*)?"), RedirectHandler, {"url": home}),
        ]
        ours = {
            TornadoVoilaHandler: CoursePageHandler,
            VoilaShutdownKernelHandler: LeaveShutdownHandler,
            VoilaKernelWebsocketHandler: PromptKernelWebsocketHandler,
        }
        handlers = [
            (spec[0], ours.get(spec[1], spec[1]), *spec[2:]) for spec in super().init_handlers()
        ]
        return redirects + handlers


def compile_course_bytecode(package: Path = PACKAGE_DIR) -> bool:
    """Write the bytecode of every module of `package` (default: `allcourse`) that is
    missing or older than its source, in its __pycache__; True when all compiled.

    Every page's kernel imports the course package. Installed editable (`pip install -e`),
    it gets no bytecode from the installer, and where PYTHONDONTWRITEBYTECODE is set (this
    machine's CI) no import ever writes any: each kernel compiled the 43 modules a module
    page imports from source, 40-60 ms of every page's notebook run (measured with nbclient
    on 00, 03, 05 and 07). `py_compile` writes regardless of that setting. A copy that
    cannot be written (read-only) is served as before: nothing is printed, nothing fails."""
    return bool(compileall.compile_dir(package, quiet=2))


def main(argv: list[str] | None = None) -> None:
    compile_course_bytecode()
    # Templates are looked up in the Jupyter data path; the course's live in assets/.
    jupyter_path = os.environ.get("JUPYTER_PATH", "")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(paths.ASSETS), jupyter_path) if p)
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(not a.startswith("-") for a in argv):
        argv.append(str(paths.NOTEBOOKS))
    CourseVoila.launch_instance(argv=argv)


if __name__ == "__main__":
    main()
