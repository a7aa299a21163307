"""The browser's words, looked up in the one catalogue (kb/texts.py), plus the Textual glue: which entry
describes each key binding in the footer, names each palette command and heads each log column. No word
pairs live here."""

from __future__ import annotations

from kb.texts import WORDS, text, value

# footer: the action a binding runs -> the entry describing it (the English bound in the code is replaced)
KEYS: dict[str, str] = {
    "focus_search": "search", "explain": "explain", "back": "back", "forward": "forward",
    "toggle_language": "other_language", "toggle_theme": "theme", "help": "help", "leave": "quit", "quit": "quit",
    "move_in_list": "browse", "submit": "open", "leave_search": "explanation", "focus_list": "list", "links": "links",
    "copy": "copy", "export": "save_md", "toggle_bilingual": "both_languages", "command_palette": "palette",
}
# palette: command -> (its title, its help line)
COMMANDS: dict[str, tuple[str, str]] = {
    "open_log": ("cmd_open_log", "cmd_open_log_help"), "explain": ("cmd_explain", "cmd_explain_help"),
    "help": ("help", "cmd_help_help"), "language": ("other_language", "cmd_language_help"),
    "theme": ("cmd_theme", "cmd_theme_help"), "quit": ("quit", "cmd_quit_help"),
}
# the log table's columns -> their headings
COLUMNS: dict[str, str] = {"count": "count", "code": "code", "reason": "reason", "provider": "provider",
                           "outcome": "outcome", "retry": "retry_column", "example": "first_line"}


def ui(key: str, lang: str, **values: object) -> str:
    return text(key, lang, **values)


def badge(status: str, lang: str) -> str:
    """A status short enough for one list row: its badge entry, else its value's words, else as it is."""
    pair = WORDS.get("badge." + status)
    return value(status, lang) if pair is None else pair[lang == "de"]


def describe_key(action: str, lang: str) -> str | None:
    """The footer's description of an action, or None to leave the binding's own."""
    key = KEYS.get(action)
    return None if key is None else text(key, lang)


def command(name: str, lang: str) -> tuple[str, str]:
    title, help_line = COMMANDS[name]
    return text(title, lang), text(help_line, lang)


def column(name: str, lang: str) -> str:
    return text(COLUMNS[name], lang)
