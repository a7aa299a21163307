"""What each part of a code means, from codes/structure.yaml; the anatomy of any code, registered or not."""

from __future__ import annotations

from . import syntax as _codes
from .model import Frozen, Text, _set, text
from .texts import say


class Part(Frozen):
    """One part of a code: the digits, what position they stand in, and what they say."""

    __slots__ = ("digits", "position", "title", "meaning")
    _fields = __slots__
    digits: str
    position: Text
    title: Text
    meaning: Text | None

    def __init__(self, digits: str, position: Text, title: Text, meaning: Text | None) -> None:
        _set(self, "digits", digits)
        _set(self, "position", position)
        _set(self, "title", title)
        _set(self, "meaning", meaning)


_FIRST, _SECOND, _THIRD = say("position.first_digit"), say("position.second_digit"), say("position.third_digit")
_CLASS, _SUBJECT, _DETAIL = say("position.class"), say("position.subject"), say("position.detail")
_UNDEFINED = say("not_defined")


class Structure:
    def __init__(self, data: dict) -> None:
        self.data = data
        b, e = data["basic"], data["enhanced"]
        self.basic_intro, self.enhanced_intro = text(b["intro"]), text(e["intro"])
        self.first = {k: (text(v["title"]), text(v["meaning"])) for k, v in b["first_digit"].items()}
        self.second = {k: (text(v["title"]), text(v["meaning"])) for k, v in b["second_digit"].items()}
        self.third = text(b["third_digit"])
        self.classes = {k: (text(v["title"]), text(v["meaning"])) for k, v in e["classes"].items()}
        self.subjects = {k: (text(v["title"]), text(v["meaning"])) for k, v in e["subjects"].items()}
        self.registry_titles = {("class", k): v.get("registry_title") for k, v in e["classes"].items()}
        self.registry_titles.update({("subject", k): v.get("registry_title") for k, v in e["subjects"].items()})
        self.detail = text(e["detail"])

    def _part(self, table: dict, digits: str, position: Text) -> Part:
        title, meaning = table.get(digits, (_UNDEFINED, _UNDEFINED))
        return Part(digits, position, title, meaning)

    def anatomy(self, code: str) -> tuple[Part, ...]:
        norm = _codes.normalize(code)
        if norm is None:
            raise ValueError(f"{code!r} is not a reply code")
        if _codes.is_basic(norm):
            return (self._part(self.first, norm[0], _FIRST), self._part(self.second, norm[1], _SECOND),
                    Part(norm[2], _THIRD, Text(f"Detail {norm[2]}", f"Detail {norm[2]}"), self.third))
        cls, subject, detail = norm.split(".")
        parts = []
        if cls != "X":
            parts.append(self._part(self.classes, cls, _CLASS))
        parts.append(self._part(self.subjects, subject, _SUBJECT))
        parts.append(Part(detail, _DETAIL, Text(f"Detail {detail}", f"Detail {detail}"), self.detail))
        return tuple(parts)

    def class_title(self, digit: str) -> Text | None:
        hit = self.classes.get(digit) or self.first.get(digit)
        return hit[0] if hit else None
