"""The browser's two themes: Textual's light and dark ones, with status badges readable on the list.

Textual's light theme draws warning orange on light grey at about 3:1; each badge colour here is
darkened (light theme) or lightened (dark theme) in small steps until it reaches WCAG AA's 4.5:1
against the list's background.
"""

from __future__ import annotations

from dataclasses import replace

from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

LIGHT_THEME, DARK_THEME = "smtpkb-light", "smtpkb-dark"
AA_CONTRAST = 4.5
# status -> the theme colour it starts from
BADGE_BASES = {"standard": "success", "extension": "accent", "non-standard": "warning",
               "deprecated": "error", "draft": "secondary"}


def relative_luminance(color: Color) -> float:
    """WCAG 2.x relative luminance of an opaque colour."""
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast_ratio(a: Color, b: Color) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(color: Color, background: Color, ratio: float = AA_CONTRAST) -> Color:
    """``color`` moved away from ``background``'s lightness until the two reach ``ratio``."""
    dark_background = relative_luminance(background) < 0.18
    for _ in range(40):
        if contrast_ratio(color, background) >= ratio:
            return color
        color = color.lighten(0.03) if dark_background else color.darken(0.03)
    return color


def _with_badges(base: Theme, name: str) -> Theme:
    colours = base.to_color_system().generate()
    background = Color.parse(colours["surface"])  # the list's background (OptionList uses $surface)
    badges = {f"badge-{status}": readable(Color.parse(colours[source]), background).hex
              for status, source in BADGE_BASES.items()}
    return replace(base, name=name, variables={**base.variables, **badges})


def browser_themes() -> list[Theme]:
    return [_with_badges(BUILTIN_THEMES["textual-light"], LIGHT_THEME),
            _with_badges(BUILTIN_THEMES["textual-dark"], DARK_THEME)]
