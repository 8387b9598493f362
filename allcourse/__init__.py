"""An interactive course on acute lymphoblastic leukemia for nursing students.

Layers, bottom to top; a module imports only from its own layer or the ones below it,
never upward (not even inside a function) and never in a cycle (tests/test_layers.py):

1. `course`    course content: file locations, YAML loading, the course map, references,
               Markdown. Knows nothing above it.
2. `quiz`      the quiz engine: item models, pure scoring, GIFT import/export, validation,
               widget rendering.
3. `scenarios` each scenario a pure model plus a widget view, on the quiz engine.
4. `app`       the Voila app: pages, progress store and its browser-storage widget,
               review, results files, server, command line.
   `analytics` beside the app: class results for instructors. It reads the app's results
               format; the app never imports it.
"""

__version__ = "0.1.0"
