"""Watch mode and previews: `docsite serve` and `docsite preview` (see ARCHITECTURE.md).

- server.py: the HTTP server, its live-reload channel and `preview` of a built site.
- watch.py: `serve`, the loop that watches the project and rebuilds on every save.
- live.py: what a change means (a page body, the nav, the settings) and the rebuild it needs.
"""
