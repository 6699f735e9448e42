"""Emoji shortcodes as Retype writes them: the emoji package's names and aliases, plus the
spellings of Slack-style sets (`:flag-ca:`, `:woman-pouting:`, `:smiling_face_with_3_hearts:`,
`:skin-tone-3:`, `:man-woman-boy:`) and Unicode character names (`:face_palm:`), worked out from
the package's data; the few names no rule explains are listed in `_RETYPE_NAMES`."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

_ZWJ = "\u200d"
_VS16 = "\ufe0f"
_GENDER = {"man": "\u2642", "male": "\u2642", "woman": "\u2640", "female": "\u2640"}
_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_SKIN_TONES = {"2": "\U0001f3fb", "3": "\U0001f3fc", "4": "\U0001f3fd", "5": "\U0001f3fe"}
_SKIN_TONES["6"] = "\U0001f3ff"
_FLAG = re.compile(r"flag[-_]([a-z]{2})")

# Retype's set (iamcal's emoji-data, as Slack spells it) where no rule finds its emoji: Slack's own
# names, and old names that Retype keeps on the gender-neutral or older emoji the package moved on.
_RETYPE_NAMES = {
    "ok_woman": "\U0001f646",
    "guardsman": "\U0001f482",
    "man_with_turban": "\U0001f473",
    "man_in_tuxedo": "\U0001f935",
    "bride_with_veil": "\U0001f470",
    "egg": "\U0001f95a",
    "satellite": "\U0001f6f0\ufe0f",
    "sun_behind_cloud": "\U0001f325\ufe0f",
    "umbrella": "\u2602\ufe0f",
    "snowman": "\u2603\ufe0f",
    "email": "\u2709\ufe0f",
    "spock-hand": "\U0001f596",
    "male-doctor": "\U0001f468\u200d\u2695\ufe0f",
    "female-doctor": "\U0001f469\u200d\u2695\ufe0f",
    "man-with-bunny-ears-partying": "\U0001f46f\u200d\u2642\ufe0f",
    "woman-with-bunny-ears-partying": "\U0001f46f\u200d\u2640\ufe0f",
    "knife_fork_plate": "\U0001f37d\ufe0f",
    "mostly_sunny": "\U0001f324\ufe0f",
    "sun_small_cloud": "\U0001f324\ufe0f",
    "barely_sunny": "\U0001f325\ufe0f",
    "partly_sunny_rain": "\U0001f326\ufe0f",
    "rain_cloud": "\U0001f327\ufe0f",
    "snow_cloud": "\U0001f328\ufe0f",
    "lightning": "\U0001f329\ufe0f",
    "lightning_cloud": "\U0001f329\ufe0f",
    "tornado_cloud": "\U0001f32a\ufe0f",
    "medal": "\U0001f396\ufe0f",
    "eject": "\u23cf\ufe0f",
    "keycap_star": "*\ufe0f\u20e3",
    "the_horns": "\U0001f918",
    "womans_flat_shoe": "\U0001f97f",
}


def emoji_package() -> Any:
    """The emoji package, imported when first needed: it takes 20 ms to load."""
    import emoji

    return emoji


def shortcode_emoji(code: str) -> str:
    """'tada' (without colons) -> '🎉'; '' when no emoji has that name."""
    return _lookup(code.strip(":").lower())


@cache
def _lookup(code: str) -> str:
    if code in _RETYPE_NAMES:
        return _RETYPE_NAMES[code]
    direct = _by_name().get(f":{code}:")
    if direct:
        return direct
    found = _names().get(_normal(code))
    if found:
        return found
    return (
        _flag(code)
        or _skin_tone(code)
        or _sequence(code)
        or _unicode_name(code)
        or _reordered(code)
    )


@cache
def _by_name() -> dict[str, str]:
    """What the emoji package's emojize finds for one ':name:' (language "alias"), as a
    table: an alias first, then an English name, fully qualified emoji only. (emojize scans
    every emoji for each new name: 7 ms a name, seconds on a page of emoji.)"""
    package = emoji_package()
    qualified = package.STATUS["fully_qualified"]
    aliases: dict[str, str] = {}
    english: dict[str, str] = {}
    for char, data in package.EMOJI_DATA.items():
        if data["status"] > qualified:
            continue
        for alias in data.get("alias", ()):
            aliases.setdefault(alias, char)
        english.setdefault(data.get("en", ""), char)
    return {**english, **aliases}


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
    """'flag-ca' -> the regional indicators of CA; 'flag-england' -> the flag named England."""
    match = _FLAG.fullmatch(code)
    if match is None:
        region = re.fullmatch(r"flag[-_]([a-z]{3,})", code)
        named = _names().get(region.group(1), "") if region else ""
        return named if named.startswith("\U0001f3f4") else ""  # a black flag with tag letters
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


def _unicode_name(code: str) -> str:
    """'face_palm', 'large_orange_circle': Retype knows an emoji by its Unicode character name."""
    try:
        char = unicodedata.lookup(code.replace("_", " ").replace("-", " "))
    except KeyError:
        return ""
    return char if _is_emoji(char) else ""


def _reordered(code: str) -> str:
    """Slack puts the qualifier first where the package puts it last: 'red_haired_person' is
    'person: red hair', 'woman-kiss-man' is 'kiss: woman, man'."""
    person = re.fullmatch(r"([a-z]+?)(_haired)?_person", code)
    if person:
        hair = "_hair" if person.group(2) else ""
        return _names().get(f"person_{person.group(1)}{hair}", "")
    parts = re.split(r"[-_]", code)
    if len(parts) == 3:
        found = _names().get(_normal(f"{parts[1]}_{parts[0]}_{parts[2]}"), "")
        return found if _ZWJ in found else ""
    return ""
