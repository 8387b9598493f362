"""Serve the course: Voila over notebooks/ with the course template and configuration.

`python -m allcourse.app.server [--port N] [--theme dark]` (what `make app` runs).
Differences from plain `voila notebooks/`: `/` and the file tree redirect to the home
notebook, and the template and config are the repo's own (assets/voila/).
"""

from __future__ import annotations

import os
import sys

from jupyter_server.utils import url_path_join
from tornado.web import RedirectHandler
from traitlets import default
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from allcourse.course import paths
from allcourse.course.course_map import course

CONFIG_DIR = paths.ASSETS / "voila"


class CoursePageHandler(TornadoVoilaHandler):
    """Voila's page handler, plus the `_xsrf` cookie.

    When a student leaves a page, Voila's own script posts the page's kernel id to
    `/voila/api/shutdown/<id>` with the `_xsrf` cookie's value, but the page handler never
    sets that cookie, so the request is refused (403) and the kernel (~70 MB) lives on
    until the idle cull. Reading `xsrf_token` sets the cookie, so the shutdown succeeds.
    """

    async def prepare(self, *args, **kwargs):
        await super().prepare(*args, **kwargs)
        self.xsrf_token  # noqa: B018 (the property sets the cookie)


class CourseVoila(Voila):
    """Voila with a landing page: students never see a file listing."""

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
        handlers = [
            (spec[0], CoursePageHandler, *spec[2:]) if spec[1] is TornadoVoilaHandler else spec
            for spec in super().init_handlers()
        ]
        return redirects + handlers


def main(argv: list[str] | None = None) -> None:
    # Templates are looked up in the Jupyter data path; the course's live in assets/.
    jupyter_path = os.environ.get("JUPYTER_PATH", "")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(paths.ASSETS), jupyter_path) if p)
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(not a.startswith("-") for a in argv):
        argv.append(str(paths.NOTEBOOKS))
    CourseVoila.launch_instance(argv=argv)


if __name__ == "__main__":
    main()
