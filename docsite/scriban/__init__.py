"""Scriban, the template language of Retype pages (`{{ ... }}`), as a self-contained engine:
a lexer and parser that keep source positions, an evaluator with limits, and Scriban's
built-in functions. It knows nothing of pages, files or config; docsite's templating
(docsite/markdown/templating) gives it the values a page may read.

    template = parse(text, first_line=1)      # TemplateSyntaxError on bad syntax
    template.render({"page": {...}})          # TemplateRuntimeError when rendering fails
    template.render_report(...).unknown       # names read but defined nowhere
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docsite.scriban.errors import TemplateError, TemplateRuntimeError, TemplateSyntaxError

if TYPE_CHECKING:
    from docsite.scriban.evaluator import Limits
    from docsite.scriban.template import Rendering, Template, UnknownName, parse


def __getattr__(name: str) -> Any:
    """The parser and the evaluator load when first asked for: a site whose pages use no
    templating never needs them (about 12 ms of every build's start). Each name is then
    kept here, so that later lookups do not come back."""
    if name == "Limits":
        from docsite.scriban.evaluator import Limits as found
    elif name in ("Rendering", "Template", "UnknownName", "parse"):
        from docsite.scriban import template

        found = getattr(template, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = found
    return found


__all__ = [
    "Limits",
    "Rendering",
    "Template",
    "TemplateError",
    "TemplateRuntimeError",
    "TemplateSyntaxError",
    "UnknownName",
    "parse",
]
