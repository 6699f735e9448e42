"""Page templating as Retype writes it: `{{ include "snippets/contact" }}` and values such as
`{{ page.label }}` or `{{ data.version }}`, expanded in the Markdown text before it is parsed.

The language itself is docsite/scriban, a Scriban engine that knows nothing of pages.

- origins.py: where each line of expanded text came from, for messages.
- selectors.py: the part of a file an include takes (`file#2-5`, `#region`, `#heading`).
- variables.py: what a page's templating sees, `page.*`, `project.*` and `data` values.
- expand.py: expanding a page body, with the files its includes name and the site-wide
  `top.md` and `bottom.md`.
- site_html.py: the site-wide includes the theme injects into every page's HTML, and what
  templating needs of the site (TemplateSetup).

Each module imports only those above it in this list. This one re-exports what the rest of
docsite uses.
"""

from docsite.markdown.templating.expand import (
    INCLUDES_FOLDER,
    Templater,
    expand_page,
    page_folder,
    without_region_markers,
)
from docsite.markdown.templating.origins import Origin
from docsite.markdown.templating.site_html import (
    SITE_HTML,
    SITE_INCLUDES,
    SiteHtml,
    TemplateSetup,
    build_time,
)
from docsite.markdown.templating.variables import (
    page_variables,
    project_variables,
    uses_templating,
)

__all__ = [
    "INCLUDES_FOLDER",
    "SITE_HTML",
    "SITE_INCLUDES",
    "Origin",
    "SiteHtml",
    "TemplateSetup",
    "Templater",
    "build_time",
    "expand_page",
    "page_folder",
    "page_variables",
    "project_variables",
    "uses_templating",
    "without_region_markers",
]
