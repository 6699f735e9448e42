"""Emoji shortcodes as Retype writes them: the emoji package's names and aliases, plus the
spellings of Slack-style sets (`:flag-ca:`, `:woman-pouting:`, `:smiling_face_with_3_hearts:`,
`:skin-tone-3:`, `:man-woman-boy:`), worked out from the package's data rather than listed."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_ZWJ = "\u200d"
_VS16 = "\ufe0f"
_GENDER = {"man": "\u2642", "male": "\u2642", "woman": "\u2640", "female": "\u2640"}
_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_SKIN_TONES = {"2": "\U0001f3fb", "3": "\U0001f3fc", "4": "\U0001f3fd", "5": "\U0001f3fe"}
_SKIN_TONES["6"] = "\U0001f3ff"
_FLAG = re.compile(r"flag[-_]([a-z]{2})")


def emoji_package() -> Any:
    """The emoji package, imported when first needed: it takes 20 ms to load."""
    import emoji

    return emoji


def shortcode_emoji(code: str) -> str:
    """'tada' (without colons) -> '🎉'; '' when no emoji has that name."""
    return _lookup(code.strip(":").lower())


@cache
def _lookup(code: str) -> str:
    direct = emoji_package().emojize(f":{code}:", language="alias")
    if direct != f":{code}:":
        return direct
    found = _names().get(_normal(code))
    if found:
        return found
    return _flag(code) or _skin_tone(code) or _sequence(code)


def _normal(name: str) -> str:
    """A name as the index keeps it: '_' between words, numbers spelled out."""
    name = name.strip(":").lower()
    if name[:1] in "+-":  # :+1: and :-1:
        return name
    words = re.split(r"[-_\s]+", name)
    return "_".join(_NUMBERS[int(w)] if w.isdigit() and len(w) == 1 else w for w in words if w)


@cache
def _names() -> dict[str, str]:
    """Every English name and alias of the emoji package, normalized, to its emoji."""
    names: dict[str, str] = {}
    for char, data in emoji_package().EMOJI_DATA.items():
        for name in (data.get("en", ""), *data.get("alias", ())):
            key = _normal(name)
            if key and (key not in names or len(char) < len(names[key])):
                names[key] = char
    return names


def _is_emoji(text: str) -> bool:
    data = emoji_package().EMOJI_DATA
    return text in data or text.replace(_VS16, "") in data


def _flag(code: str) -> str:
    match = _FLAG.fullmatch(code)
    if match is None:
        return ""
    flag = "".join(chr(0x1F1E6 + ord(c) - ord("a")) for c in match.group(1))
    return flag if _is_emoji(flag) else ""


def _skin_tone(code: str) -> str:
    match = re.fullmatch(r"skin[-_]tone[-_]([2-6])", code)
    return _SKIN_TONES[match.group(1)] if match else ""


def _sequence(code: str) -> str:
    """'woman-pouting' (a gendered person) or 'man-woman-boy' (a family): joined emoji."""
    parts = re.split(r"[-_]", code)
    if len(parts) < 2:
        return ""
    first, rest = parts[0], "_".join(parts[1:])
    if first in _GENDER:
        adult = "woman" if _GENDER[first] == "\u2640" else "man"
        found = _names().get(_normal(f"{adult}_{rest}"))
        if found:
            return found
        for base_name in (rest, f"person_{rest}", rest.removesuffix("ing") + "s"):
            base = _names().get(_normal(base_name), "")
            for joined in (
                f"{base}{_ZWJ}{_GENDER[first]}{_VS16}",
                f"{base.replace(_VS16, '')}{_VS16}{_ZWJ}{_GENDER[first]}{_VS16}",
            ):
                if base and _is_emoji(joined):
                    return joined
    members = [_names().get(part, "") for part in parts]
    if all(members):
        joined = _ZWJ.join(members)
        if _is_emoji(joined):
            return joined
    return ""
