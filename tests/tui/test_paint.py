"""Laying out a record off the event loop: the paint thread steps aside while a key is on its way to the
screen (PaintGate), and the lines it makes are the lines Rich makes."""

import io
import threading

from rich.console import Console
from rich.markdown import Markdown
from rich.style import Style
from textual import events
from textual.widgets import Input
from tui_testing import SIZE, settle

from tui.app import SmtpKbApp
from tui.document import PaintGate, render_lines

SAMPLE = ("# 421 Service not available\n\nSome text with a [link](code:550) and **bold** words, long enough to wrap "
          "at forty columns.\n\n- one\n- two\n\n```text\n421 4.7.0 Try again later\n```\n\n## Next\n\n"
          + "More words in a second section. " * 30 + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")


def rich_lines(md: str, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      markup=False, emoji=False, highlight=False)
    return ["".join(s.text for s in line) for line in console.render_lines(Markdown(md), pad=False)]


def test_lines_are_the_lines_rich_lays_out_with_or_without_a_gate():
    plain = [strip.text for strip in render_lines(SAMPLE, 40, Style(), True)]
    gated = [strip.text for strip in render_lines(SAMPLE, 40, Style(), True, PaintGate())]
    assert plain == gated
    assert plain == rich_lines(SAMPLE, 40)  # section by section, as one document would be
    assert not any("\n" in line for line in plain)


def test_a_closed_gate_holds_the_layout_until_it_opens():
    gate = PaintGate()
    gate.close()
    result: list = []
    done = threading.Event()

    def paint() -> None:
        result.extend(render_lines(SAMPLE, 40, Style(), True, gate))
        done.set()

    thread = threading.Thread(target=paint)
    thread.start()
    try:
        assert not done.wait(0.05)  # shorter than the gate's own timeout: only the gate can hold it
        assert not result
    finally:
        gate.open()
        thread.join()
    assert [s.text for s in result] == [s.text for s in render_lines(SAMPLE, 40, Style(), True)]


async def test_a_key_closes_the_gate_until_the_screen_shows_it(pinned_kb):
    app = SmtpKbApp(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.warm and app._gate.is_open
        field = app.query_one("#search", Input)
        seen: list[tuple[str, bool]] = []
        draw = field.render_line

        def render_line(y: int):
            line = draw(y)
            seen.append((line.text, app._gate.is_open))
            return line

        field.render_line = render_line
        app.open_code("550")  # a long record is being laid out in its thread
        app.post_message(events.Key("x", "x"))
        await settle(app, pilot)
        drawn = [is_open for text, is_open in seen if "x" in text]
        assert drawn and drawn[0] is False  # the field was drawn with the new key while the thread waited
        assert app._gate.is_open  # and the layouts went on afterwards (the typed "x" searched and showed its hit)
        assert app.query_one("#doc").source.startswith("# ") and not app.busy


def test_the_gate_opens_when_every_key_is_shown_or_by_itself_when_a_key_is_lost():
    gate = PaintGate()
    gate.close()
    gate.close()  # a second key before the first was shown
    gate.open()
    assert not gate.is_open  # the second is still on its way
    gate.open()
    assert gate.is_open
    gate.open()  # an extra reopen does not count ahead
    gate.close()
    assert not gate.is_open
    gate.wait()  # never reopened (its callback went with a closed dialog): the thread goes on after a while
    assert gate.is_open
