"""Interface words in English and German (record texts come from kb.render.LABELS/VALUES)."""

from __future__ import annotations

UI: dict[str, tuple[str, str]] = {
    "search_placeholder": ("Search codes, or paste a reply / DSN / log line to explain it",
                           "Codes suchen oder Antwort, DSN oder Logzeile zum Erklären einfügen"),
    "all_codes": ("{n} codes", "{n} Codes"),
    "matches": ("{n} matches for “{q}”", "{n} Treffer für „{q}“"),
    "one_match": ("1 match for “{q}”", "1 Treffer für „{q}“"),
    "no_match": ("No code matches “{q}”. Try a number like 421 or words like mailbox full; "
                 "ctrl+e explains a whole reply.",
                 "Kein Code passt zu „{q}“. Versuchen Sie eine Nummer wie 421 oder Wörter wie Postfach voll; "
                 "Strg+E erklärt eine ganze Antwort."),
    "explained": ("Codes in the explained text", "Codes im erklärten Text"),
    "none_found": ("No reply code found in the text", "Kein Antwortcode im Text gefunden"),
    "basic": ("Basic", "Basis"),
    "enhanced": ("Enhanced", "Erweitert"),
    "broken": ("The knowledge base cannot be read", "Die Wissensbasis kann nicht gelesen werden"),
    "no_record": ("No record for {code}", "Kein Eintrag für {code}"),
    "no_record_hint": ("Explained from the structure of the code:", "Erklärt anhand des Aufbaus des Codes:"),
    "truncated": ("Showing the first {shown} of {total} characters.",
                  "Angezeigt werden die ersten {shown} von {total} Zeichen."),
    "explain_title": ("Paste a reply, DSN or log line (several lines are fine)",
                      "Antwort, DSN oder Logzeile einfügen (mehrere Zeilen sind möglich)"),
    "explain_button": ("Explain (ctrl+e)", "Erklären (Strg+E)"),
    "cancel_button": ("Cancel (esc)", "Abbrechen (Esc)"),
    "palette_help": ("Open this code", "Diesen Code öffnen"),
    "palette_related": ("Related to {code}", "Verwandt mit {code}"),
    "palette_placeholder": ("Code number or words…", "Codenummer oder Wörter…"),
    # Footer: key_<action> -> description (English as bound in the code)
    "key_focus_search": ("Search", "Suchen"),
    "key_explain": ("Explain", "Erklären"),
    "key_back": ("Back", "Zurück"),
    "key_forward": ("Forward", "Vor"),
    "key_toggle_language": ("Deutsch", "English"),
    "key_toggle_theme": ("Theme", "Farben"),
    "key_help": ("Help", "Hilfe"),
    "key_leave": ("Quit", "Beenden"),
    "key_quit": ("Quit", "Beenden"),
    "key_move_in_list": ("Browse", "Blättern"),
    "key_submit": ("Open", "Öffnen"),
    "key_leave_search": ("Explanation", "Erklärung"),
    "key_focus_list": ("List", "Liste"),
    "key_links": ("Links", "Links"),
    "key_copy": ("Copy", "Kopieren"),
    "key_export": ("Save .md", "Als .md sichern"),
    "key_toggle_bilingual": ("Both languages", "Beide Sprachen"),
    "links_title": ("Links in this page: enter or the number follows one, esc closes",
                    "Links auf dieser Seite: Enter oder die Nummer folgt einem, Esc schließt"),
    "no_links": ("This page has no links", "Diese Seite hat keine Links"),
    "copied": ("Copied to the clipboard", "In die Zwischenablage kopiert"),
    "exported": ("Saved as {path}", "Gespeichert als {path}"),
    "export_failed": ("Could not save: {error}", "Speichern fehlgeschlagen: {error}"),
    "close": ("Close", "Schließen"),
    "log_title": ("{n} distinct cases in {lines} lines: enter explains one, / filters, ctrl+o sorts by the "
                  "cursor's column, esc closes",
                  "{n} verschiedene Fälle in {lines} Zeilen: Enter erklärt einen, / filtert, Strg+O sortiert nach "
                  "der Spalte unter dem Cursor, Esc schließt"),
    "log_filter": ("Filter the cases (code, reason, provider, text)", "Fälle filtern (Code, Grund, Provider, Text)"),
    "col_count": ("Count", "Anzahl"),
    "col_code": ("Code", "Code"),
    "col_reason": ("Reason", "Grund"),
    "col_provider": ("Provider", "Provider"),
    "col_outcome": ("Outcome", "Ergebnis"),
    "col_retry": ("Retry", "Wiederholen"),
    "col_example": ("First line", "Erste Zeile"),
    "log_reading": ("Reading the log…", "Log wird gelesen…"),
    "open_log_title": ("Path of a log file to read (enter opens, esc cancels)",
                       "Pfad einer Logdatei (Enter öffnet, Esc bricht ab)"),
    "open_log_failed": ("Cannot read {path}: {error}", "{path} kann nicht gelesen werden: {error}"),
    "cmd_open_log": ("Open a log file", "Logdatei öffnen"),
    "cmd_open_log_help": ("Read a mail log and list its distinct cases", "Ein Mail-Log lesen und seine Fälle auflisten"),
    "cmd_explain": ("Explain a pasted text", "Eingefügten Text erklären"),
    "cmd_explain_help": ("A box for a long reply, DSN or log", "Ein Feld für eine lange Antwort, einen DSN oder ein Log"),
    "cmd_help": ("Help", "Hilfe"),
    "cmd_help_help": ("Keys and how to use the browser", "Tasten und Bedienung"),
    "cmd_language": ("Deutsch", "English"),
    "cmd_language_help": ("Switch the language", "Sprache wechseln"),
    "cmd_theme": ("Light or dark theme", "Helles oder dunkles Farbschema"),
    "cmd_theme_help": ("Switch the colours", "Farben wechseln"),
    "cmd_quit": ("Quit", "Beenden"),
    "cmd_quit_help": ("Leave the browser", "Den Browser verlassen"),
    "cmd_history": ("Explain again: {text}", "Erneut erklären: {text}"),
    "cmd_history_help": ("Pasted earlier in this session", "Früher in dieser Sitzung eingefügt"),
    "key_command_palette": ("Palette", "Befehle"),
    "history_start": ("Already at the oldest page", "Schon auf der ältesten Seite"),
    "history_end": ("Already at the newest page", "Schon auf der neuesten Seite"),
    "language_now": ("Language: English", "Sprache: Deutsch"),
}

