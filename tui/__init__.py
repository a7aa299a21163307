"""smtp-kb's terminal browser: search, read and explain SMTP reply codes (``python -m tui``).

Nothing is imported here so that ``import tui`` stays as cheap as ``import kb``; the app lives in
``tui.app``.
"""
