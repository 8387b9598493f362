"""`python -m allcourse ...`: the instructors' command line (see allcourse.cli)."""

from allcourse.cli import main

raise SystemExit(main())
