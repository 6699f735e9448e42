"""What a page's templating sees, as Retype documents it: `page.*` from the page, `project.*`
from the site's config, and the keys of `data` (the project's, then the page's) as names of
their own."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from docsite.config import HeaderLink, SiteConfig
from docsite.labels import LabelTable, template_labels
from docsite.pages import Page
from docsite.scriban.runtime import ScriptError
from docsite.scriban.values import CalendarDate, KnownMembers, NamedObject


def uses_templating(page: Page) -> bool:
    """Whether the page's own text has templating to expand."""
    body = page.body
    return page.settings.templating and ("{{" in body or "{%" in body or bool(page.prelude))


def page_variables(page: Page, site_url: str = "") -> dict[str, Any]:
    """What `{{ page.* }}` offers: the page's settings as its frontmatter names them. The
    same dict describes a page in `content.*`."""
    settings = page.settings
    path = "/" + page.url
    authors = [_author(author) for author in settings.authors]
    return KnownMembers(
        {
            "label": page.label,
            "title": page.title,
            "description": settings.description,
            "path": path,
            "url": _full(site_url, path),
            "filePath": "/" + page.source.rel,
            "md": _full(site_url, "/" + page.markdown_path),
            "icon": settings.icon,
            "order": settings.order if settings.order is not None else "",
            "tags": list(settings.tags),
            "categories": list(settings.categories),
            "date": _date(settings.date, settings.date_time),
            "created": _date(settings.created),
            "lastUpdated": _date(settings.last_updated),
            "author": authors[0] if authors else None,
            "authors": authors,
            "layout": settings.layout,
            "visibility": settings.visibility,
            "permalink": settings.permalink,
            "image": settings.image,
            "meta": {"title": settings.meta_title, "description": settings.meta_description},
            "data": settings.data,
        }
    )


def action_page_values(site_url: str, page: Page) -> dict[str, Any]:
    """What a custom action's templates read of a page (`page.*`): as pages' templates do,
    with `page.markdown` for `page.md`."""
    values = dict(page_variables(page, site_url))
    values["markdown"] = values["md"]
    return values


def _full(site_url: str, path: str) -> str:
    """A root-relative path as a full URL, when the site's `url` is known."""
    return site_url.rstrip("/") + path if site_url else path


def _author(author: Any) -> NamedObject:
    return NamedObject({"name": author.name, "email": author.email, "link": author.link})


def _date(value: dt.date | None, time: dt.time | None = None) -> dt.datetime | None:
    """A frontmatter date as a Scriban date, written as it was written: at midnight UTC,
    or at its time of day when it gives one."""
    if value is None:
        return None
    if time is not None:
        return dt.datetime.combine(value, time, time.tzinfo or dt.UTC)
    return CalendarDate(value.year, value.month, value.day, tzinfo=dt.UTC)


def git_date(iso: str) -> dt.datetime | None:
    """A last commit's date (ISO 8601, '' when not in git) as a Scriban date."""
    if not iso:
        return None
    try:
        return _date(dt.date.fromisoformat(iso[:10]))
    except ValueError:
        return None


def project_variables(config: SiteConfig) -> dict[str, Any]:
    """What `{{ project.* }}` offers: the config under Retype's names (`branding`, `meta`)
    and docsite's own, with `project.data`."""
    return KnownMembers(
        {
            "title": config.title,
            "description": config.description,
            "url": config.url,
            "language": config.language,
            "logo": config.logo,
            "links": [_link(link) for link in config.links],
            "branding": {
                "title": config.title,
                "label": config.label,
                "logo": config.logo,
                "logoDark": config.logo_dark,
            },
            "meta": {"title": config.meta.title, "siteName": config.meta.site_name or config.title},
            "data": config.data,
            "labels": project_labels(config.locale, config.labels),
            "locale": config.locale,
        }
    )


class ReadOnlyLabels(LabelTable):
    """`project.labels`: shared by every page of a build, so a template cannot change it
    (and copying the values a page may change leaves it alone)."""

    def _refuse(self, *_args: Any, **_kwargs: Any) -> None:
        raise ScriptError(
            "the interface labels cannot be changed",
            "copy the text you need into a variable of your own",
        )

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse

    # What the whole table is made from, (locale, overrides): its repr, which the keys and
    # the nonce take (docsite's own words are part of the engine), is that, not about
    # 200 KB of every locale's words.
    origin: tuple[str, Any] | None = None

    def __repr__(self) -> str:
        if self.origin is None:
            return super().__repr__()
        return f"ReadOnlyLabels(locale={self.origin[0]!r}, overrides={self.origin[1]!r})"

    def __deepcopy__(self, memo: dict) -> ReadOnlyLabels:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (ReadOnlyLabels, (dict(self),))


_PROJECT_LABELS: dict[str, ReadOnlyLabels] = {}


def project_labels(locale: str, overrides: Any) -> ReadOnlyLabels:
    """`project.labels`, made once per locale and overrides: every locale's table costs
    tens of milliseconds, and watch mode asks on every change. Read-only, so shared."""
    key = repr((locale, overrides))
    found = _PROJECT_LABELS.get(key)
    if found is None:
        if len(_PROJECT_LABELS) > 8:
            _PROJECT_LABELS.clear()
        found = _PROJECT_LABELS[key] = read_only_labels(template_labels(locale, overrides))
        found.origin = (locale, overrides)
    return found


def read_only_labels(table: LabelTable) -> ReadOnlyLabels:
    """The table and its groups (`project.labels.fr`), read-only."""
    return ReadOnlyLabels(
        {
            key: read_only_labels(value) if isinstance(value, LabelTable) else value
            for key, value in table.items()
        }
    )


def _link(link: HeaderLink) -> dict[str, Any]:
    return {
        "text": link.text,
        "link": link.link,
        "icon": link.icon,
        "title": link.title,
        "target": link.target,
        "items": [_link(item) for item in link.items],
    }


def nonce(config_digest: str) -> str:
    """Retype's `{{ nonce }}`, a value that changes when the site does (for `?v=` cache
    busting): here, from the config, so that the same inputs give the same bytes."""
    return hashlib.sha256(config_digest.encode()).hexdigest()[:12]


def template_globals(
    page_values: dict[str, Any], shared: dict[str, Any], namespace: str = ""
) -> dict[str, Any]:
    """The names a page's template reads: `shared` (project, nonce...) with `page`, and the
    keys of the project's `data`, then the page's, each as a name of its own. A `namespace`
    (Retype's `templating.namespace`, such as my.docs) holds project, page and content."""
    project_data = shared.get("project", {}).get("data", {})
    data = {**project_data, **page_values.get("data", {})}
    found = {**data, **shared, "data": data, "page": page_values}
    if not namespace:
        return found
    nested = {name: found.pop(name) for name in _NAMESPACED if name in found}
    for part in reversed(namespace.split(".")):
        nested = {part: nested}
    return {**found, **nested}


# What Retype's `templating.namespace` moves under its name.
_NAMESPACED = ("project", "page", "content")
