"""The crosswalk (codes/reasons.yaml) names only terms the vendors publish, checked against their pages.

Each closed list below was copied from the page named beside it (checked 2026-12-04); a crosswalk value
outside it is a typo or a name written from memory. "none" means the vendor has no term for the reason."""

import kb

# https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html#bounce-types (bounce types table),
# plus the notification types Complaint and Delivery of the same page
SES = {"Undetermined/Undetermined", "Permanent/General", "Permanent/NoEmail", "Permanent/Suppressed",
       "Permanent/OnAccountSuppressionList", "Transient/General", "Transient/MailboxFull", "Transient/MessageTooLarge",
       "Transient/ContentRejected", "Transient/AttachmentRejected", "Complaint", "Delivery"}
# https://support.sparkpost.com/docs/deliverability/bounce-classification-codes, plus the spam_complaint event type
SPARKPOST = {"1 Undetermined", "10 Invalid Recipient", "20 Soft Bounce", "21 DNS Failure", "22 Mailbox Full",
             "23 Too Large", "24 Timeout", "25 Admin Failure", "30 Generic Bounce: No RCPT", "40 Generic Bounce",
             "50 Mail Block", "51 Spam Block", "52 Spam Content", "53 Prohibited Attachment", "54 Relaying Denied",
             "60 Auto-Reply", "70 Transient Failure", "80 Subscribe", "90 Unsubscribe", "100 Challenge-Response",
             "spam_complaint"}
# Bounces API classification values (GET /v3/suppression/bounces/classifications/{classification}), plus the
# Event Webhook's spamreport event
SENDGRID = {"Content", "Frequency or Volume Too High", "Invalid Address", "Mailbox Unavailable", "Reputation",
            "Technical Failure", "Unclassified", "spamreport"}
# https://postmarkapp.com/developer/api/bounce-api (bounce type filter)
POSTMARK = {"HardBounce", "Transient", "Unsubscribe", "Subscribe", "AutoResponder", "AddressChange", "DnsError",
            "SpamNotification", "OpenRelayTest", "Unknown", "SoftBounce", "VirusNotification", "ChallengeVerification",
            "BadEmailAddress", "SpamComplaint", "ManuallyDeactivated", "Unconfirmed", "Blocked", "SMTPApiError",
            "InboundError", "DMARCPolicy"}
# https://libsisimai.org/en/reason/ (lower-case reason names)
SISIMAI = {"authfailure", "badreputation", "blocked", "contenterror", "delivered", "exceedlimit", "expired",
           "failedstarttls", "feedback", "filtered", "hasmoved", "hostunknown", "mailboxfull", "mailererror",
           "mesgtoobig", "networkerror", "norelaying", "notaccept", "notcompliantrfc", "onhold", "policyviolation",
           "rejected", "requireptr", "securityerror", "spamdetected", "speeding", "suppressed", "suspend",
           "syntaxerror", "systemerror", "systemfull", "toomanyconn", "undefined", "userunknown", "vacation",
           "virusdetected"}
PUBLISHED = {"ses": SES, "sparkpost": SPARKPOST, "sendgrid": SENDGRID, "postmark": POSTMARK, "sisimai": SISIMAI}


def _table():
    return kb.table("reasons")


def test_every_value_is_a_published_term():
    for r in _table()["reasons"]:
        for vocab, mapped in r["crosswalk"].items():
            assert mapped["value"] == "none" or mapped["value"] in PUBLISHED[vocab], (r["id"], vocab, mapped)


def test_no_term_means_coarser_or_explained():
    """'none' for a bounce reason loses detail and says why; for a non-bounce it says what it is instead."""
    for r in _table()["reasons"]:
        for vocab, mapped in r["crosswalk"].items():
            if mapped["value"] == "none":
                assert mapped.get("note"), (r["id"], vocab)
                assert r.get("not_a_bounce") or mapped.get("loses_detail"), (r["id"], vocab)


def test_every_vocabulary_names_its_source_page():
    vocabularies = _table()["vocabularies"]
    assert set(vocabularies) == set(PUBLISHED)
    for vocab in vocabularies.values():
        assert vocab["url"].startswith("https://") and vocab["name"]


def test_address_level_reasons_map_to_address_terms():
    """Where the vendor has an address-level (hard) term, a reason that condemns the address uses one of
    them or says it is coarser; a reason that leaves the address alone never maps to the vendor's
    unknown-user term."""
    unknown_user = {"ses": "Permanent/NoEmail", "sparkpost": "10 Invalid Recipient", "sendgrid": "Invalid Address",
                    "postmark": "HardBounce", "sisimai": "userunknown"}
    for r in _table()["reasons"]:
        for vocab, term in unknown_user.items():
            mapped = r["crosswalk"][vocab]
            if mapped["value"] == term and r["id"] != "user-unknown":
                assert r["address_level"] and mapped.get("loses_detail"), (r["id"], vocab)


def test_fixes_from_the_vendor_pages():
    """The entries the review against the vendors' pages changed (what was written from memory was wrong)."""
    got = {r["id"]: r["crosswalk"] for r in _table()["reasons"]}
    assert got["rate-limited"]["sendgrid"]["value"] == "Frequency or Volume Too High"
    assert got["network"]["sendgrid"]["value"] == "Technical Failure"
    # SendGrid's guide files failing authentication under Technical, not Reputation
    assert got["sender-authentication"]["sendgrid"]["value"] == "Technical Failure"
    # Postmark's SMTPApiError is a send to a suppressed recipient; a failed login is no bounce at all
    assert got["smtp-auth"]["postmark"]["value"] == "none"
    # SparkPost's 25 Admin Failure is SparkPost's own policy, not a receiver's TLS or protocol refusal
    assert "25 Admin Failure" not in {got[r]["sparkpost"]["value"] for r in ("tls-required", "protocol", "smtp-auth")}
    # Postmark's DnsError is temporary; a domain that does not exist is not
    assert got["domain-unknown"]["postmark"]["value"] == "HardBounce"
    # SES reports automatic replies as Transient/General bounces
    assert got["auto-reply"]["ses"]["value"] == "Transient/General"


def test_explain_and_cli_carry_the_vendor_term():
    from helpers import run_cli

    v = kb.explain("421 4.7.0 Try again later, closing connection. Too many connections from your IP").verdict
    assert v.reason == "rate-limited" and v.crosswalk["sendgrid"]["value"] == "Frequency or Volume Too High"
    r = run_cli("explain", "--as", "postmark", "535 5.7.8 Authentication credentials invalid")
    out = r.stdout.decode()
    assert r.returncode == 0 and "postmark: none" in out and "suppressed recipient" in out
