"""The bounce reason taxonomy, read from codes/reasons.yaml (the one place reasons are defined).

That file documents how a reason is decided; this module only turns it into lookup tables, built once
per loaded knowledge base (``kb.database().memo``) and read by kb/explainer.py.
"""

from .model import Text, text
from .regex import Phrases

TYPE_CHECKING = False  # collections.abc is only for the annotations: not imported on a cold start
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

SOURCE = "codes/reasons.yaml"
_NON_WORD = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\t\r\n"})


def prepare(data: "Mapping") -> tuple[dict, dict]:
    """What the explainer reads of codes/reasons.yaml, as the lookup tables it uses, worked out when the index
    is compiled (kb/compiler.py): the tables every explanation reads, and each reason's fix, crosswalk and actors,
    which an explanation reads for its one reason. Descriptions and vocabularies stay in the full table
    (``kb.table("reasons")``). A cold explain so decodes a third of the bytes and builds next to nothing."""
    reasons = data["reasons"]
    return {
        "labels": {r["id"]: [r["label"]["en"], r["label"]["de"]] for r in reasons},  # in the file's order
        "enhanced": {c: r["id"] for r in reasons for c in r.get("enhanced", ())},
        "basic": {c: r["id"] for r in reasons for c in r.get("basic", ())},
        "address_level": [r["id"] for r in reasons if r["address_level"]],
        "not_a_bounce": [r["id"] for r in reasons if r.get("not_a_bounce")],
        "slow_down": [r["id"] for r in reasons if r.get("slow_down")],
        "rules": [[r["reason"], r.get("strength", "strong"), r["phrases"], r.get("words", [])] for r in data["text_rules"]],
        "class_hints": [[h["outcome"], h["phrases"]] for h in data["class_hints"]],
        "stage_rules": [[s["stage"], f, s["reason"]] for s in data["stage_rules"] for f in s["from"]],
    }, {r["id"]: {"fix": r.get("fix"), "crosswalk": r["crosswalk"], "actors": r["actors"]} for r in reasons}


class Taxonomy:
    """Lookup tables derived from codes/reasons.yaml (see ``prepare``)."""

    def __init__(self, tables: "Mapping", details_of: "Callable[[str], Mapping]") -> None:
        """``details_of(reason)``: that reason's fix, crosswalk and actors (the second part of ``prepare``)."""
        self.labels: dict[str, Text] = {k: Text(en, de) for k, (en, de) in tables["labels"].items()}
        self._details_of = details_of
        self._details: dict[str, tuple] = {}  # reason -> (fix, crosswalk, actors), as each is first asked for
        self.enhanced: dict[str, str] = tables["enhanced"]
        self.basic: dict[str, str] = tables["basic"]
        self.address_level = frozenset(tables["address_level"])
        self.not_a_bounce = frozenset(tables["not_a_bounce"])
        self.slow_down = frozenset(tables["slow_down"])
        self.rules = tuple((reason, strength, tuple(phrases), tuple(words)) for reason, strength, phrases, words in tables["rules"])
        self.class_hints = tuple((outcome, tuple(phrases)) for outcome, phrases in tables["class_hints"])
        self.stage_rules = {(stage, f): reason for stage, f, reason in tables["stage_rules"]}
        self._text_tables: dict[str, tuple] = {}  # strength -> its rules' phrases in one table (see _text_table)
        hints = [(outcome, p) for outcome, phrases in self.class_hints for p in phrases]
        self._hints = (Phrases(p for _, p in hints), hints)

    def _detail(self, reason: str) -> tuple:
        hit = self._details.get(reason)
        if hit is None:
            d = self._details_of(reason)
            hit = self._details[reason] = (text(d["fix"]), d["crosswalk"], tuple(d["actors"]))
        return hit

    def fix(self, reason: str) -> Text | None:
        """Who must fix what, for ``reason``; None for a reason without a fix or no reason at all."""
        return self._detail(reason)[0] if reason in self.labels else None

    def crosswalk(self, reason: str) -> dict:
        """``reason`` in other tools' vocabularies: {vocabulary: {value, loses_detail?}}."""
        return self._detail(reason)[1]

    def actors(self, reason: str) -> tuple[str, ...]:
        return self._detail(reason)[2]

    def from_text(self, low: str, strength: str = "strong") -> tuple[str, str] | None:
        """(reason, matched phrase) of the first rule of this strength that matches lower-cased text: in the
        rules' order, a rule's phrases (substrings), then its words (whole words). ``strength`` is "strong" or
        "weak"; anything else is a ValueError."""
        table = self._text_tables.get(strength)
        if table is None:
            if strength not in ("strong", "weak"):  # the table is kept per strength: two at most
                raise ValueError(f"strength must be 'strong' or 'weak', not {strength!r}")
            table = self._text_tables[strength] = self._text_table(strength)
        phrases, hits, word_rules = table
        i = phrases.first(low)
        rule_at = hits[i][0] if i is not None else len(self.rules)
        words: set[str] | None = None
        for r, reason, whole_words in word_rules:
            if r >= rule_at:  # the phrase's rule comes first (or is this one: its phrases go before its words)
                break
            if words is None:
                words = set(low.translate(_NON_WORD).split())
            for w in whole_words:
                if w in words:
                    return reason, w
        return (hits[i][1], hits[i][2]) if i is not None else None

    def _text_table(self, strength: str) -> tuple:
        """(the phrases of this strength's rules in order, (rule index, reason, phrase) for each, and
        (rule index, reason, words) of the rules that have whole words)."""
        hits, word_rules = [], []
        for r, (reason, rule_strength, phrases, whole_words) in enumerate(self.rules):
            if rule_strength == strength:
                hits += [(r, reason, p) for p in phrases]
                if whole_words:
                    word_rules.append((r, reason, whole_words))
        return Phrases(p for _, _, p in hits), hits, word_rules

    def outcome_hint(self, low: str) -> tuple[str, str] | None:
        """(permanent | transient, phrase) for a line that carries no code."""
        phrases, hints = self._hints
        i = phrases.first(low)
        return hints[i] if i is not None else None

    def from_enhanced(self, generic: str) -> str | None:
        """The reason of an enhanced code written class-independently (``X.1.1``), else of its subject."""
        return self.enhanced.get(generic) or self.enhanced.get(generic.rsplit(".", 1)[0])


def taxonomy() -> Taxonomy:
    import kb

    # the decoded tables themselves, not a read-only copy: Taxonomy only reads them
    def build(db) -> Taxonomy:
        return Taxonomy(db.read(lambda idx: idx.taxonomy()), lambda reason: db.read(lambda idx: idx.reason(reason)))

    return kb.database().memo("explainer.reasons", build)


def reason_ids() -> tuple[str, ...]:
    return tuple(taxonomy().labels)


def label(reason: str) -> Text:
    return taxonomy().labels[reason]


def actors(reason: str) -> tuple[str, ...]:
    return taxonomy().actors(reason)


def from_text(text_: str) -> tuple[str, str] | None:
    """(reason, matched phrase) of the first strong, then weak, generic text rule that matches."""
    low = text_.lower()
    t = taxonomy()
    return t.from_text(low) or t.from_text(low, "weak")


def from_enhanced(generic: str) -> str | None:
    return taxonomy().from_enhanced(generic)
