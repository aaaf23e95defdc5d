"""Allow ``python -m ruralplan``."""

from ruralplan.cli import main

raise SystemExit(main())
