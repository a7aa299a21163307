"""The bounce reason taxonomy and the generic rules that pick a reason.

How a reason is decided (kb.explain applies the first step that gives one, and records why):
1. a provider signature (codes/providers/*.yaml) whose pattern matches the reply text;
2. a generic text rule below: the reply text is more specific than its code, so the text wins
   (a ``550 5.1.1`` that says "rate limited" is rate-limited, not user-unknown);
3. the enhanced code (ENHANCED_REASON, by subject.detail, then by subject);
4. the basic code (BASIC_REASON);
5. the class: 2 -> success, anything else -> unknown.
"""

from __future__ import annotations

from .model import Text

# reason -> (label, who usually has to act)
REASONS: dict[str, tuple[Text, tuple[str, ...]]] = {
    "user-unknown": (Text("User unknown", "Empfänger unbekannt"), ("sender",)),
    "mailbox-full": (Text("Mailbox full", "Postfach voll"), ("recipient",)),
    "mailbox-disabled": (Text("Mailbox disabled", "Postfach deaktiviert"), ("recipient", "sender")),
    "message-too-large": (Text("Message too large", "Nachricht zu groß"), ("sender",)),
    "rate-limited": (Text("Rate limited", "Drosselung (Rate-Limit)"), ("sending-admin",)),
    "greylisted": (Text("Greylisted", "Greylisting"), ("sending-admin",)),
    "sender-authentication": (Text("Sender authentication failed (SPF, DKIM, DMARC, ARC)", "Absender-Authentifizierung fehlgeschlagen (SPF, DKIM, DMARC, ARC)"), ("sending-admin",)),
    "smtp-auth": (Text("SMTP authentication failed", "SMTP-Anmeldung fehlgeschlagen"), ("sender", "sending-admin")),
    "blocked": (Text("Blocked or bad reputation", "Blockiert oder schlechte Reputation"), ("sending-admin",)),
    "policy": (Text("Policy or spam rejection", "Abgelehnt durch Richtlinie oder Spamfilter"), ("sending-admin", "receiving-admin")),
    "content": (Text("Content rejected", "Inhalt abgelehnt"), ("sender",)),
    "relaying-denied": (Text("Relaying denied", "Relaying verweigert"), ("sending-admin",)),
    "tls-required": (Text("TLS required or failed", "TLS erforderlich oder fehlgeschlagen"), ("sending-admin", "receiving-admin")),
    "network": (Text("Network or routing problem", "Netzwerk- oder Routingproblem"), ("sending-admin", "receiving-admin")),
    "system": (Text("Receiving system error", "Fehler im Empfangssystem"), ("receiving-admin",)),
    "expired": (Text("Delivery time expired", "Zustellzeit abgelaufen"), ("sending-admin",)),
    "protocol": (Text("Protocol or syntax error", "Protokoll- oder Syntaxfehler"), ("developer", "sending-admin")),
    "success": (Text("Success", "Erfolg"), ()),
    "unknown": (Text("Unclassified", "Nicht zugeordnet"), ("sending-admin",)),
}

# Generic text rules, most specific first: (reason, phrases, words). A rule fires when the lower-cased reply
# text contains one of its phrases, or one of its words as a whole word. Plain substrings rather than
# regular expressions: no compile on a cold start, and a handful of str.find calls per line in batch mode.
TEXT_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("greylisted", ("greylist", "grey list", "graylist", "gray list"), ()),
    ("rate-limited", ("rate limit", "rate-limit", "ratelimit", "too many connections", "too many messages",
                      "too many recipients from", "unusual rate", "sending rate", "throttl", "too fast", "slow down",
                      "rate of ", "at a rate", "exceeded the rate", "receiving mail too quickly"), ()),
    ("sender-authentication", ("unauthenticated", "sender authentication", "authentication check",
                               "does not pass authentication", "fails to pass authentication"),
     ("spf", "dkim", "dmarc", "arc")),
    ("smtp-auth", ("sasl", "authentication failed", "authentication credentials invalid", "authentication required",
                   "invalid credentials", "username and password not accepted", "authentication mechanism",
                   "auth mechanism", "not authenticated"), ()),
    ("tls-required", ("starttls", "encryption required", "encryption needed"), ("tls",)),
    ("relaying-denied", ("relay access denied", "relaying denied", "relay denied", "relay not permitted",
                         "relaying not permitted", "relay not allowed", "relaying not allowed", "relaying prohibited",
                         "not permitted to relay", "unable to relay", "we do not relay"), ()),
    ("blocked", ("blocklist", "block list", "blacklist", "black list", "spamhaus", "barracuda", "spamcop", "blocked",
                 "reputation", "banned"), ("rbl", "dnsbl", "listed")),
    ("mailbox-full", ("mailbox full", "mailbox is full", "quota", "insufficient storage", "insufficient space",
                      "storage allocation", "storage limit", "exceeded storage", "mailbox size", "postfach voll"), ()),
    ("message-too-large", ("message size", "message too big", "message too large", "too large", "exceeds the maximum",
                           "exceeds maximum", "exceed the maximum", "exceeds size", "size limit", "message_size_limit"), ()),
    ("mailbox-disabled", ("mailbox disabled", "mailbox is disabled", "account disabled", "account is disabled",
                          "inactive", "suspended", "deactivated", "account locked", "mailbox locked", "no longer active",
                          "no longer available", "mailbox unavailable", "mailbox not available", "is disabled"), ()),
    # a rejected *sender* is not an unknown recipient: checked before the recipient phrases below
    ("policy", ("sender address rejected", "not owned by user", "sender rejected", "sender verify failed"), ()),
    ("user-unknown", ("user unknown", "unknown user", "no such user", "no such mailbox", "no such recipient",
                      "recipient rejected", "recipient not found", "recipient unknown", "recipient address rejected",
                      "does not exist", "doesn't exist", "address rejected", "address not found", "address unknown",
                      "invalid recipient", "invalid mailbox", "invalid address", "recipientnotfound", "recipnotfound",
                      "mailbox not found", "not our customer", "unrouteable address", "no mailbox here"), ()),
    ("content", ("virus", "malware", "content rejected", "content filter", "attachment", "phishing"), ("spam",)),
    ("expired", ("expired", "delivery time", "too long in queue", "message timed out"), ()),
    ("network", ("connection timed out", "connection refused", "connection reset", "timed out", "time out", "timeout",
                 "no route to host", "host not found", "name service error", "no mx", "unable to connect",
                 "network unreachable", "network is unreachable"), ("dns",)),
    ("policy", ("policy", "not authorized", "not authorised", "access denied", "rejected", "refused", "prohibited"), ()),
    ("system", ("local error", "internal error", "internal server error", "temporary failure", "temporarily unavailable",
                "service not available", "service unavailable", "system error", "system busy", "resources",
                "error in processing"), ()),
)
_NON_WORD = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\t\r\n"})


