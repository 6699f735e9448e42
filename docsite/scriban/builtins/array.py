"""Scriban's `array` functions. They never change the array they are given: each returns a
new one. An object reads as its `{key, value}` pairs and a single value as an array of one,
as Scriban's `for` does; null is mostly passed through (`null | array.first` is null)."""

from __future__ import annotations

import functools
import weakref
from typing import Any

from docsite.scriban.builtins.common import builtins
from docsite.scriban.runtime import ScriptError
from docsite.scriban.values import (
    LONGEST_TEXT,
    TextBudget,
    compare,
    equals,
    fingerprint,
    iterate,
    to_int,
    to_size,
    to_str,
    to_text,
    truthy,
)

# array.cycle remembers, per running template, where each group is: the runtime is the key,
# so the state ends with the template and two renders never share it.
_CYCLES: weakref.WeakKeyDictionary[Any, dict[Any, int]] = weakref.WeakKeyDictionary()


def _items(value: Any) -> list[Any]:
    """The elements, null as none."""
    return iterate(value) or []


def member_of(item: Any, name: str) -> Any:
    """A member of an object element; a dotted name falls back to nested members when no
    member has that exact name. Anything else has no members: null."""
    if not isinstance(item, dict):
        return None
    if name in item or "." not in name:
        return item.get(name)
    for part in name.split("."):
        if not isinstance(item, dict):
            return None
        item = item.get(part)
    return item


def add(_rt: Any, items: Any, value: Any) -> list[Any]:
    return [*_items(items), value]


def add_range(_rt: Any, items: Any, others: Any) -> list[Any]:
    return [*_items(items), *_items(others)]


def concat(_rt: Any, items: Any, others: Any) -> list[Any] | None:
    """Like add_range, but null and null is null."""
    if items is None and others is None:
        return None
    return add_range(_rt, items, others)


def compact(_rt: Any, items: Any) -> list[Any] | None:
    if items is None:
        return None
    return [item for item in _items(items) if item is not None]


def cycle(rt: Any, values: Any, group: Any = None) -> Any:
    """The next of the values each time it is called in one template, per group (by
    default, the values themselves are the group)."""
    choices = _items(values)
    if not choices:
        return None
    key = to_str(group) if group is not None else ("values", to_text(choices))
    try:
        positions = _CYCLES.setdefault(rt, {})
    except TypeError:
        raise ScriptError(
            "array.cycle needs a running template", "Call array.cycle inside a page."
        ) from None
    index = positions.get(key, 0)
    positions[key] = index + 1
    return choices[index % len(choices)]


def any_(rt: Any, items: Any, function: Any, *args: Any) -> bool:
    """True when the function, given an element and the extra arguments, is true for one."""
    return any(truthy(rt.call(function, [item, *args])) for item in _items(items))


def each(rt: Any, items: Any, function: Any) -> list[Any]:
    return [rt.call(function, [item]) for item in _items(items)]


def filter_(rt: Any, items: Any, function: Any) -> list[Any]:
    return [item for item in _items(items) if truthy(rt.call(function, [item]))]


def first(_rt: Any, items: Any) -> Any:
    elements = _items(items)
    return elements[0] if elements else None


def last(_rt: Any, items: Any) -> Any:
    elements = _items(items)
    return elements[-1] if elements else None


def insert_at(_rt: Any, items: Any, index: Any, value: Any) -> list[Any]:
    """A negative index counts from the end; beyond the end, nulls fill the gap."""
    elements = list(_items(items))
    position = to_size(index, "array.insert_at index")
    if position < 0:
        position = max(position + len(elements), 0)
    elements.extend([None] * (position - len(elements)))
    elements.insert(position, value)
    return elements


