"""Scriban's `date` functions: the build's date (`date.now` is the runtime's, never the
machine clock read here), parsing, arithmetic and Ruby-style `%` formats. Dates are written
in English (Retype's en-US); a date read without a time zone is in the build's zone, and one
with an offset is moved into it, as .NET's DateTime.Parse does."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from docsite.scriban.builtins.common import builtins
from docsite.scriban.runtime import ScriptError
from docsite.scriban.values import DEFAULT_DATE_FORMAT, to_int, to_number, to_str, type_name

# English whatever the machine's locale (Python's calendar names follow the locale).
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CULTURES = {"", "en-us", "en", "invariant", "en-gb"}
_RANGE_HINT = "Add a smaller amount: dates run from the year 1 to 9999."
_FORMAT_HINT = "Formats use % codes such as %Y-%m-%d, %B %d, %Y or %H:%M (see date.to_string)."


def _date(value: Any, what: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    raise ScriptError(f"{what} expects a date, not {type_name(value)}", "Use date.parse first.")


def _culture(culture: Any) -> str:
    key = to_str(culture).lower()
    if key not in CULTURES:
        raise ScriptError(
            f"the culture {culture!r} is not available: dates are written in English",
            "Leave the culture out, or use en-US or en-GB.",
        )
    return key


def now(rt: Any) -> dt.datetime:
    return rt.now


def utc_now(rt: Any) -> dt.datetime:
    return rt.now.astimezone(dt.UTC)


def default_format(_rt: Any) -> str:
    return DEFAULT_DATE_FORMAT


def _shift(what: str, date: Any, amount: Any, unit: str) -> dt.datetime:
    moment = _date(date, f"date.{what}")
    number = to_number(0 if amount is None else amount, f"date.{what}")
    try:
        return moment + dt.timedelta(**{unit: number})
    except OverflowError:
        raise ScriptError(
            f"date.{what}: the date leaves the years 1 to 9999", _RANGE_HINT
        ) from None


def _months(what: str, date: Any, months: int) -> dt.datetime:
    """Whole months later, the day clipped to the month's last (Jan 31 + 1 month: Feb 29)."""
    moment = _date(date, f"date.{what}")
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ScriptError(f"date.{what}: the date leaves the years 1 to 9999", _RANGE_HINT)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def add_days(_rt: Any, date: Any, days: Any) -> dt.datetime:
    return _shift("add_days", date, days, "days")


def add_hours(_rt: Any, date: Any, hours: Any) -> dt.datetime:
    return _shift("add_hours", date, hours, "hours")


def add_minutes(_rt: Any, date: Any, minutes: Any) -> dt.datetime:
    return _shift("add_minutes", date, minutes, "minutes")


def add_seconds(_rt: Any, date: Any, seconds: Any) -> dt.datetime:
    return _shift("add_seconds", date, seconds, "seconds")


def add_milliseconds(_rt: Any, date: Any, millis: Any) -> dt.datetime:
    return _shift("add_milliseconds", date, millis, "milliseconds")


def add_months(_rt: Any, date: Any, months: Any) -> dt.datetime:
    return _months("add_months", date, to_int(months, "date.add_months months"))


def add_years(_rt: Any, date: Any, years: Any) -> dt.datetime:
    return _months("add_years", date, 12 * to_int(years, "date.add_years years"))


# ---- formatting -------------------------------------------------------------------------


