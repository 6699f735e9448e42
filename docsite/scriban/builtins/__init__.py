"""Scriban's built-in function objects (`string`, `array`, `math`, `date`, `html`, `object`,
`regex`, `timespan`), each a mapping of function names to Builtin. A built-in takes the
running template first (`function(runtime, *args)`); a piped value is its first argument."""

from __future__ import annotations

from docsite.scriban.builtins import array, date, html, math, object, regex, string, timespan
from docsite.scriban.runtime import Builtin

BUILTIN_OBJECTS: dict[str, dict[str, Builtin]] = {
    "array": array.FUNCTIONS,
    "date": date.FUNCTIONS,
    "html": html.FUNCTIONS,
    "math": math.FUNCTIONS,
    "object": object.FUNCTIONS,
    "regex": regex.FUNCTIONS,
    "string": string.FUNCTIONS,
    "timespan": timespan.FUNCTIONS,
}
