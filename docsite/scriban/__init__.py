"""Scriban, the template language of Retype pages (`{{ ... }}`), as a self-contained engine:
a lexer and parser that keep source positions, an evaluator with limits, and Scriban's
built-in functions. It knows nothing of pages, files or config; docsite's templating
(docsite/markdown/templating) gives it the values a page may read."""
