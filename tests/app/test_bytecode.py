"""The server writes the course package's bytecode, so kernels do not compile it from source."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from allcourse.app import server


def _package(tmp_path: Path) -> Path:
    pkg = tmp_path / "coursepkg"
    (pkg / "sub").mkdir(parents=True)
    for init in (pkg / "__init__.py", pkg / "sub" / "__init__.py"):
        init.write_text("", encoding="utf-8")
    (pkg / "sub" / "scenario.py").write_text("VALUE = 1\n", encoding="utf-8")
    return pkg


def _import_log(tmp_path: Path, module: str) -> str:
    """What `python -v` says while importing `module` where no import writes bytecode."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-v", "-c", f"import {module}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stderr


def test_a_kernel_importing_the_package_reads_bytecode_the_server_wrote(tmp_path):
    pkg = _package(tmp_path)
    source = pkg / "sub" / "scenario.py"
    before = _import_log(tmp_path, "coursepkg.sub.scenario")
    assert f"# code object from {source}" in before  # compiled from source, every time

    assert server.compile_course_bytecode(pkg) is True

    after = _import_log(tmp_path, "coursepkg.sub.scenario")
    assert "__pycache__/scenario.cpython-" in after
    assert f"# code object from {source}\n" not in after


def test_a_module_that_does_not_compile_is_left_to_the_import_quietly(tmp_path, capsys):
    pkg = _package(tmp_path)
    (pkg / "broken.py").write_text("def (:\n", encoding="utf-8")

    assert server.compile_course_bytecode(pkg) is False
    assert capsys.readouterr() == ("", "")
    assert "__pycache__/scenario.cpython-" in _import_log(tmp_path, "coursepkg.sub.scenario")
