"""Class results for instructors, beside the app layer: loading a folder of results files
and re-scoring them (`loading`), Moodle-level statistics on pandas data frames
(`statistics`), the gradebook export (`export`) and the dashboard's tables and charts
(`presentation`). Reads the lower layers and the app's results format; nothing imports it
but the instructor dashboard."""

from allcourse.analytics.export import write_csv, write_xlsx
from allcourse.analytics.loading import (
    DEFAULT_FOLDER,
    RESULTS_ENV,
    BadFile,
    ClassResults,
    Disagreement,
    LoadedFile,
    check_record,
    load_folder,
    results_folder,
)
from allcourse.analytics.presentation import Dashboard, histogram_svg, steps_svg
from allcourse.analytics.statistics import (
    OverallStatistics,
    ScoreMatrix,
    choices,
    class_test_report,
    completion,
    distractors,
    item_report,
    item_statistics,
    overall_statistics,
    partial_credit,
    random_guess_score,
    score_matrix,
    step_profile,
    student_table,
    wrong_choices,
)

__all__ = [
    "DEFAULT_FOLDER",
    "RESULTS_ENV",
    "BadFile",
    "ClassResults",
    "Dashboard",
    "Disagreement",
    "LoadedFile",
    "OverallStatistics",
    "ScoreMatrix",
    "check_record",
    "choices",
    "class_test_report",
    "completion",
    "distractors",
    "histogram_svg",
    "item_report",
    "item_statistics",
    "load_folder",
    "overall_statistics",
    "partial_credit",
    "random_guess_score",
    "results_folder",
    "score_matrix",
    "step_profile",
    "steps_svg",
    "student_table",
    "wrong_choices",
    "write_csv",
    "write_xlsx",
]