# The first screen: short, so that it is on screen at once (a full record takes Textual much longer to lay out).
WELCOME: tuple[str, str] = (
    """# smtp-kb

Type a **code** (`421`, `4.7.0`, `X.7.26`) or **words** (`greylisting`, `mailbox full`) in the field above,
or **paste a bounce**: a reply line, a multi-line reply, a DSN or an MTA log line. The explanation says
whether to retry, who has to act and why.

- **↑ ↓** browse the list (also from the field), **enter** opens a code, **tab** reaches the record
- **esc** back to the field, **alt+← →** back and forward, **ctrl+p** find a code or open a log file
- **ctrl+e** explain a long paste, **?** help, **F2** Deutsch, **ctrl+q** quit

## Reading a code

- **421**: {basic}
- **4.7.0**: {enhanced}
""",
    """# smtp-kb

Geben Sie oben einen **Code** (`421`, `4.7.0`, `X.7.26`) oder **Wörter** (`Greylisting`, `Postfach voll`) ein,
oder **fügen Sie einen Bounce ein**: eine Antwortzeile, eine mehrzeilige Antwort, einen DSN oder eine
MTA-Logzeile. Die Erklärung sagt, ob ein neuer Versuch lohnt, wer handeln muss und warum.

- **↑ ↓** durch die Liste (auch aus dem Suchfeld), **Enter** öffnet einen Code, **Tab** springt zum Eintrag
- **Esc** zurück ins Suchfeld, **Alt+← →** zurück und vor, **Strg+P** Code finden oder Logdatei öffnen
- **Strg+E** lange Eingabe erklären, **?** Hilfe, **F2** English, **Strg+Q** beenden

## Codes lesen

- **421**: {basic}
- **4.7.0**: {enhanced}
""",
)


BADGES: dict[str, tuple[str, str]] = {  # short enough for one list row at 80 columns
    "standard": ("standard", "Standard"),
    "extension": ("extension", "Erweiterung"),
    "non-standard": ("non-std", "nicht-std"),
    "deprecated": ("deprecated", "veraltet"),
    "draft": ("draft", "Entwurf"),
    "provider-specific": ("provider", "Provider"),
    "unregistered": ("unregistered", "unregistriert"),
}

