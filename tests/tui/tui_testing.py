"""Shared helpers for the terminal browser's tests."""

from pathlib import Path

from tui.compat import screen_lines

PINNED_CODES = Path(__file__).resolve().parent / "fixture_codes"  # synthetic records written for the tests
REAL_CODES = Path(__file__).resolve().parents[2] / "codes"
SIZE = (100, 32)
GMAIL_REPLY = (
    "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users,\n"
    "550-5.7.26 and has been blocked. The sender must authenticate with at least one of SPF or DKIM.\n"
    "550 5.7.26 https://support.google.com/mail/answer/81126#authentication a1-20020a05 - gsmtp"
)


async def settle(app, pilot) -> None:
    """Wait until the list is filled, every worker is done and the screen is redrawn."""
    for _ in range(400):
        if app.ready:
            break
        await pilot.pause(0.02)
    assert app.ready, "the app never showed its first screen"
    for _ in range(400):  # the warm-up after the first screen (search index, Rich's renderers)
        if app.warm:
            break
        await pilot.pause(0.02)
    for _ in range(3):  # a search can start an explanation can start a render
        while app.busy:  # (cancelled workers count as finished: a newer one replaced them)
            await pilot.pause(0.02)
        await pilot.pause()


def screen_text(app) -> str:
    """What the terminal would show, as plain lines."""
    return "\n".join(screen_lines(app))
