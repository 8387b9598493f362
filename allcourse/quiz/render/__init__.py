"""Item renderers: one per item type, over ipywidgets. `renderer_for(item, seed)`."""

from __future__ import annotations

from allcourse.quiz import models as m
from allcourse.quiz.render.base import PartNote, Renderer
from allcourse.quiz.render.blanks import BlanksRenderer
from allcourse.quiz.render.choice import BowtieRenderer, MultipleRenderer, SingleRenderer
from allcourse.quiz.render.highlight import HighlightRenderer
from allcourse.quiz.render.matching import MatchingRenderer
from allcourse.quiz.render.matrix import MatrixMultipleRenderer, MatrixSingleRenderer
from allcourse.quiz.render.ordering import OrderingRenderer
from allcourse.quiz.render.typed import NumericRenderer, ShortAnswerRenderer

RENDERERS: dict[type[m.ItemBase], type[Renderer]] = {
    m.SingleChoice: SingleRenderer,
    m.MultipleResponse: MultipleRenderer,
    m.SelectN: MultipleRenderer,
    m.MatrixSingle: MatrixSingleRenderer,
    m.MatrixMultiple: MatrixMultipleRenderer,
    m.Cloze: BlanksRenderer,
    m.DropdownRationale: BlanksRenderer,
    m.Ordering: OrderingRenderer,
    m.Matching: MatchingRenderer,
    m.Highlight: HighlightRenderer,
    m.Bowtie: BowtieRenderer,
    m.Numeric: NumericRenderer,
    m.ShortAnswer: ShortAnswerRenderer,
}


def renderer_for(item: m.ItemBase, seed: int) -> Renderer:
    cls = RENDERERS.get(type(item))
    if cls is None:
        raise TypeError(f"no renderer for {type(item).__name__}")
    return cls(item, seed)


__all__ = ["PartNote", "RENDERERS", "Renderer", "renderer_for"]
