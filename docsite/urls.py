"""Relative URLs between published files, so a site works under any path and from disk."""

from __future__ import annotations


def root_prefix(page_url: str) -> str:
    """The relative path from a page to the site root: '' -> './', 'a/b/' -> '../../'."""
    depth = page_url.count("/")
    return "../" * depth if depth else "./"


def relative_href(from_url: str, to_url: str, fragment: str = "") -> str:
    """A link from one site-relative URL to another; to_url '' is the home page."""
    if to_url == from_url and fragment:
        return "#" + fragment
    href = root_prefix(from_url) + to_url
    if to_url and href.startswith("./"):
        href = href[2:]
    return href + ("#" + fragment if fragment else "")
