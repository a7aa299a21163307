"""The bounce reason taxonomy, read from codes/reasons.yaml (the one place reasons are defined).

That file documents how a reason is decided; this module only turns it into lookup tables, built once
per loaded knowledge base (``kb.database().memo``) and read by kb/explainer.py.
"""

from __future__ import annotations

from .model import Text, text

TYPE_CHECKING = False  # collections.abc is only for the annotations: not imported on a cold start
if TYPE_CHECKING:
    from collections.abc import Mapping

SOURCE = "codes/reasons.yaml"
_NON_WORD = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\t\r\n"})


class Taxonomy:
    """Lookup tables derived from codes/reasons.yaml."""

    def __init__(self, data: Mapping) -> None:
        self.reasons: dict[str, Mapping] = {r["id"]: r for r in data["reasons"]}
        self.labels: dict[str, Text] = {k: Text(r["label"]["en"], r["label"]["de"]) for k, r in self.reasons.items()}
        self.fixes = {k: text(r["fix"]) if "fix" in r else None for k, r in self.reasons.items()}
        self.enhanced = {c: k for k, r in self.reasons.items() for c in r.get("enhanced", ())}
        self.basic = {c: k for k, r in self.reasons.items() for c in r.get("basic", ())}
        self.address_level = frozenset(k for k, r in self.reasons.items() if r["address_level"])
        self.not_a_bounce = frozenset(k for k, r in self.reasons.items() if r.get("not_a_bounce"))
        self.slow_down = frozenset(k for k, r in self.reasons.items() if r.get("slow_down"))
        self.rules = tuple((r["reason"], r.get("strength", "strong"), tuple(r["phrases"]), tuple(r.get("words", ())))
                           for r in data["text_rules"])
        self.class_hints = tuple((h["outcome"], tuple(h["phrases"])) for h in data["class_hints"])
        self.stage_rules = {(s["stage"], f): s["reason"] for s in data["stage_rules"] for f in s["from"]}
        self.vocabularies = data["vocabularies"]
        self.crosswalks = {k: {v: m for v, m in r["crosswalk"].items()} for k, r in self.reasons.items()}
        self.actors = {k: tuple(r["actors"]) for k, r in self.reasons.items()}

    def from_text(self, low: str, strength: str = "strong") -> tuple[str, str] | None:
        """(reason, matched phrase) of the first rule of this strength that matches lower-cased text."""
        words: set[str] | None = None
        for reason, rule_strength, phrases, whole_words in self.rules:
            if rule_strength != strength:
                continue
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

    def outcome_hint(self, low: str) -> tuple[str, str] | None:
        """(permanent | transient, phrase) for a line that carries no code."""
        for outcome, phrases in self.class_hints:
            for p in phrases:
                if p in low:
                    return outcome, p
        return None

    def from_enhanced(self, generic: str) -> str | None:
        """The reason of an enhanced code written class-independently (``X.1.1``), else of its subject."""
        return self.enhanced.get(generic) or self.enhanced.get(generic.rsplit(".", 1)[0])

    def crosswalk(self, reason: str, vocabulary: str) -> Mapping | None:
        r = self.reasons.get(reason)
        return None if r is None else r["crosswalk"].get(vocabulary)


def taxonomy() -> Taxonomy:
    import kb

    # the decoded table itself, not kb.table's read-only deep copy: Taxonomy only reads it, and a cold
    # explain should not pay for copying the whole taxonomy
    return kb.database().memo("explainer.reasons", lambda db: Taxonomy(db.read(lambda idx: idx.table("reasons"))))


def reason_ids() -> tuple[str, ...]:
    return tuple(taxonomy().reasons)


def label(reason: str) -> Text:
    return taxonomy().labels[reason]


def actors(reason: str) -> tuple[str, ...]:
    return taxonomy().actors[reason]


def from_text(text_: str) -> tuple[str, str] | None:
    """(reason, matched phrase) of the first strong, then weak, generic text rule that matches."""
    low = text_.lower()
    t = taxonomy()
    return t.from_text(low) or t.from_text(low, "weak")


def from_enhanced(generic: str) -> str | None:
    return taxonomy().from_enhanced(generic)
