"""Site-wide checks that need every page: links to anchors on other pages."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from docsite.cache import PageRecord
from docsite.diagnostics import Diagnostic, Severity, did_you_mean
from docsite.pages import SiteContent


def links_as_checked(records: dict[str, PageRecord], last: dict[str, PageRecord]) -> bool:
    """Whether the last build checked these very links against these very anchors: the same
    pages have records, each with the links and anchors of its last one. With the site key
    unchanged too (which holds every page, its visibility and `checks.anchors`), the last
    build's link checks are this build's: a body edit need not walk every link again."""
    if records.keys() != last.keys():
        return False
    for rel, record in records.items():
        before = last[rel]
        if record is not before and (
            record.page_links != before.page_links or record.anchors != before.anchors
        ):
            return False
    return True


Link = tuple[str, str, int, int]  # target page, fragment, line, column


def check_links(
    site: SiteContent, records: dict[str, PageRecord], anchors_level: str = "error"
) -> list[Diagnostic]:
    """Links to `page.md#anchor` need that anchor (reported as `checks.anchors` says: error,
    warning or off). A link to a hidden page is fine: it is how Retype means such a page to be
    reached."""
    return _checked(
        site, records, anchors_level, ((rel, r.page_links) for rel, r in records.items())
    )


def check_links_near(
    site: SiteContent,
    records: dict[str, PageRecord],
    anchors_level: str,
    pages: Collection[str],
    moved: Collection[str],
) -> list[Diagnostic]:
    """The checks that `pages`, re-rendered alone, can change: each of their links, and the
    links of other pages to those of them whose anchors changed (`moved`). `records` are
    theirs as re-rendered."""
    links: list[tuple[str, Iterable[Link]]] = [(rel, records[rel].page_links) for rel in pages]
    if moved:
        links += [
            (rel, [link for link in record.page_links if link[0] in moved])
            for rel, record in records.items()
            if rel not in pages
        ]
    return _checked(site, records, anchors_level, links)


def _checked(
    site: SiteContent,
    records: dict[str, PageRecord],
    anchors_level: str,
    links: Iterable[tuple[str, Iterable[Link]]],
) -> list[Diagnostic]:
    """The diagnostics of these pages' links to anchors."""
    found: list[Diagnostic] = []
    if anchors_level == "off":
        return found
    # As sets, made once per target: a page may link to its own headings thousands of times.
    anchor_sets: dict[str, frozenset[str]] = {}
    for rel, page_links in links:
        for target_rel, fragment, line, col in page_links:
            if not fragment:  # most links: nothing to check here
                continue
            target = site.by_source.get(target_rel)
            target_record = records.get(target_rel)
            # A protected page's headings are not published: its anchors cannot be checked.
            if target is None or target_record is None or target.withheld:
                continue
            anchors = anchor_sets.get(target_rel)
            if anchors is None:
                anchors = anchor_sets[target_rel] = frozenset(target_record.anchors)
            if fragment not in anchors:
                page = site.by_source[rel]
                where = "this page" if target is page else f"'{target.source.shown}'"
                found.append(
                    Diagnostic(
                        page.source.shown,
                        line,
                        col,
                        Severity(anchors_level),
                        f"link to '#{fragment}', which is not an anchor on {where}",
                        _anchor_hint(fragment, target_record.anchors),
                    )
                )
    return found


def _anchor_hint(fragment: str, anchors: list[str]) -> str:
    """The closest anchor of the same kind: a block id for '^...', else a heading's or an id."""
    if fragment.startswith("^"):
        blocks = [a for a in anchors if a.startswith("^")]
        return did_you_mean(fragment, blocks) or (
            "a block id is written at the end of a paragraph or list item: 'Some text ^block-id'"
        )
    return did_you_mean(fragment, anchors) or (
        "anchors are heading texts in lower case with '-' for spaces"
    )
