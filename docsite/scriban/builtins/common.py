"""What the built-in modules share: how a table of functions becomes Builtin entries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docsite.scriban.runtime import Builtin

# name -> (function(runtime, *args), min_args, max_args or None for any number)
Signature = tuple[Callable[..., Any], int, int | None]


def builtins(prefix: str, table: dict[str, Signature]) -> dict[str, Builtin]:
    """The FUNCTIONS mapping of one object: each name with its full name `prefix.name`."""
    return {
        name: Builtin(f"{prefix}.{name}", function, low, high)
        for name, (function, low, high) in table.items()
    }
