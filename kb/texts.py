"""The one catalogue of interface words in English and German, shared by every surface (CLI, explainer,
mail reader, report, terminal browser, site). Record texts come from the records themselves; this holds only
the words around them. ``text(key, lang, **values)`` gives one language, ``say(key, **values)`` both (a
``Text``, for results that carry both languages). Entries are plain tuples so that importing this costs no
more than reading the constants. tests/test_texts.py checks every entry and that no surface keeps its own.

Keys: plain names for labels and sentences; ``value.<x>`` for the words of a data value (a status, a retry
decision, an actor, an outcome); ``badge.<status>`` for a shorter status in a list row; ``fact.<x>`` for the
facts read from a bounce mail; ``mail_kind.<x>``, ``provider_kind.<x>``, ``position.<x>``; ``why.*``, ``seen.*``, ``finding.*``
and ``mail.*`` for the sentences of an explanation.
"""

from .model import Text

# what a reply's class says happened to the message (basic code's first digit, or enhanced class)
OUTCOME_OF_CLASS: dict[str, str] = {"1": "intermediate", "2": "success", "3": "intermediate", "4": "transient",
                                    "5": "permanent"}

WORDS: dict[str, tuple[str, str]] = {
    # ---- a record's sections and labels (kb.render, the site, the terminal browser)
    "meaning": ("Meaning", "Bedeutung"),
    "anatomy": ("Anatomy", "Aufbau"),
    "status": ("Status", "Status"),
    "category": ("Category", "Kategorie"),
    "action": ("Required action", "Erforderliche Aktion"),
    "contexts": ("Definitions and contexts", "Definitionen und Kontexte"),
    "by_class": ("By class", "Nach Klasse"),
    "causes": ("Causes", "Ursachen"),
    "check": ("Check", "Prüfen"),
    "remedies": ("Remedies", "Lösungen"),
    "best_practices": ("Best practices", "Best Practices"),
    "who": ("who acts", "wer handelt"),
    "actors": ("Who acts", "Wer handelt"),
    "retry": ("Retry guidance", "Wiederholung"),
    "scenarios": ("Scenarios", "Szenarien"),
    "examples": ("Example replies", "Beispielantworten"),
    "example": ("Example", "Beispiel"),
    "illustrative": ("illustrative", "zur Veranschaulichung"),
    "provider_notes": ("Provider notes", "Hinweise zu Providern"),
    "related": ("Related codes", "Verwandte Codes"),
    "references": ("References", "Quellen"),
    "travels_with": ("Enhanced codes that travel with it", "Zugehörige erweiterte Codes"),
    "associated_basic": ("Associated basic codes (registry)", "Zugehörige einfache Antwortcodes (Registry)"),
    "in_practice": ("also seen in practice", "in der Praxis außerdem"),
    "registry": ("IANA registry", "IANA-Registry"),
    "reply_text": ("Standard reply text", "Standard-Antworttext"),
    "decision": ("Decision", "Entscheidung"),
    "schedule": ("MTA queue schedule", "Zeitplan der MTA-Queue"),
    "backoff": ("Backoff (min)", "Wartezeiten (min)"),
    "application_plan": ("Application via relay", "Anwendung über Relay"),
    "attempts": ("attempts", "Versuche"),
    "slow_down": ("Rate or reputation deferral", "Zurückstellung wegen Rate oder Reputation"),
    "max_attempts": ("Maximum attempts", "Höchstzahl Versuche"),
    "give_up": ("Give up after", "Aufgeben nach"),
    "log_level": ("Log level", "Log-Level"),
    "replaced_by": ("Replaced by", "Ersetzt durch"),
    "one_day": ("{n} day", "{n} Tag"),
    "days": ("{n} days", "{n} Tage"),
    "hours": ("{n} h", "{n} h"),
    # the parts of a code (kb.digits)
    "position.first_digit": ("first digit", "erste Ziffer"),
    "position.second_digit": ("second digit", "zweite Ziffer"),
    "position.third_digit": ("third digit", "dritte Ziffer"),
    "position.class": ("class", "Klasse"),
    "position.subject": ("subject", "Subjekt"),
    "position.detail": ("detail", "Detail"),
    "not_defined": ("Not defined", "Nicht definiert"),
    # ---- an explanation's sections and labels
    "verdict": ("Verdict", "Urteil"),
    "reason": ("Reason", "Grund"),
    "why": ("Why", "Warum"),
    "findings": ("Findings", "Befunde"),
    "provider": ("Provider", "Provider"),
    "parsed": ("Read from the input", "Aus der Eingabe gelesen"),
    "form": ("Read as", "Gelesen als"),
    "command": ("Command", "Kommando"),
    "recipient": ("Recipient", "Empfänger"),
    "host": ("Remote host", "Gegenstelle"),
    "domain": ("Domain", "Domain"),
    "ip": ("IP address", "IP-Adresse"),
    "remedy": ("What to do", "Was tun"),
    "no_code": ("No reply code found", "Kein Antwortcode gefunden"),
    "address": ("Address", "Adresse"),
    "fix": ("Who fixes what", "Wer was behebt"),
    "facts": ("Read from the reply", "Aus der Antwort gelesen"),
    "retry_plans": ("Retry plans by role", "Wiederholung je nach Rolle"),
    "crosswalk": ("In other tools' terms", "In den Begriffen anderer Werkzeuge"),
    "loses_detail": ("coarser than ours", "gröber als unsere Einteilung"),
    "explanation": ("Explanation", "Erklärung"),
    # ---- the words of data values
    "value.standard": ("standard", "Standard"), "value.extension": ("extension", "Erweiterung"),
    "value.non-standard": ("non-standard", "nicht standardisiert"), "value.deprecated": ("deprecated", "veraltet"),
    "value.draft": ("draft", "Entwurf"), "value.provider-specific": ("provider-specific", "providerspezifisch"),
    "value.unregistered": ("unregistered", "nicht registriert"),
    "value.retry": ("retry", "erneut versuchen"),
    "value.retry-after-fix": ("retry after fixing the cause", "nach Behebung erneut senden"),
    "value.do-not-retry": ("do not retry", "nicht wiederholen"),
    "value.not-applicable": ("nothing to retry", "keine Wiederholung nötig"),
    "value.sender": ("sender", "Absender"), "value.sending-admin": ("sending admin", "Admin des Absenders"),
    "value.receiving-admin": ("receiving admin", "Admin des Empfängers"), "value.recipient": ("recipient", "Empfänger"),
    "value.developer": ("developer", "Entwickler"),
    "value.success": ("success", "Erfolg"), "value.intermediate": ("intermediate", "Zwischenantwort"),
    "value.transient": ("transient", "vorübergehend"), "value.permanent": ("permanent", "dauerhaft"),
    "value.unknown": ("unknown", "unbekannt"),
    "value.slow-down": ("send less to this destination, not more often", "weniger an dieses Ziel senden, nicht öfter"),
    "value.hard": ("hard bounce", "Hard Bounce"), "value.soft": ("soft bounce", "Soft Bounce"),
    "value.none": ("no bounce", "kein Bounce"),
    "value.suppress-true": ("suppress it: the address itself cannot receive mail",
                            "unterdrücken: die Adresse selbst kann keine Mails empfangen"),
    "value.suppress-false": ("keep it: the address is not the problem", "behalten: die Adresse ist nicht das Problem"),
    "value.suppress-null": ("unsure: the input does not say whether the address is bad",
                            "unsicher: die Eingabe sagt nicht, ob die Adresse ungültig ist"),
    "value.mta-queue": ("mail server queue (RFC 5321 §4.5.4.1)", "Queue eines Mailservers (RFC 5321 §4.5.4.1)"),
    "value.application": ("application submitting through a relay", "Anwendung, die über ein Relay einliefert"),
    "value.debug": ("debug", "Debug"), "value.info": ("info", "Info"), "value.warning": ("warning", "Warnung"),
    "value.error": ("error", "Fehler"),
    # a status in one list row at 80 columns, where its value's words are too long
    "badge.non-standard": ("non-std", "nicht-std"), "badge.provider-specific": ("provider", "Provider"),
    "badge.unregistered": ("unregistered", "unregistriert"),
    # ---- lists and index pages
    "codes": ("Reply codes", "Antwortcodes"),
    "basic_codes": ("Basic reply codes", "Einfache Antwortcodes"),
    "enhanced_codes": ("Enhanced status codes", "Erweiterte Statuscodes"),
    "basic_short": ("Basic", "Einfach"),
    "enhanced_short": ("Enhanced", "Erweitert"),
    "code": ("Code", "Code"),
    "title": ("Title", "Titel"),
    "class": ("Class", "Klasse"),
    "subject": ("Subject", "Subjekt"),
    "count": ("Count", "Anzahl"),
    "n_codes": ("Codes", "Codes"),
    "outcome": ("Outcome", "Ergebnis"),
    "retry_column": ("Retry", "Wiederholung"),
    "first_line": ("First line", "Erste Zeile"),
    "group_empty": ("No codes recorded in this group yet.", "In dieser Gruppe sind noch keine Codes erfasst."),
    "digits": ("Digits", "Ziffern"),
    "position": ("Position", "Position"),
    "most_common": ("most common in the records", "am häufigsten in den Einträgen"),
    # ---- the documentation site
    "data": ("This record as data", "Dieser Eintrag als Daten"),
    "source": ("Source", "Quelle"),
    "providers": ("Providers and MTAs", "Provider und MTAs"),
    "no_providers": ("No provider files have been recorded yet.", "Es sind noch keine Provider-Dateien erfasst."),
    "signatures": ("Reply signatures", "Antwortsignaturen"),
    "pattern": ("Text pattern", "Textmuster"),
    "deviation": ("Deviation from the registry", "Abweichung von der Registry"),
    "domains": ("Domains", "Domains"),
    "provider_kind.mailbox-provider": ("mailbox provider", "Mailbox-Provider"),
    "provider_kind.mta": ("mail transfer agent", "Mailserver-Software (MTA)"),
    "seen_at": ("Seen at providers", "Bei Providern"),
    "guide_temporary": ("How to handle temporary failures", "Leitfaden: temporäre Fehler richtig behandeln"),
    "jump_label": ("Go to a code", "Zu einem Code springen"),
    "jump_placeholder": ("421, 4.7.0, 5.7.26 …", "421, 4.7.0, 5.7.26 …"),
    "jump_unknown": ("No page for this code; searching instead.", "Keine Seite zu diesem Code; es wird gesucht."),
    # mkdocs.yml's own words (navigation, palette toggle, description); tests/site/test_config_words.py ties them here
    "nav.basic_codes": ("Basic codes", "Einfache Codes"),
    "nav.enhanced_codes": ("Enhanced codes", "Erweiterte Codes"),
    "nav.guides": ("Guides", "Leitfäden"),
    "palette.to_dark": ("Switch to dark mode", "Zum dunklen Farbschema wechseln"),
    "palette.to_light": ("Switch to light mode", "Zum hellen Farbschema wechseln"),
    "site_description": ("SMTP reply codes explained, basic (421) and enhanced (4.7.0), with causes, remedies and "
                         "retry guidance",
                         "SMTP-Antwortcodes erklärt, einfach (421) und erweitert (4.7.0), mit Ursachen, Lösungen und "
                         "Hinweisen zur Wiederholung"),
    "search_other": ("Search the German edition", "In der englischen Ausgabe suchen"),
    "not_found": ("Page not found", "Seite nicht gefunden"),
    "not_found_text": ("There is no page at this address. Search above for a code or a word, paste the bounce you "
                       "are looking into below, or go to the",
                       "Unter dieser Adresse gibt es keine Seite. Suchen Sie oben nach einem Code oder Stichwort, "
                       "fügen Sie unten die Fehlermeldung oder den Unzustellbarkeitsbericht ein, dem Sie nachgehen, oder gehen Sie zur"),
    "home_page": ("home page", "Startseite"),
    "open": ("Open", "Öffnen"),
    "explain": ("Explain", "Erklären"),
    "explain_label": ("Paste a bounce: a reply, a log line or DSN fields",
                      "Bounce einfügen: eine Antwort, eine Logzeile oder DSN-Felder"),
    "explain_share": ("put the text into the address (#) to share it", "Text zum Teilen in die Adresse (#) übernehmen"),
    "explain_note": ("The explanation runs in your browser (the smtp-kb library in Pyodide, about 10 MB, loaded from "
                     "this site on first use); nothing you paste is sent anywhere. The address only carries the text if "
                     "you tick the box.",
                     "Die Erklärung läuft in Ihrem Browser (die smtp-kb-Bibliothek in Pyodide, etwa 10 MB, beim ersten "
                     "Mal von dieser Seite geladen); nichts von dem Eingefügten wird irgendwohin gesendet. Die Adresse "
                     "enthält den Text nur, wenn Sie das Kästchen ankreuzen."),
    "explain_loading": ("Loading the explainer …", "Der Erklärer wird geladen …"),
    "explain_failed": ("The explainer could not be loaded", "Der Erklärer konnte nicht geladen werden"),
    "explain_missing": ("The in-browser explainer is not part of this build (run `make pyodide`); `smtpkb explain` "
                        "gives the same answer.",
                        "Der Erklärer im Browser ist nicht Teil dieses Builds (`make pyodide` ausführen); "
                        "`smtpkb explain` gibt dieselbe Antwort."),
    "file": ("File", "Datei"),
    "size": ("Size", "Größe"),
    "bytes": ("bytes", "Bytes"),
    "version": ("Version", "Version"),
    "built": ("Built on", "Erstellt am"),
    "records": ("Records", "Einträge"),
    "licence": ("Licence", "Lizenz"),
    "licence_text": ("none declared yet: the project has not published a licence for the data; ask before reusing it",
                     "noch keine: Das Projekt hat für die Daten noch keine Lizenz veröffentlicht; vor einer "
                     "Weiterverwendung bitte nachfragen"),
    # ---- the delivery report (smtpkb report)
    "report_title": ("Mail delivery report", "Bericht zur Mailzustellung"),
    "report_entries": ("entries read (log lines, or recipients of bounce mails)",
                       "gelesene Einträge (Logzeilen oder Empfänger von Unzustellbarkeitsberichten)"),
    "report_failures": ("deferrals and rejections", "Zurückstellungen und Ablehnungen"),
    "by_reason": ("By reason", "Nach Grund"),
    "by_code": ("By code", "Nach Code"),
    "by_provider": ("By provider", "Nach Provider"),
    "top_domains": ("Top destination domains", "Häufigste Zieldomains"),
    "over_time": ("Failures over time, by reason", "Fehler im Zeitverlauf, nach Grund"),
    "to_suppress": ("Addresses to suppress (the address itself is bad)",
                    "Zu sperrende Adressen (die Adresse selbst ist ungültig)"),
    "sender_side": ("Problems on the sending side to fix", "Probleme auf der Absenderseite, die zu beheben sind"),
    "cases": ("Distinct cases", "Unterschiedliche Fälle"),
    "deferred": ("deferred", "zurückgestellt"),
    "rejected": ("rejected", "abgelehnt"),
    "more_entries": ("{n} more entries not listed", "{n} weitere Einträge nicht aufgeführt"),
    "none_listed": ("none", "keine"),
    "no_time": ("The input carries no timestamps.", "Die Eingabe enthält keine Zeitstempel."),
    "generated": ("Generated by smtp-kb from {n} entries.", "Erstellt von smtp-kb aus {n} Einträgen."),
    # ---- the sentences of an explanation (kb.explainer): what was read, why, what to look at
    "seen.ip": ("IP address named: {ip}", "Genannte IP-Adresse: {ip}"),
    "seen.domain": ("Recipient domain: {domain}", "Empfängerdomain: {domain}"),
    "seen.command": ("Refused at the SMTP stage: {command}", "Abgewiesen in der SMTP-Phase: {command}"),
    "seen.check_failed": ("{check} did not pass", "{check} nicht bestanden"),
    "seen.checks_for": ("{checks} for {domain}", "{checks} für {domain}"),
    "seen.inner_reply": ("Quoted inner reply: {reply}", "Zitierte innere Antwort: {reply}"),
    "why.parse": ("read as {form}: {codes}", "gelesen als {form}: {codes}"),
    "why.parse_stage": ("read as {form}: {codes}; stage {command}", "gelesen als {form}: {codes}; Phase {command}"),
    "why.no_code": ("no code", "kein Code"),
    "why.provider_marker": ("{name}: “{marker}” in the reply or host name", "{name}: „{marker}“ in Antwort oder Hostname"),
    "why.provider_domain": ("{name}: recipient domain {domain}", "{name}: Empfängerdomain {domain}"),
    "why.provider_given": ("{name}: named by the caller", "{name}: vom Aufrufer angegeben"),
    "why.provider_format": ("{name}: the input is in its log or report format",
                            "{name}: die Eingabe hat sein Log- oder Berichtsformat"),
    "why.signature": ("{signature} matched “{quote}” → {reason}", "{signature} passt auf „{quote}“ → {reason}"),
    "why.text_rule": ("the text says “{quote}” → {reason}", "der Text sagt „{quote}“ → {reason}"),
    "why.text_wins": ("the text says “{quote}” → {reason}; the text is more specific than the code ({code_reason}), "
                      "so the text wins",
                      "der Text sagt „{quote}“ → {reason}; der Text ist genauer als der Code ({code_reason}) und gewinnt"),
    "why.inner_reply": ("the quoted reply {codes} → {reason}", "die zitierte Antwort {codes} → {reason}"),
    "why.stock_wording": ("the stock wording “{quote}” → {reason}", "die Standardformulierung „{quote}“ → {reason}"),
    "why.stage": ("refused at {command}: {reason} → {staged}", "abgewiesen bei {command}: {reason} → {staged}"),
    "why.general_refusal": ("a general refusal", "allgemeine Ablehnung"),
    "why.last_error": ("the last error before expiry: {codes} → {reason}",
                       "der letzte Fehler vor dem Ablauf: {codes} → {reason}"),
    "why.returned": ("the report says {said}: the message was returned",
                     "der Bericht sagt {said}: die Nachricht ging zurück"),
    "why.queued": ("the report says {said}: the message is still queued",
                   "der Bericht sagt {said}: die Nachricht liegt noch in der Queue"),
    "why.outcome_hint": ("no code; the text says “{quote}” → {outcome} for this message",
                         "kein Code; der Text sagt „{quote}“ → {outcome} für diese Nachricht"),
    "why.provider_treats": ("{provider} treats this as {outcome}", "{provider} behandelt das als {outcome}"),
    "why.class": ("class {klass} → {reason}", "Klasse {klass} → {reason}"),
    "why.address_level": ("{reason} is about the address → bounce {bounce}, suppress the address: {said}",
                          "{reason} betrifft die Adresse → Bounce {bounce}, Adresse unterdrücken: {said}"),
    "why.not_address_level": ("{reason} is not about the address → bounce {bounce}, suppress the address: {said}",
                              "{reason} betrifft nicht die Adresse → Bounce {bounce}, Adresse unterdrücken: {said}"),
    "yes": ("yes", "ja"),
    "no": ("no", "nein"),
    "unsure": ("unsure", "offen"),
    "finding.guessed": ("The code was picked out of free text; check that it is the server's reply code.",
                        "Der Code wurde aus freiem Text herausgelesen; prüfen Sie, ob es der Antwortcode des Servers ist."),
    "finding.unregistered": ("{code} has no record and is not registered; it is explained by its structure only.",
                             "{code} hat keinen Eintrag und ist nicht registriert; erklärt wird nur sein Aufbau."),
    "finding.non_standard": ("{code} is not defined by any RFC; its meaning varies between servers.",
                             "{code} ist in keinem RFC definiert; die Bedeutung schwankt je nach Server."),
    "finding.deprecated": ("{code} is deprecated.", "{code} ist veraltet."),
    "finding.deprecated_use": ("{code} is deprecated (use {replacement}).", "{code} ist veraltet (stattdessen {replacement})."),
    "finding.class_mismatch": ("The enhanced class {enhanced} disagrees with the basic class {basic}; the basic code "
                               "decides what the client does.",
                               "Die erweiterte Klasse {enhanced} widerspricht der Klasse {basic} des einfachen Codes; "
                               "was der Client tut, entscheidet der einfache Code."),
    "finding.no_code": ("No SMTP reply code was found in the input.", "In der Eingabe wurde kein SMTP-Antwortcode gefunden."),
    "finding.provider_deviation": ("{name} uses {code} for: {provider_meaning} Registry meaning: {registry_meaning}",
                                   "{name} verwendet {code} für: {provider_meaning} Bedeutung laut Registry: "
                                   "{registry_meaning}"),
    "finding.unsure": ("The input does not say whether the address itself is bad; do not suppress it on this alone.",
                       "Die Eingabe sagt nicht, ob die Adresse selbst ungültig ist; sie nicht allein deshalb unterdrücken."),
    # ---- bounce mails (kb.mail): the facts read from a mail, what kind of mail it is, and why
    "fact.recipient": ("Recipient", "Empfänger"),
    "fact.recipient_routed": ("Recipient (the final one, {final}, names no domain)",
                              "Empfänger (der endgültige, {final}, nennt keine Domain)"),
    "fact.action": ("Action", "Aktion"),
    "fact.action_wording": ("Action (from the wording)", "Aktion (aus dem Wortlaut)"),
    "fact.status": ("Status", "Status"),
    "fact.stage": ("SMTP stage", "SMTP-Phase"),
    "fact.remote_mta": ("Remote MTA", "Entfernter MTA"),
    "fact.reporting_mta": ("Reporting MTA", "Meldender MTA"),
    "fact.original_recipient": ("Original recipient", "Ursprünglicher Empfänger"),
    "fact.original_sender": ("Original sender", "Ursprünglicher Absender"),
    "fact.message_id": ("Message-ID", "Message-ID"),
    "fact.arrival_date": ("Arrived", "Eingegangen"),
    "fact.last_attempt_date": ("Last attempt", "Letzter Versuch"),
    "fact.will_retry_until": ("Will be retried until", "Weitere Versuche bis"),
    "fact.diagnostic": ("Diagnostic", "Diagnose"),
    "fact.diagnostic_remark": ("Diagnostic (the status remark)", "Diagnose (Anmerkung zum Status)"),
    "mail_kind.bounce": ("bounce", "Unzustellbarkeitsbericht"),
    "mail_kind.delay": ("delay warning", "Verzögerungsmeldung"),
    "mail_kind.delivery-report": ("delivery report", "Zustellbericht"),
    "mail_kind.auto-reply": ("automatic reply", "automatische Antwort"),
    "mail_kind.feedback-report": ("feedback report (ARF)", "Feedback-Bericht (ARF)"),
    "mail_kind.read-receipt": ("read receipt (MDN)", "Lesebestätigung (MDN)"),
    "mail_kind.not-a-bounce": ("not a bounce", "kein Unzustellbarkeitsbericht"),
    "mail_kind.unreadable": ("unreadable", "nicht lesbar"),
    "mail.where": ("Where each fact comes from", "Woher die Angaben stammen"),
    "mail.no_recipient": ("No recipient is named.", "Es wird kein Empfänger genannt."),
    "mail.remote": ("remote {host}", "Gegenstelle {host}"),
    "mail.arf": ("an ARF feedback report (RFC 5965): a complaint or abuse report about a message, not a bounce",
                 "ein ARF-Feedback-Bericht (RFC 5965): eine Beschwerde über eine Nachricht, kein Unzustellbarkeitsbericht"),
    "mail.mdn": ("a message disposition notification (RFC 8098): a read receipt, not a bounce",
                 "eine Empfangs- bzw. Lesebestätigung (MDN, RFC 8098), kein Unzustellbarkeitsbericht"),
    "mail.auto_submitted": ("Auto-Submitted: {value} (RFC 3834) and no delivery report: an automatic reply",
                            "Auto-Submitted: {value} (RFC 3834) und kein Zustellbericht: eine automatische Antwort"),
    "mail.auto_header": ("header {name} and no delivery report: an automatic reply",
                         "Header {name} und kein Zustellbericht: eine automatische Antwort"),
    "mail.auto_subject": ("the subject or Precedence says automatic reply, and there is no delivery report",
                          "Betreff bzw. Precedence nennen eine automatische Antwort, und es gibt keinen Zustellbericht"),
    "mail.dsn_part": ("delivery report ({rfc}): {n} recipient(s)", "Zustellbericht ({rfc}): {n} Empfänger"),
    "mail.empty": ("the input is empty", "die Eingabe ist leer"),
    "mail.truncated": ("The mail is larger or more deeply nested than this reader's bounds; only its first part was "
                       "read ({mib} MiB, {depth} levels, {parts} parts).",
                       "Die Mail ist größer oder tiefer verschachtelt als die Grenzen dieses Lesers; gelesen wurde nur "
                       "ihr Anfang ({mib} MiB, {depth} Ebenen, {parts} Teile)."),
    "mail.text_format": ("human-readable text in {format} format: {n} recipient(s)",
                         "lesbarer Text im Format {format}: {n} Empfänger"),
    "mail.generic_format": ("No known bounce format was recognised; recipients were picked out of the text by generic "
                            "rules.",
                            "Kein bekanntes Bounce-Format erkannt; die Empfänger wurden mit allgemeinen Regeln aus dem "
                            "Text gelesen."),
    "mail.attached": ("the delivery report is attached whole as part {part} (message/rfc822); read from there",
                      "der Zustellbericht hängt vollständig als Teil {part} (message/rfc822) an; von dort gelesen"),
    "mail.not_a_bounce": ("no delivery report, and no recipient in a known bounce format: not read as a bounce",
                          "kein Zustellbericht und kein Empfänger in einem bekannten Bounce-Format: nicht als "
                          "Unzustellbarkeitsbericht gelesen"),
    "mail.too_many": ("The report names more recipients than this reader takes; the first {n} are explained.",
                      "Der Bericht nennt mehr Empfänger, als dieser Leser übernimmt; erklärt werden die ersten {n}."),
    "mail.kind_actions": ("{kind}: actions {actions}", "{kind}: Aktionen {actions}"),
    "mail.stage": ("SMTP stage: {stage} (read from the diagnostic)", "SMTP-Phase: {stage} (aus der Diagnose gelesen)"),
    "mail.no_diagnostic": ("The report gives no diagnostic text for this recipient; the verdict rests on its status "
                           "alone.",
                           "Der Bericht nennt für diesen Empfänger keinen Diagnosetext; das Urteil stützt sich nur auf "
                           "den Status."),
    "mail.status_mismatch": ("The report's Status {status} disagrees with the code in the diagnostic ({said}); the "
                             "diagnostic is the receiving server's own word and is explained.",
                             "Der Status {status} des Berichts widerspricht dem Code in der Diagnose ({said}); erklärt "
                             "wird die Diagnose, die Antwort des empfangenden Servers."),
    "mail.status_class_mismatch": ("The report's Status {status} (class {klass}) disagrees with the reply code {said} "
                                   "in the diagnostic.",
                                   "Der Status {status} des Berichts (Klasse {klass}) widerspricht dem Antwortcode "
                                   "{said} in der Diagnose."),
    "mail.explained_as": ("explained as: {block}", "erklärt als: {block}"),
    "fact.recipient_completed": ("Recipient (named only as “{local}”; the domain was taken {source})",
                                 "Empfänger (nur als „{local}“ genannt; die Domain stammt {source})"),
    "fact.recipient_local_only": ("Recipient (named only by its local part; no domain is known)",
                                  "Empfänger (nur mit dem lokalen Teil genannt; keine Domain bekannt)"),
    "mail.domain_from_returned": ("from the returned message's {field} header ({address})",
                                  "aus dem {field}-Header der zurückgesandten Nachricht ({address})"),
    "mail.domain_from_sender": ("from the bounce's sender ({sender})", "vom Absender des Unzustellbarkeitsberichts ({sender})"),
    "mail.domain_from_parent": ("from the bounce's sender ({sender}): the parent domain that the bounce's own text "
                                "uses in addresses",
                                "vom Absender des Unzustellbarkeitsberichts ({sender}): die übergeordnete Domain, die "
                                "dessen eigener Text in Adressen verwendet"),
    "mail.local_part_only": ("The bounce names this recipient only as “{local}”; the domain {domain} was taken "
                             "{source}. Check the address before acting on it.",
                             "Der Unzustellbarkeitsbericht nennt diesen Empfänger nur als „{local}“; die Domain {domain} stammt "
                             "{source}. Prüfen Sie die Adresse, bevor Sie danach handeln."),
    "mail.local_part_no_domain": ("The bounce names this recipient only as “{local}” and gives no domain for it.",
                                  "Der Unzustellbarkeitsbericht nennt diesen Empfänger nur als „{local}“, aber keine Domain."),
    # ---- the terminal browser
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
    "broken": ("The knowledge base cannot be read", "Die Wissensbasis kann nicht gelesen werden"),
    "no_record": ("No record for {code}", "Kein Eintrag für {code}"),
    "no_record_hint": ("Explained from the structure of the code:", "Erklärt anhand des Aufbaus des Codes:"),
    "truncated": ("Showing the first {shown} of {total} characters.",
                  "Angezeigt werden die ersten {shown} von {total} Zeichen."),
    "explain_title": ("Paste a reply, DSN or log line (several lines are fine)",
                      "Antwort, DSN oder Logzeile einfügen (mehrere Zeilen sind möglich)"),
    "explain_button": ("Explain (ctrl+e)", "Erklären (Strg+E)"),
    "cancel_button": ("Cancel (esc)", "Abbrechen (Esc)"),
    "palette_related": ("Related to {code}", "Verwandt mit {code}"),
    "palette_placeholder": ("Code number or words…", "Codenummer oder Wörter …"),
    "search": ("Search", "Suchen"),
    "back": ("Back", "Zurück"),
    "forward": ("Forward", "Vor"),
    "other_language": ("Deutsch", "English"),
    "theme": ("Theme", "Farben"),
    "help": ("Help", "Hilfe"),
    "quit": ("Quit", "Beenden"),
    "browse": ("Browse", "Blättern"),
    "list": ("List", "Liste"),
    "links": ("Links", "Links"),
    "copy": ("Copy", "Kopieren"),
    "save_md": ("Save .md", "Als .md sichern"),
    "both_languages": ("Both languages", "Beide Sprachen"),
    "palette": ("Palette", "Befehle"),
    "links_title": ("Links in this page: enter or the number follows one, esc closes",
                    "Links auf dieser Seite: Enter oder die Nummer folgt einem, Esc schließt"),
    "no_links": ("This page has no links", "Diese Seite hat keine Links"),
    "copied": ("Copied to the clipboard", "In die Zwischenablage kopiert"),
    "exported": ("Saved as {path}", "Gespeichert als {path}"),
    "export_failed": ("Could not save: {error}", "Speichern fehlgeschlagen: {error}"),
    "log_title": ("{n} distinct cases in {lines} lines: enter explains one, / filters, ctrl+o sorts by the "
                  "cursor's column, esc closes",
                  "{n} verschiedene Fälle in {lines} Zeilen: Enter erklärt einen, / filtert, Strg+O sortiert nach "
                  "der Spalte unter dem Cursor, Esc schließt"),
    "log_filter": ("Filter the cases (code, reason, provider, text)", "Fälle filtern (Code, Grund, Provider, Text)"),
    "open_log_title": ("Path of a log file to read (enter opens, esc cancels)",
                       "Pfad einer Logdatei (Enter öffnet, Esc bricht ab)"),
    "open_log_failed": ("Cannot read {path}: {error}", "{path} kann nicht gelesen werden: {error}"),
    "cmd_open_log": ("Open a log file", "Logdatei öffnen"),
    "cmd_open_log_help": ("Read a mail log and list its distinct cases", "Ein Mail-Log lesen und seine Fälle auflisten"),
    "cmd_explain": ("Explain a pasted text", "Eingefügten Text erklären"),
    "cmd_explain_help": ("A box for a long reply, DSN or log", "Ein Feld für eine lange Antwort, einen DSN oder ein Log"),
    "cmd_help_help": ("Keys and how to use the browser", "Tasten und Bedienung"),
    "cmd_language_help": ("Switch the language", "Sprache wechseln"),
    "cmd_theme": ("Light or dark theme", "Helles oder dunkles Farbschema"),
    "cmd_theme_help": ("Switch the colours", "Farben wechseln"),
    "cmd_quit_help": ("Leave the browser", "Den Browser verlassen"),
    "cmd_history": ("Explain again: {text}", "Erneut erklären: {text}"),
    "cmd_history_help": ("Pasted earlier in this session", "Früher in dieser Sitzung eingefügt"),
    "history_start": ("Already at the oldest page", "Schon auf der ältesten Seite"),
    "history_end": ("Already at the newest page", "Schon auf der neuesten Seite"),
    "language_now": ("Language: English", "Sprache: Deutsch"),
    # The browser's first screen: short, so that it is on screen at once (a full record takes Textual much
    # longer to lay out).
    "welcome_page": ("""\
# smtp-kb

Type a **code** (`421`, `4.7.0`, `X.7.26`) or **words** (`greylisting`, `mailbox full`) in the field above,
or **paste a bounce**: a reply line, a multi-line reply, a DSN or an MTA log line. The explanation says
whether to retry, who has to act and why.

- **↑ ↓** browse the list (also from the field), **enter** opens a code, **tab** reaches the record
- **esc** back to the field, **alt+← →** back and forward, **ctrl+p** find a code or open a log file
- **ctrl+e** explain a long paste, **?** help, **F2** Deutsch, **ctrl+q** quit

## Reading a code

- **421**: {basic}
- **4.7.0**: {enhanced}
""", """\
# smtp-kb

Geben Sie oben einen **Code** (`421`, `4.7.0`, `X.7.26`) oder **Wörter** (`Greylisting`, `Postfach voll`) ein,
oder **fügen Sie einen Unzustellbarkeitsbericht ein**: eine Antwortzeile, eine mehrzeilige Antwort,
einen DSN oder eine MTA-Logzeile. Die Erklärung sagt, ob ein neuer Versuch lohnt, wer handeln muss und warum.

- **↑ ↓** durch die Liste (auch aus dem Suchfeld), **Enter** öffnet einen Code, **Tab** springt zum Eintrag
- **Esc** zurück ins Suchfeld, **Alt+← →** zurück und vor, **Strg+P** Code finden oder Logdatei öffnen
- **Strg+E** lange Eingabe erklären, **?** Hilfe, **F2** English, **Strg+Q** beenden

## Codes lesen

- **421**: {basic}
- **4.7.0**: {enhanced}
"""),
    "help_page": ("""\
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
""", """\
# smtp-kb Terminal-Browser

SMTP-Antwortcodes nachschlagen und Unzustellbarkeitsberichte erklären, auf Deutsch oder Englisch.

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
"""),
}