def join(rt: Any, items: Any, delimiter: Any = None, function: Any = None) -> str:
    """The elements as text between delimiters; a function may rewrite each text first."""
    budget = TextBudget("array.join: the text")
    texts = [to_text(item, budget) for item in _items(items)]
    if function is not None:
        texts = [to_str(rt.call(function, [text])) for text in texts]
    separator = to_str(delimiter)
    # Measured before it is made: a thousand long strings joined are gigabytes.
    if sum(map(len, texts)) + len(separator) * max(len(texts) - 1, 0) > LONGEST_TEXT:
        raise ScriptError(
            "array.join would make too long a string",
            f"strings stay under {LONGEST_TEXT} characters",
        )
    return separator.join(texts)


def limit(_rt: Any, items: Any, count: Any) -> list[Any] | None:
    if items is None:
        return None
    return _items(items)[: max(to_int(count, "array.limit count"), 0)]


def offset(_rt: Any, items: Any, index: Any) -> list[Any] | None:
    if items is None:
        return None
    return _items(items)[max(to_int(index, "array.offset index"), 0) :]


def map_(_rt: Any, items: Any, member: Any) -> list[Any]:
    """Each element's member of that name (null where it has none)."""
    key = to_str(member)
    return [member_of(item, key) for item in _items(items)]


def remove_at(_rt: Any, items: Any, index: Any) -> list[Any]:
    """A negative index counts from the end; an index outside the array removes nothing."""
    elements = list(_items(items))
    position = to_int(index, "array.remove_at index")
    if position < 0:
        position += len(elements)
    if 0 <= position < len(elements):
        del elements[position]
    return elements


def reverse(_rt: Any, items: Any) -> list[Any]:
    return _items(items)[::-1]


def size(_rt: Any, items: Any) -> int:
    if isinstance(items, str):
        return len(items)
    return len(_items(items))


def sort(_rt: Any, items: Any, member: Any = None) -> list[Any]:
    """A stable sort by value, or by the named member of each element."""
    elements = _items(items)
    if member is None:
        return sorted(elements, key=functools.cmp_to_key(compare))
    key = to_str(member)
    by_member = functools.cmp_to_key(lambda a, b: compare(member_of(a, key), member_of(b, key)))
    return sorted(elements, key=by_member)


def uniq(_rt: Any, items: Any) -> list[Any] | None:
    """The first of each set of equal elements, in their order."""
    if items is None:
        return None
    unique: list[Any] = []
    seen: set[Any] = set()  # booleans, numbers, strings: `equals` is `==` within a kind
    # Arrays, objects, dates...: compared one by one within a group of equal fingerprints.
    others: dict[int, list[Any]] = {}
    for item in _items(items):
        if isinstance(item, bool | int | float | str) or item is None:
            key = (type(item) if isinstance(item, bool | str) else None, item)
            if key in seen:
                continue
            seen.add(key)
        else:
            group = others.setdefault(_group_of(item), [])
            if any(equals(item, other) for other in group):
                continue
            group.append(item)
        unique.append(item)
    return unique


def _group_of(item: Any) -> int:
    """Arrays and objects by their fingerprint; anything else (dates) in one group."""
    return fingerprint(item) if isinstance(item, list | dict) else 0


def contains(_rt: Any, items: Any, item: Any) -> bool:
    return any(equals(element, item) for element in _items(items))


FUNCTIONS = builtins(
    "array",
    {
        "add": (add, 2, 2),
        "add_range": (add_range, 2, 2),
        "compact": (compact, 1, 1),
        "concat": (concat, 2, 2),
        "cycle": (cycle, 1, 2),
        "any": (any_, 2, None),
        "each": (each, 2, 2),
        "filter": (filter_, 2, 2),
        "first": (first, 1, 1),
        "insert_at": (insert_at, 3, 3),
        "join": (join, 2, 3),
        "last": (last, 1, 1),
        "limit": (limit, 2, 2),
        "map": (map_, 2, 2),
        "offset": (offset, 2, 2),
        "remove_at": (remove_at, 2, 2),
        "reverse": (reverse, 1, 1),
        "size": (size, 1, 1),
        "sort": (sort, 1, 2),
        "uniq": (uniq, 1, 1),
        "contains": (contains, 2, 2),
    },
)
