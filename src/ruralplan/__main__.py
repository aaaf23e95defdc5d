"""Allow ``python -m ruralplan``."""

from ruralplan.pipeline.cli import main

raise SystemExit(main())
