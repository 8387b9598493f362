"""Scenarios: each is a pure model (no widgets, tested on its own) plus a view that draws it."""
