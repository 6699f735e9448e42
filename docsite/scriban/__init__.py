"""Scriban, the template language of Retype pages (`{{ ... }}`), as a self-contained engine:
a lexer and parser that keep source positions, an evaluator with limits, and Scriban's
built-in functions. It knows nothing of pages, files or config; docsite's templating
(docsite/markdown/templating) gives it the values a page may read.

    template = parse(text, first_line=1)      # TemplateSyntaxError on bad syntax
    template.render({"page": {...}})          # TemplateRuntimeError when rendering fails
    template.render_report(...).unknown       # names read but defined nowhere
"""

from docsite.scriban.errors import TemplateError, TemplateRuntimeError, TemplateSyntaxError
from docsite.scriban.evaluator import Limits
from docsite.scriban.template import Rendering, Template, UnknownName, parse

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
