"""The lineage explorer on the page: the stem cell tree as buttons laid out as a tree;
choosing a cell shows its job, its normal count where a source gives one, and what goes
wrong in ALL. It only draws what `lineage` holds.
"""

from __future__ import annotations

import html

import anywidget
import ipywidgets as widgets
import traitlets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import lineage as model
from allcourse.scenarios.lineage import CellType, Cited

PROMPT = (
    "Choose a cell in the tree to see its job, its normal count where the course's sources "
    "give one, and what goes wrong in ALL."
)


class LiveStatus(anywidget.AnyWidget):
    """A status line that stays in the page, so screen readers announce each new text."""

    _esm = """
    function render({ model, el }) {
      const p = document.createElement("p");
      p.className = "allcourse-scenario-status";
      p.setAttribute("role", "status");
      const show = () => { p.textContent = model.get("text"); };
      model.on("change:text", show);
      show();
      el.append(p);
      return () => model.off("change:text", show);
    }
    export default { render };
    """

    text = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("layout", ui.layout())  # shared: one Layout model, not one each
        super().__init__(**kwargs)

    def __repr__(self) -> str:
        # Stable text (no memory address): stored notebook outputs include widget reprs.
        return f"LiveStatus(text={self.text!r})"


def _cited(fact: Cited) -> str:
    return html.escape(fact.text) + citation_links(fact.sources)


def details_html(cell: CellType) -> str:
    """What the panel shows for one cell."""
    normal = _cited(cell.normal_range) if cell.normal_range else html.escape(model.NO_RANGE)
    rows = [
        ("Stage", html.escape(cell.stage.capitalize())),
        ("Its job", _cited(cell.job)),
        ("Normal count", normal),
    ]
    if cell.thresholds:
        items = "".join(f"<li>{_cited(t)}</li>" for t in cell.thresholds)
        rows.append(("Counts a nurse acts on", f"<ul>{items}</ul>"))
    rows.append(("What goes wrong in ALL", _cited(cell.in_all)))
    body = "".join(
        f"<h4>{label}</h4><div class='allcourse-cell-field' "
        f"data-field='{label.lower().replace(' ', '-')}'>{value}</div>"
        for label, value in rows
    )
    return (
        "<section class='allcourse-cell-details' aria-labelledby='cell-details-heading'>"
        f"<h3 id='cell-details-heading'>{html.escape(cell.name)}</h3>"
        f"<p class='allcourse-cell-lineage'>{html.escape(model.lineage_text(cell.id))}</p>"
        f"{body}</section>"
    )


def _prompt_html() -> str:
    return (
        "<section class='allcourse-cell-details' aria-labelledby='cell-details-heading'>"
        "<h3 id='cell-details-heading'>Choose a cell</h3>"
        f"<p>{html.escape(PROMPT)}</p></section>"
    )


class LineageExplorer:
    """Builds the explorer's widgets; `.widget` is what the page shows."""

    SELECTED = " (selected)"

    def __init__(self) -> None:
        self.buttons: dict[str, widgets.Button] = {}
        self.details = ui.html(_prompt_html())
        self.status = LiveStatus()
        self.selected: str | None = None
        tree = self._subtree(model.ROOT_ID, "allcourse-tree")
        # A plain Box (not a VBox): the scroll container of the tree.
        tree_box = widgets.Box([tree], layout=ui.layout(), _dom_classes=("allcourse-tree-scroll",))
        self.widget = ui.box(
            [tree_box, self.status, self.details], "allcourse-scenario", "allcourse-lineage"
        )

    def _subtree(self, cell_id: str, *classes: str) -> widgets.VBox:
        cell = model.cell(cell_id)
        button = ui.button(cell.name, "allcourse-tree-cell", f"stage-{cell.stage.split()[0]}")
        button.on_click(lambda _b, cid=cell_id: self.select(cid))
        self.buttons[cell_id] = button
        parts: list[widgets.Widget] = [button]
        kids = model.children(cell_id)
        if kids:
            kid_nodes = [self._subtree(k.id) for k in kids]
            parts.append(ui.box(kid_nodes, "allcourse-tree-children", vertical=False))
        return ui.box(parts, "allcourse-tree-node", *classes)

    def select(self, cell_id: str) -> None:
        """Show one cell's details and mark its button (text as well as style)."""
        cell = model.cell(cell_id)
        if self.selected is not None:
            old = self.buttons[self.selected]
            old.description = model.cell(self.selected).name
            old.remove_class("is-selected")
        button = self.buttons[cell_id]
        button.description = cell.name + self.SELECTED
        button.add_class("is-selected")
        self.selected = cell_id
        self.details.value = details_html(cell)
        self.status.text = f"{cell.name}: {cell.job.text}"


def lineage_explorer() -> None:
    """Show the lineage explorer (one line in a notebook)."""
    display(LineageExplorer().widget)
