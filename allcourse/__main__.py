"""`python -m allcourse ...`: the instructors' command line (see allcourse.app.cli)."""

from allcourse.app.cli import main

raise SystemExit(main())
