"""The package's imports follow its layers and form no cycle (see allcourse/__init__.py).

Every `import` in every module counts, including those inside functions and under
`if TYPE_CHECKING:`: a lower layer that reaches up, even lazily, is still coupled to it.
The checker is run on the real package and on small packages built here with a
deliberate upward import and a deliberate cycle, to show that it fails on them.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "allcourse"

# Bottom to top. `analytics` sits beside `app`: it may read the app's results format,
# the app never imports analytics. Top-level modules (__init__, __main__) are entry points.
RANK = {"course": 0, "quiz": 1, "scenarios": 2, "app": 3, "analytics": 3}
ALLOWED_SIDEWAYS = {("analytics", "app")}


def _modules(package_dir: Path) -> dict[str, Path]:
    name = package_dir.name
    out = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = [name, *path.relative_to(package_dir).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that `module` imports anywhere in its body."""
    is_pkg = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_pkg else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import sub` imports the submodule when there is one.
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in known:  # `import a.b.c` of a non-module: nearest module
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def import_problems(package_dir: Path) -> list[str]:
    """Every upward import and every import cycle in the package, as readable sentences."""
    modules = _modules(package_dir)
    graph = {mod: _imports(mod, path, set(modules)) for mod, path in modules.items()}
    problems = []
    for mod, targets in sorted(graph.items()):
        src = _layer(mod)
        for target in sorted(targets):
            dst = _layer(target)
            if src is None:
                continue  # entry points may import anything
            if dst is None:
                if target != package_dir.name:
                    problems.append(f"{mod} ({src}) imports the entry point {target}")
                continue
            upward = RANK[dst] > RANK[src]
            sideways = RANK[dst] == RANK[src] and src != dst and (src, dst) not in ALLOWED_SIDEWAYS
            if upward or sideways:
                problems.append(f"{mod} ({src}) imports {target} ({dst}), a higher or side layer")
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        problems.append("import cycle: " + " -> ".join(exc.args[1]))
    return problems


def test_package_imports_follow_the_layers_with_no_cycle():
    assert import_problems(PACKAGE_DIR) == []


def test_every_module_is_in_a_layer():
    """A new module must live in one of the layer folders, or the order says nothing of it."""
    loose = [
        m
        for m in _modules(PACKAGE_DIR)
        if _layer(m) is None and m not in {"allcourse", "allcourse.__main__"}
    ]
    assert loose == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "allcourse"
    for rel, text in {"__init__.py": "", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return root


def test_checker_fails_on_an_upward_import_inside_a_function(tmp_path):
    root = _package(
        tmp_path,
        {
            "course/refs.py": "def f():\n    from allcourse.app.page import NOTICE\n",
            "app/page.py": "NOTICE = ''\n",
        },
    )
    assert import_problems(root) == [
        "allcourse.course.refs (course) imports allcourse.app.page (app), a higher or side layer"
    ]


def test_checker_fails_on_a_type_checking_import_and_a_relative_one(tmp_path):
    root = _package(
        tmp_path,
        {
            "quiz/models.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from allcourse.scenarios import view\n",
            "quiz/score.py": "from ..app import cli\n",
            "scenarios/view.py": "",
            "app/cli.py": "",
        },
    )
    problems = import_problems(root)
    assert "allcourse.quiz.models (quiz) imports allcourse.scenarios.view (scenarios)" in " ".join(
        problems
    )
    assert any(
        p.startswith("allcourse.quiz.score (quiz) imports allcourse.app.cli") for p in problems
    )


def test_checker_fails_on_a_cycle_within_one_layer(tmp_path):
    root = _package(
        tmp_path,
        {
            "app/progress.py": "from allcourse.app import review\n",
            "app/review.py": "def f():\n    import allcourse.app.progress\n",
        },
    )
    (problem,) = import_problems(root)
    assert problem.startswith("import cycle: ")
    assert "allcourse.app.progress" in problem and "allcourse.app.review" in problem


@pytest.mark.parametrize("side", ["app", "analytics"])
def test_checker_knows_which_way_the_side_layers_may_look(tmp_path, side):
    other = "analytics" if side == "app" else "app"
    root = _package(
        tmp_path, {f"{side}/a.py": f"from allcourse.{other} import b\n", f"{other}/b.py": ""}
    )
    expected = (
        []
        if side == "analytics"
        else [
            "allcourse.app.a (app) imports allcourse.analytics.b (analytics), "
            "a higher or side layer"
        ]
    )
    assert import_problems(root) == expected
