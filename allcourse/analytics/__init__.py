"""Class results for instructors, beside the app layer: loading a folder of results files
(`loading`), statistics (`statistics`) and the dashboard's tables and charts
(`presentation`). Reads the lower layers and the app's results format; nothing imports it
but the instructor dashboard."""

from allcourse.analytics.loading import (
    DEFAULT_FOLDER,
    RESULTS_ENV,
    BadFile,
    ClassResults,
    LoadedFile,
    load_folder,
    results_folder,
)
from allcourse.analytics.presentation import (
    Dashboard,
    completion_html,
    files_html,
    histogram_svg,
    items_html,
    steps_html,
    steps_svg,
)
from allcourse.analytics.statistics import (
    ItemStat,
    ModuleCompletion,
    StepProfile,
    _label,
    completion,
    item_stats,
    pearson,
    step_profile,
    upper_lower,
    wrong_choices,
)

__all__ = [
    "DEFAULT_FOLDER",
    "RESULTS_ENV",
    "BadFile",
    "ClassResults",
    "Dashboard",
    "ItemStat",
    "LoadedFile",
    "ModuleCompletion",
    "StepProfile",
    "_label",
    "completion",
    "completion_html",
    "files_html",
    "histogram_svg",
    "item_stats",
    "items_html",
    "load_folder",
    "pearson",
    "results_folder",
    "step_profile",
    "steps_html",
    "steps_svg",
    "upper_lower",
    "wrong_choices",
]