def _offset(moment: dt.datetime) -> str:
    delta = moment.utcoffset() or dt.timedelta(0)
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _epoch(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return str(int(aware.timestamp()))


def _hour12(moment: dt.datetime) -> int:
    return moment.hour % 12 or 12


_CODES: dict[str, Any] = {
    "a": lambda d: DAYS[d.weekday()][:3],
    "A": lambda d: DAYS[d.weekday()],
    "b": lambda d: MONTHS[d.month - 1][:3],
    "h": lambda d: MONTHS[d.month - 1][:3],
    "B": lambda d: MONTHS[d.month - 1],
    "C": lambda d: f"{d.year // 100:02d}",
    "d": lambda d: f"{d.day:02d}",
    "e": lambda d: f"{d.day:2d}",
    "H": lambda d: f"{d.hour:02d}",
    "I": lambda d: f"{_hour12(d):02d}",
    "j": lambda d: f"{d.timetuple().tm_yday:03d}",
    "k": lambda d: f"{d.hour:2d}",
    "l": lambda d: f"{_hour12(d):2d}",
    "L": lambda d: f"{d.microsecond // 1000:03d}",
    "m": lambda d: f"{d.month:02d}",
    "M": lambda d: f"{d.minute:02d}",
    "n": lambda d: "\n",
    "N": lambda d: f"{d.microsecond * 1000:09d}",
    "p": lambda d: "AM" if d.hour < 12 else "PM",
    "P": lambda d: "am" if d.hour < 12 else "pm",
    "s": _epoch,
    "S": lambda d: f"{d.second:02d}",
    "t": lambda d: "\t",
    "u": lambda d: str(d.isoweekday()),
    "U": lambda d: f"{(d.timetuple().tm_yday + 6 - (d.isoweekday() % 7)) // 7:02d}",
    "V": lambda d: f"{d.isocalendar()[1]:02d}",
    "W": lambda d: f"{(d.timetuple().tm_yday + 6 - d.weekday()) // 7:02d}",
    "w": lambda d: str(d.isoweekday() % 7),
    "y": lambda d: f"{d.year % 100:02d}",
    "Y": lambda d: str(d.year),
    "Z": _offset,
    "%": lambda d: "%",
}
_COMPOUNDS = {
    "c": "%a %b %d %T %Y",
    "D": "%m/%d/%y",
    "F": "%Y-%m-%d",
    "r": "%I:%M:%S %p",
    "R": "%H:%M",
    "T": "%H:%M:%S",
    "v": "%e-%^b-%Y",
    "x": "%m/%d/%Y",
    "X": "%H:%M:%S",
}


def strftime(moment: dt.datetime, pattern: str) -> str:
    """A date with Scriban's % codes; `%g` (the invariant culture) changes nothing here,
    and an unknown code is written as it is."""
    if pattern == "%g":  # Scriban writes its default format after a space here
        pattern = " " + DEFAULT_DATE_FORMAT
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char != "%" or index + 1 == len(pattern):
            out.append(char)
            index += 1
            continue
        code, upper = pattern[index + 1], False
        if code == "^" and index + 2 < len(pattern):  # %^b: upper case (used by %v)
            code, upper, index = pattern[index + 2], True, index + 1
        index += 2
        if code == "g":
            continue
        if code in _COMPOUNDS:
            text = strftime(moment, _COMPOUNDS[code])
        elif code in _CODES:
            text = _CODES[code](moment)
        else:
            text = "%" + code
        out.append(text.upper() if upper else text)
    return "".join(out)


def to_string(_rt: Any, date: Any, pattern: Any = None, culture: Any = None) -> str | None:
    """The date in a % format, `%d %b %Y` by default; null stays null."""
    if date is None:
        return None
    _culture(culture)
    text_pattern = DEFAULT_DATE_FORMAT if pattern is None else to_str(pattern)
    return strftime(_date(date, "date.to_string"), text_pattern)


# ---- parsing ----------------------------------------------------------------------------

_TIME = re.compile(
    r"(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,7}))?)?\s*(?P<ampm>[AaPp][Mm])?)?"
    r"\s*(?P<zone>Z|[+-]\d{2}(?::?\d{2})?|GMT|UTC)?\s*$"
)
_NUMERIC = re.compile(r"(?P<a>\d{1,4})[-/.](?P<b>\d{1,2})[-/.](?P<c>\d{1,4})")
_NAMED = re.compile(
    r"(?:[A-Za-z]+,?\s+)??(?:(?P<day1>\d{1,2})\s+(?P<month1>[A-Za-z]+)\.?,?\s+(?P<year1>\d{4})"
    r"|(?P<month2>[A-Za-z]+)\.?\s+(?P<day2>\d{1,2}),?\s+(?P<year2>\d{4}))"
)


def _month_number(name: str) -> int | None:
    for index, month in enumerate(MONTHS):
        if len(name) >= 3 and month.lower().startswith(name.lower()):
            return index + 1
    return None


def _date_part(text: str, day_first: bool) -> tuple[tuple[int, int, int], int] | None:
    """Year, month and day at the start of `2016/01/05`, `01/05/2016`, `March 14, 2016` or
    `14 Mar 2016`, and where the date ends."""
    numeric = _NUMERIC.match(text)
    if numeric:
        a, b, c = (int(numeric[name]) for name in "abc")
        if len(numeric["a"]) >= 3:
            return (a, b, c), numeric.end()
        if len(numeric["c"]) == 2:
            c += 2000 if c < 50 else 1900
        return ((c, b, a) if day_first else (c, a, b)), numeric.end()
    named = _NAMED.match(text)
    if named:
        month = _month_number(named["month1"] or named["month2"])
        if month:
            day = int(named["day1"] or named["day2"])
            return (int(named["year1"] or named["year2"]), month, day), named.end()
    return None


def _zone(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text in ("Z", "GMT", "UTC"):
        return dt.UTC
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return dt.timezone(dt.timedelta(minutes=-minutes if text[0] == "-" else minutes))


def _liberal(text: str, day_first: bool) -> dt.datetime | None:
    """A date as .NET's DateTime.Parse reads the common spellings, or None."""
    found = _date_part(text.strip(), day_first)
    if found is None:
        return None
    parts, end = found
    time = _TIME.fullmatch(text.strip()[end:])
    if time is None:
        return None
    hour = int(time["hour"] or 0)
    if time["ampm"]:
        hour = hour % 12 + (12 if time["ampm"].lower() == "pm" else 0)
    micro = int((time["fraction"] or "0").ljust(6, "0")[:6])
    minute, second = int(time["minute"] or 0), int(time["second"] or 0)
    try:
        moment = dt.datetime(*parts, hour, minute, second, micro)
    except ValueError:
        return None
    zone = _zone(time["zone"])
    return moment.replace(tzinfo=zone) if zone else moment


def _in_build_zone(rt: Any, moment: dt.datetime) -> dt.datetime:
    zone = rt.now.tzinfo
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


_PARSE_CODES = {
    "Y": r"(?P<Y>[+-]?\d{1,4})",
    "y": r"(?P<y>\d{2})",
    "m": r"(?P<m>\d{1,2})",
    "d": r"\s?(?P<d>\d{1,2})",
    "e": r"\s?(?P<d>\d{1,2})",
    "H": r"\s?(?P<H>\d{1,2})",
    "k": r"\s?(?P<H>\d{1,2})",
    "I": r"\s?(?P<I>\d{1,2})",
    "l": r"\s?(?P<I>\d{1,2})",
    "M": r"(?P<M>\d{1,2})",
    "S": r"(?P<S>\d{1,2})",
    "L": r"(?P<L>\d{1,3})",
    "j": r"(?P<j>\d{1,3})",
    "b": r"(?P<b>[A-Za-z]{3,})",
    "h": r"(?P<b>[A-Za-z]{3,})",
    "B": r"(?P<b>[A-Za-z]{3,})",
    "a": r"[A-Za-z]+",
    "A": r"[A-Za-z]+",
    "p": r"(?P<p>[AaPp][Mm])",
    "P": r"(?P<p>[AaPp][Mm])",
    "Z": r"(?P<Z>Z|[+-]\d{2}:?\d{2})",
    "z": r"(?P<Z>Z|[+-]\d{2}:?\d{2})",
    "%": "%",
    "n": r"\n",
    "t": r"\t",
    "g": "",
}


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A regular expression reading a % pattern; each field at most once."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "%" and index + 1 < len(pattern):
            code = pattern[index + 1]
            index += 2
            if code in _COMPOUNDS:
                out.append(_pattern_regex(_COMPOUNDS[code].replace("%^", "%")).pattern)
            elif code in _PARSE_CODES:
                out.append(_PARSE_CODES[code])
            else:
                raise ScriptError(f"date.parse: the code %{code} cannot be read", _FORMAT_HINT)
            continue
        out.append(r"\s+" if char.isspace() else re.escape(char))
        index += 1
    try:
        return re.compile("".join(out), re.IGNORECASE)
    except re.error:
        raise ScriptError(
            "date.parse: a field appears twice in the pattern", _FORMAT_HINT
        ) from None


def _with_pattern(text: str, pattern: str) -> dt.datetime | None:
    match = _pattern_regex(pattern).fullmatch(text.strip())
    if not match:
        return None
    fields = {key: value for key, value in match.groupdict().items() if value is not None}
    year = int(fields["Y"]) if "Y" in fields else 2000 + int(fields.get("y", 0))
    month = _month_number(fields["b"]) if "b" in fields else int(fields.get("m", 1))
    hour = int(fields.get("H", 0))
    if "I" in fields:
        hour = int(fields["I"]) % 12 + (12 if fields.get("p", "am").lower() == "pm" else 0)
    try:
        moment = dt.datetime(year, month or 0, int(fields.get("d", 1)), hour)
        moment = moment.replace(minute=int(fields.get("M", 0)), second=int(fields.get("S", 0)))
    except ValueError:
        return None
    moment += dt.timedelta(milliseconds=int(fields.get("L", 0)))
    if "j" in fields:
        moment += dt.timedelta(days=int(fields["j"]) - 1)
    zone = _zone(fields.get("Z"))
    return moment.replace(tzinfo=zone) if zone else moment


def parse(rt: Any, text: Any, pattern: Any = None, culture: Any = None) -> dt.datetime | None:
    """A date from text, with a % pattern or in the usual spellings; null stays null."""
    if text is None:
        return None
    value = to_str(text)
    day_first = _culture(culture) == "en-gb"
    if pattern is not None:
        moment = _with_pattern(value, to_str(pattern))
    else:
        moment = _liberal(value, day_first)
    if moment is None:
        expected = f"the pattern {to_str(pattern)!r}" if pattern is not None else "a date"
        raise ScriptError(
            f"date.parse: {value!r} is not {expected}",
            "Write dates as 2026-03-02, 2026-03-02 09:30, March 2, 2026 or 02 Mar 2026, or "
            "pass a pattern: date.parse '02.03.2026' '%d.%m.%Y'.",
        )
    return _in_build_zone(rt, moment)


def parse_to_string(
    rt: Any,
    text: Any,
    output_pattern: Any = None,
    output_culture: Any = None,
    input_pattern: Any = None,
    input_culture: Any = None,
) -> str | None:
    """date.parse then date.to_string, in one call."""
    moment = parse(rt, text, input_pattern, input_culture)
    return to_string(rt, moment, output_pattern, output_culture)


FUNCTIONS = builtins(
    "date",
    {
        "now": (now, 0, 0),
        "utc_now": (utc_now, 0, 0),
        "default_format": (default_format, 0, 0),
        "add_days": (add_days, 2, 2),
        "add_months": (add_months, 2, 2),
        "add_years": (add_years, 2, 2),
        "add_hours": (add_hours, 2, 2),
        "add_minutes": (add_minutes, 2, 2),
        "add_seconds": (add_seconds, 2, 2),
        "add_milliseconds": (add_milliseconds, 2, 2),
        "parse": (parse, 1, 3),
        "parse_to_string": (parse_to_string, 1, 5),
        "to_string": (to_string, 1, 3),
    },
)


# ---- .NET date formats, for object.format --------------------------------------------

_DOTNET_STANDARD = {
    "d": "M/d/yyyy",
    "D": "dddd, MMMM d, yyyy",
    "f": "dddd, MMMM d, yyyy h:mm tt",
    "F": "dddd, MMMM d, yyyy h:mm:ss tt",
    "g": "M/d/yyyy h:mm tt",
    "G": "M/d/yyyy h:mm:ss tt",
    "m": "MMMM d",
    "M": "MMMM d",
    "o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffzzz",
    "O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffzzz",
    "r": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
    "R": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
    "s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
    "t": "h:mm tt",
    "T": "h:mm:ss tt",
    "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
    "y": "MMMM yyyy",
    "Y": "MMMM yyyy",
}
_DOTNET_TOKEN = re.compile(
    r"'[^']*'?|\"[^\"]*\"?|\\.|%.|y+|M+|d+|H+|h+|m+|s+|f+|F+|t+|z+|K|.", re.DOTALL
)


def _dotnet_field(moment: dt.datetime, token: str) -> str:
    """One field of a .NET custom date format (`yyyy`, `MMM`, `HH`...)."""
    letter, width = token[0], len(token)
    if letter == "y":
        year = moment.year if width > 2 else moment.year % 100
        return f"{year:0{width}d}" if width != 1 else str(year)
    if letter == "M":
        return (
            MONTHS[moment.month - 1][:3]
            if width == 3
            else (MONTHS[moment.month - 1] if width > 3 else f"{moment.month:0{width}d}")
        )
    if letter == "d":
        return (
            DAYS[moment.weekday()][:3]
            if width == 3
            else (DAYS[moment.weekday()] if width > 3 else f"{moment.day:0{width}d}")
        )
    numbers = {"H": moment.hour, "h": _hour12(moment), "m": moment.minute, "s": moment.second}
    if letter in numbers:
        return f"{numbers[letter]:0{min(width, 2)}d}"
    if letter in "fF":
        digits = f"{moment.microsecond:06d}0"[: min(width, 7)]
        return digits.rstrip("0") if letter == "F" else digits
    if letter == "t":
        return ("AM" if moment.hour < 12 else "PM")[:width]
    if letter in "zK":
        offset = _offset(moment)
        return offset if width >= 3 or letter == "K" else f"{offset[0]}{int(offset[1:3]):0{width}d}"
    return token


def dotnet_format(moment: dt.datetime, pattern: str) -> str:
    """A date in a .NET standard (`d`, `D`, `s`, `u`...) or custom (`yyyy-MM-dd`) format."""
    if pattern in _DOTNET_STANDARD:
        if pattern in "rRu":
            moment = moment.astimezone(dt.UTC) if moment.tzinfo else moment
        pattern = _DOTNET_STANDARD[pattern]
    out = []
    for token in _DOTNET_TOKEN.findall(pattern):
        if token[0] in "'\"":
            out.append(token[1:-1] if len(token) > 1 and token[-1] == token[0] else token[1:])
        elif token[0] == "\\":
            out.append(token[1:])
        elif token[0] == "%":
            out.append(_dotnet_field(moment, token[1:]))
        else:
            out.append(_dotnet_field(moment, token) if token[0] in "yMdHhmsfFtzK" else token)
    return "".join(out)
