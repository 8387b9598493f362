"""An interactive course on acute lymphoblastic leukemia for nursing students."""

__version__ = "0.1.0"
