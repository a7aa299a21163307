"""The bounce reason taxonomy, read from codes/reasons.yaml (the one place reasons are defined).

That file documents how a reason is decided; this module only turns it into lookup tables, built once
per loaded knowledge base (``kb.database().memo``) and read by kb/explainer.py.
"""

from .model import Text, text

TYPE_CHECKING = False  # collections.abc is only for the annotations: not imported on a cold start
if TYPE_CHECKING:
    from collections.abc import Mapping

SOURCE = "codes/reasons.yaml"
_NON_WORD = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\t\r\n"})


def prepare(data: "Mapping") -> dict:
    """What the explainer reads of codes/reasons.yaml, as the lookup tables it uses: worked out when the
    index is compiled (kb/store.py), so that a cold explain decodes two thirds of the bytes and builds
    nothing. Descriptions and vocabularies stay in the full table (``kb.table("reasons")``)."""
    reasons = data["reasons"]
    return {
        "labels": {r["id"]: [r["label"]["en"], r["label"]["de"]] for r in reasons},  # in the file's order
        "fixes": {r["id"]: r["fix"] for r in reasons if "fix" in r},
        "enhanced": {c: r["id"] for r in reasons for c in r.get("enhanced", ())},
        "basic": {c: r["id"] for r in reasons for c in r.get("basic", ())},
        "address_level": [r["id"] for r in reasons if r["address_level"]],
        "not_a_bounce": [r["id"] for r in reasons if r.get("not_a_bounce")],
        "slow_down": [r["id"] for r in reasons if r.get("slow_down")],
        "rules": [[r["reason"], r.get("strength", "strong"), r["phrases"], r.get("words", [])] for r in data["text_rules"]],
        "class_hints": [[h["outcome"], h["phrases"]] for h in data["class_hints"]],
        "stage_rules": [[s["stage"], f, s["reason"]] for s in data["stage_rules"] for f in s["from"]],
        "crosswalks": {r["id"]: r["crosswalk"] for r in reasons},
        "actors": {r["id"]: r["actors"] for r in reasons},
    }


class Taxonomy:
    """Lookup tables derived from codes/reasons.yaml (see ``prepare``)."""

    def __init__(self, tables: "Mapping") -> None:
        self.labels: dict[str, Text] = {k: Text(en, de) for k, (en, de) in tables["labels"].items()}
        fixes = tables["fixes"]
        self.fixes = {k: text(fixes.get(k)) for k in self.labels}
        self.enhanced: dict[str, str] = tables["enhanced"]
        self.basic: dict[str, str] = tables["basic"]
        self.address_level = frozenset(tables["address_level"])
        self.not_a_bounce = frozenset(tables["not_a_bounce"])
        self.slow_down = frozenset(tables["slow_down"])
        self.rules = tuple((reason, strength, tuple(phrases), tuple(words)) for reason, strength, phrases, words in tables["rules"])
        self.class_hints = tuple((outcome, tuple(phrases)) for outcome, phrases in tables["class_hints"])
        self.stage_rules = {(stage, f): reason for stage, f, reason in tables["stage_rules"]}
        self.crosswalks: dict[str, dict] = tables["crosswalks"]
        self.actors = {k: tuple(v) for k, v in tables["actors"].items()}

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


def taxonomy() -> Taxonomy:
    import kb

    # the decoded tables themselves, not a read-only copy: Taxonomy only reads them
    return kb.database().memo("explainer.reasons", lambda db: Taxonomy(db.read(lambda idx: idx.taxonomy())))


def reason_ids() -> tuple[str, ...]:
    return tuple(taxonomy().labels)


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