# enhanced code (class-independent) -> reason; "X.7" entries cover a whole subject
ENHANCED_REASON: dict[str, str] = {
    "X.1.0": "user-unknown", "X.1.1": "user-unknown", "X.1.2": "network", "X.1.3": "user-unknown",
    "X.1.4": "user-unknown", "X.1.5": "success", "X.1.6": "user-unknown", "X.1.7": "protocol", "X.1.8": "policy",
    "X.1.9": "protocol", "X.1.10": "user-unknown",
    "X.2.0": "mailbox-disabled", "X.2.1": "mailbox-disabled", "X.2.2": "mailbox-full", "X.2.3": "message-too-large",
    "X.2.4": "system",
    "X.3.0": "system", "X.3.1": "system", "X.3.2": "system", "X.3.3": "protocol", "X.3.4": "message-too-large",
    "X.3.5": "system", "X.3.6": "success",
    "X.4.0": "network", "X.4.1": "network", "X.4.2": "network", "X.4.3": "network", "X.4.4": "network",
    "X.4.5": "rate-limited", "X.4.6": "network", "X.4.7": "expired",
    "X.5.0": "protocol", "X.5.1": "protocol", "X.5.2": "protocol", "X.5.3": "rate-limited", "X.5.4": "protocol",
    "X.5.5": "protocol", "X.5.6": "smtp-auth",
    "X.6": "content",
    "X.7.0": "policy", "X.7.1": "policy", "X.7.2": "policy", "X.7.3": "tls-required", "X.7.4": "tls-required",
    "X.7.5": "tls-required", "X.7.6": "tls-required", "X.7.7": "content", "X.7.8": "smtp-auth", "X.7.9": "smtp-auth",
    "X.7.10": "tls-required", "X.7.11": "tls-required", "X.7.12": "smtp-auth", "X.7.13": "mailbox-disabled",
    "X.7.14": "smtp-auth", "X.7.15": "policy", "X.7.16": "message-too-large", "X.7.17": "mailbox-disabled",
    "X.7.18": "mailbox-disabled", "X.7.19": "policy", "X.7.20": "sender-authentication",
    "X.7.21": "sender-authentication", "X.7.22": "sender-authentication", "X.7.23": "sender-authentication",
    "X.7.24": "sender-authentication", "X.7.25": "sender-authentication", "X.7.26": "sender-authentication",
    "X.7.27": "user-unknown", "X.7.28": "rate-limited", "X.7.29": "sender-authentication", "X.7.30": "tls-required",
    "X.7": "policy", "X.0": "unknown", "X.1": "user-unknown", "X.2": "mailbox-disabled", "X.3": "system",
    "X.4": "network", "X.5": "protocol",
}

BASIC_REASON: dict[str, str] = {
    "421": "system", "451": "system", "452": "mailbox-full", "454": "tls-required",
    "455": "protocol", "500": "protocol", "501": "protocol", "502": "protocol", "503": "protocol", "504": "protocol",
    "530": "smtp-auth", "534": "smtp-auth", "535": "smtp-auth", "538": "tls-required",
    "551": "user-unknown", "552": "mailbox-full", "553": "user-unknown", "554": "policy", "555": "protocol",
    "556": "user-unknown", "521": "system", "571": "policy", "432": "smtp-auth", "523": "tls-required",
    "524": "tls-required", "525": "mailbox-disabled", "533": "policy",
}


def label(reason: str) -> Text:
    return REASONS[reason][0]


def actors(reason: str) -> tuple[str, ...]:
    return REASONS[reason][1]


def from_text(text: str) -> tuple[str, str] | None:
    """(reason, matched phrase) of the first generic text rule that matches."""
    low = text.lower()
    words = None
    for reason, phrases, whole_words in TEXT_RULES:
        for p in phrases:
            if p in low:
                return reason, p
        if whole_words:
            if words is None:
                words = set(low.translate(_NON_WORD).split())
            for w in whole_words:
                if w in words:
                    return reason, w
    return None


def from_enhanced(generic: str) -> str | None:
    return ENHANCED_REASON.get(generic) or ENHANCED_REASON.get(generic.rsplit(".", 1)[0])
