"""The one catalogue of interface words in English and German, shared by every surface (CLI, terminal
browser, site). Record texts come from the records themselves; this holds only the words around them.
tests/test_texts.py checks that every entry has both languages."""

from __future__ import annotations

from .model import Text

# what a reply's class says happened to the message (basic code's first digit, or enhanced class)
OUTCOME_OF_CLASS: dict[str, str] = {"1": "intermediate", "2": "success", "3": "intermediate", "4": "transient",
                                    "5": "permanent"}

LABELS: dict[str, Text] = {k: Text(*v) for k, v in {
    "meaning": ("Meaning", "Bedeutung"),
    "anatomy": ("Anatomy", "Aufbau"),
    "status": ("Status", "Status"),
    "category": ("Category", "Kategorie"),
    "action": ("Required action", "Erforderliche Aktion"),
    "defined": ("Where it is defined", "Wo der Code definiert ist"),
    "contexts": ("Definitions and contexts", "Definitionen und Kontexte"),
    "per_class": ("By class", "Nach Klasse"),
    "causes": ("Causes", "Ursachen"),
    "check": ("Check", "Prüfen"),
    "remedies": ("Remedies", "Lösungen"),
    "best_practices": ("Best practices", "Best Practices"),
    "who": ("who acts", "wer handelt"),
    "actors": ("Who acts", "Wer handelt"),
    "retry": ("Retry guidance", "Wiederholung"),
    "scenarios": ("Scenarios", "Szenarien"),
    "examples": ("Example replies", "Beispielantworten"),
    "illustrative": ("illustrative", "zur Veranschaulichung"),
    "provider_notes": ("Provider notes", "Hinweise zu Providern"),
    "related": ("Related codes", "Verwandte Codes"),
    "references": ("References", "Quellen"),
    "enhanced_codes": ("Enhanced codes that travel with it", "Zugehörige erweiterte Codes"),
    "basic_codes": ("Associated basic codes (registry)", "Zugehörige Basiscodes (Registry)"),
    "in_practice": ("also seen in practice", "in der Praxis außerdem"),
    "registry": ("IANA registry", "IANA-Registry"),
    "reply_text": ("Standard reply text", "Standard-Antworttext"),
    "decision": ("Decision", "Entscheidung"),
    "schedule": ("MTA queue schedule", "Zeitplan der MTA-Queue"),
    "application_plan": ("Application via relay", "Anwendung über Relay"),
    "attempts": ("attempts", "Versuche"),
    "slow_down": ("Rate or reputation deferral", "Zurückstellung wegen Rate oder Reputation"),
    "max_attempts": ("Maximum attempts", "Höchstzahl Versuche"),
    "give_up": ("Give up after", "Aufgeben nach"),
    "log_level": ("Log level", "Log-Level"),
    "verdict": ("Verdict", "Urteil"),
    "reason": ("Reason", "Grund"),
    "bounce": ("Bounce", "Bounce"),
    "why": ("Why", "Warum"),
    "findings": ("Findings", "Befunde"),
    "provider": ("Provider", "Provider"),
    "parsed": ("Read from the input", "Aus der Eingabe gelesen"),
    "command": ("Command", "Kommando"),
    "recipient": ("Recipient", "Empfänger"),
    "host": ("Remote host", "Gegenstelle"),
    "domain": ("Domain", "Domain"),
    "ip": ("IP address", "IP-Adresse"),
    "remedy": ("What to do", "Was tun"),
    "replaced_by": ("Replaced by", "Ersetzt durch"),
    "no_code": ("No reply code found", "Kein Antwortcode gefunden"),
    "address": ("The address", "Die Adresse"),
    "fix": ("Who fixes what", "Wer was behebt"),
    "facts": ("Read from the reply", "Aus der Antwort gelesen"),
    "retry_plans": ("Retry plans by role", "Wiederholung je nach Rolle"),
    "crosswalk": ("In other tools' terms", "In den Begriffen anderer Werkzeuge"),
    "loses_detail": ("coarser than ours", "gröber als unsere Einteilung"),
}.items()}

VALUES: dict[str, Text] = {k: Text(*v) for k, v in {
    "standard": ("standard", "Standard"), "extension": ("extension", "Erweiterung"),
    "non-standard": ("non-standard", "nicht standardisiert"), "deprecated": ("deprecated", "veraltet"),
    "draft": ("draft", "Entwurf"), "provider-specific": ("provider-specific", "providerspezifisch"),
    "unregistered": ("unregistered", "nicht registriert"),
    "retry": ("retry", "erneut versuchen"), "retry-after-fix": ("retry after fixing the cause", "nach Behebung erneut senden"),
    "do-not-retry": ("do not retry", "nicht wiederholen"), "not-applicable": ("nothing to retry", "keine Wiederholung nötig"),
    "sender": ("sender", "Absender"), "sending-admin": ("sending admin", "Admin des Absenders"),
    "receiving-admin": ("receiving admin", "Admin des Empfängers"), "recipient": ("recipient", "Empfänger"),
    "developer": ("developer", "Entwickler"),
    "success": ("success", "Erfolg"), "intermediate": ("intermediate", "Zwischenantwort"),
    "transient": ("transient", "vorübergehend"), "permanent": ("permanent", "dauerhaft"), "unknown": ("unknown", "unbekannt"),
    "slow-down": ("send less to this destination, not more often", "weniger an dieses Ziel senden, nicht öfter"),
    "hard": ("hard bounce", "Hard Bounce"), "soft": ("soft bounce", "Soft Bounce"), "none": ("no bounce", "kein Bounce"),
    "suppress-true": ("suppress it: the address itself cannot receive mail", "unterdrücken: die Adresse selbst kann keine Mails empfangen"),
    "suppress-false": ("keep it: the address is not the problem", "behalten: die Adresse ist nicht das Problem"),
    "suppress-null": ("unsure: the input does not say whether the address is bad", "unsicher: die Eingabe sagt nicht, ob die Adresse ungültig ist"),
    "mta-queue": ("mail server queue (RFC 5321 §4.5.4.1)", "Queue eines Mailservers (RFC 5321 §4.5.4.1)"),
    "application": ("application submitting through a relay", "Anwendung, die über ein Relay einliefert"),
    "debug": ("debug", "Debug"), "info": ("info", "Info"), "warning": ("warning", "Warnung"), "error": ("error", "Fehler"),
}.items()}




def hours(h: int, lang: str) -> str:
    """``120`` -> ``5 days`` / ``5 Tage``; hours that are not whole days stay hours."""
    if h % 24:
        return f"{h} h"
    d = h // 24
    return f"{d} {'Tag' if d == 1 else 'Tage'}" if lang == "de" else f"{d} day{'s' if d != 1 else ''}"
