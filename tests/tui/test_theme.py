"""The status badges in the list are readable in both themes: WCAG AA (4.5:1) computed from the
themes' own colours."""

import pytest
from textual.color import Color

from tui.rows import BADGE_STYLES
from tui.theme import browser_themes


def _luminance(color: Color) -> float:  # WCAG 2.2, relative luminance
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)


def _contrast(a: Color, b: Color) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("theme", browser_themes(), ids=lambda t: t.name)
def test_every_badge_reaches_aa_contrast_on_the_list(theme):
    variables = theme.to_color_system().generate() | theme.variables
    background = Color.parse(variables["surface"])  # OptionList's background
    for status, style in BADGE_STYLES.items():
        colour = Color.parse(variables[style.lstrip("$")])
        assert _contrast(colour, background) >= 4.5, (theme.name, status, colour.hex)


def test_textual_light_alone_would_fail():
    """The check can fail: Textual's own warning colour on its light surface is below AA."""
    from textual.theme import BUILTIN_THEMES

    variables = BUILTIN_THEMES["textual-light"].to_color_system().generate()
    assert _contrast(Color.parse(variables["warning"]), Color.parse(variables["surface"])) < 4.5