HELP: dict[str, str] = {
    "en": """\
# smtp-kb terminal browser

Look up SMTP reply codes and explain bounces, in English or German.

## Finding a code

- Type in the search field: a number (`421`, `5.7.26`, `X.7`) or words (`mailbox full`).
  An exact code is always listed first.
- **↑/↓** show each record, in the list or straight from the search field; **Enter** opens it.
- **ctrl+p** opens the command palette: type a number or words to jump to a code, open a log file,
  or explain a text pasted earlier again.

## Explaining a reply

- Paste a whole reply, DSN or log line into the search field (several lines are fine),
  or type a code followed by its text (`550 5.1.1 user unknown`).
- **ctrl+e** opens a box for long multi-line pastes; **ctrl+e** again explains.
- A log (several reply or log lines) becomes a table of its distinct cases with their counts:
  **/** filters, **ctrl+o** sorts by the column under the cursor, **Enter** explains a case.
- A whole bounce mail is explained recipient by recipient.

## In a record or explanation

- **Tab** from the search field reaches it; arrows and page keys scroll it.
- **o** lists its links (related codes, references) to follow by keyboard; **c** copies it,
  **s** saves it as Markdown in the current directory, **b** shows English and German side by side.

## Keys

| Key | Action |
|---|---|
| `/` or `esc` | back to the search field |
| `esc` in the field | to the list |
| `tab` | from the field to the record or explanation |
| `ctrl+e` | explain a pasted text |
| `alt+←` or `[` | back |
| `alt+→` or `]` | forward |
| `F2` or `ctrl+l` | Deutsch / English |
| `ctrl+t` | light / dark theme |
| `ctrl+p` | command palette |
| `?` (empty field) or `F1` | this help |
| `ctrl+q`, or `q` outside the field | quit |

Links in a record can also be clicked with the mouse.

Press **esc** or **?** to close this help.
""",
    "de": """\
# smtp-kb Terminal-Browser

SMTP-Antwortcodes nachschlagen und Bounces erklären, auf Deutsch oder Englisch.

## Einen Code finden

- Tippen Sie ins Suchfeld: eine Nummer (`421`, `5.7.26`, `X.7`) oder Wörter (`Postfach voll`).
  Ein exakt passender Code steht immer zuerst.
- **↑/↓** zeigen jeden Eintrag, in der Liste oder direkt aus dem Suchfeld; **Enter** öffnet ihn.
- **Strg+P** öffnet die Befehlspalette: zu einem Code springen, eine Logdatei öffnen
  oder einen früher eingefügten Text erneut erklären.

## Eine Antwort erklären

- Fügen Sie eine ganze Antwort, DSN oder Logzeile ins Suchfeld ein (auch mehrzeilig),
  oder tippen Sie einen Code mit Text (`550 5.1.1 user unknown`).
- **Strg+E** öffnet ein Feld für lange, mehrzeilige Texte; **Strg+E** erklärt ihn dann.
- Ein Log (mehrere Antwort- oder Logzeilen) wird zur Tabelle seiner verschiedenen Fälle mit Anzahl:
  **/** filtert, **Strg+O** sortiert nach der Spalte unter dem Cursor, **Enter** erklärt einen Fall.
- Ein ganzer Unzustellbarkeitsbericht wird Empfänger für Empfänger erklärt.

## In einem Eintrag oder einer Erklärung

- **Tab** aus dem Suchfeld springt hinein; Pfeil- und Bildtasten blättern.
- **o** listet die Links (verwandte Codes, Quellen) zum Folgen per Tastatur; **c** kopiert,
  **s** speichert als Markdown im aktuellen Verzeichnis, **b** zeigt Deutsch und Englisch nebeneinander.

## Tasten

| Taste | Aktion |
|---|---|
| `/` oder `Esc` | zurück ins Suchfeld |
| `Esc` im Suchfeld | zur Liste |
| `Tab` | vom Suchfeld zum Eintrag oder zur Erklärung |
| `Strg+E` | eingefügten Text erklären |
| `Alt+←` oder `[` | zurück |
| `Alt+→` oder `]` | vor |
| `F2` oder `Strg+L` | English / Deutsch |
| `Strg+T` | helles / dunkles Farbschema |
| `Strg+P` | Befehlspalette |
| `?` (leeres Suchfeld) oder `F1` | diese Hilfe |
| `Strg+Q`, oder `q` außerhalb des Suchfelds | beenden |

Links in einem Eintrag lassen sich auch mit der Maus anklicken.

**Esc** oder **?** schließt diese Hilfe.
""",
}


def ui(key: str, lang: str, **values: object) -> str:
    en, de = UI[key]
    text = de if lang == "de" else en
    return text.format(**values) if values else text


def badge(status: str, lang: str) -> str:
    en, de = BADGES.get(status, (status, status))
    return de if lang == "de" else en
