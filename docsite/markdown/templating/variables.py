"""What a page's templating sees: `{{ page.* }}` from the page, `{{ project.* }}` from the
site's config."""

from __future__ import annotations

from typing import Any

from docsite.config import SiteConfig
from docsite.pages import Page


def uses_templating(page: Page) -> bool:
    """Whether the page's own text has templating to expand."""
    body = page.body
    return page.settings.templating and ("{{" in body or "{%{" in body)


def page_variables(page: Page) -> dict[str, Any]:
    """What `{{ page.* }}` offers: the page's settings as its frontmatter names them."""
    settings = page.settings
    return {
        "label": page.label,
        "title": page.title,
        "description": settings.description,
        "url": "/" + page.url,
        "icon": settings.icon,
        "order": settings.order if settings.order is not None else "",
        "tags": list(settings.tags),
        "date": settings.date,
        "created": settings.created,
        "author": ", ".join(author.name for author in settings.authors),
        "layout": settings.layout,
        "visibility": settings.visibility,
        "permalink": settings.permalink,
        "image": settings.image,
    }


def project_variables(config: SiteConfig) -> dict[str, Any]:
    """What `{{ project.* }}` offers, under docsite's names and Retype's `branding`."""
    links = [{"text": link.text, "link": link.link, "icon": link.icon} for link in config.links]
    return {
        "title": config.title,
        "description": config.description,
        "url": config.url,
        "language": config.language,
        "logo": config.logo,
        "links": links,
        "branding": {"title": config.title, "logo": config.logo},
    }