# Entries whose German is rightly the English: names, codes, units and loanwords German admins use as they are.
SAME_IN_BOTH: frozenset[str] = frozenset({
    "status", "provider", "domain", "code", "n_codes", "position", "domains", "jump_placeholder", "version", "links",
    "hours", "fact.status", "fact.message_id",
})


def text(key: str, lang: str = "en", **values: object) -> str:
    """The entry ``key`` in ``lang`` (``"de"`` or anything else for English), with ``{name}`` filled in."""
    words = WORDS[key][lang == "de"]
    return words.format(**values) if values else words


def say(key: str, **values: object) -> Text:
    """The entry ``key`` in both languages. A value that is itself a ``Text`` fills each language with its own."""
    en, de = WORDS[key]
    if not values:
        return Text(en, de)
    if any(isinstance(v, Text) for v in values.values()):
        return Text(en.format(**{k: v.en if isinstance(v, Text) else v for k, v in values.items()}),
                    de.format(**{k: v.de if isinstance(v, Text) else v for k, v in values.items()}))
    return Text(en.format(**values), de.format(**values))


def value(key: str, lang: str = "en") -> str:
    """The words for a data value (``transient`` -> ``vorübergehend``); a value without an entry as it is."""
    pair = WORDS.get("value." + key)
    return key if pair is None else pair[lang == "de"]


def hours(h: int, lang: str) -> str:
    """``120`` -> ``5 days`` / ``5 Tage``; hours that are not whole days stay hours."""
    if h % 24:
        return text("hours", lang, n=h)
    d = h // 24
    return text("one_day" if d == 1 else "days", lang, n=d)
