from .app import run

raise SystemExit(run())
