"""Compare docsite's build of a Retype project with the site Retype built from it, page by page.

    python -m benchmarks.retype_diff RETYPE_SITE DOCSITE_SITE [--all]

Many Retype projects commit their built site (2FAuth's `public/`): it is the best reference
there is for what a page should hold. For each page both sites have, the reading content
(Retype's `#retype-content`, docsite's `article.doc`) is reduced to what a reader relies on:
headings and their anchors, link targets, images, code blocks, tables, and the words. Pages
where these differ are listed with the differences, so a fidelity gap shows as a line.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Tag

_WORD = re.compile(r"\w+")


@dataclass
class Content:
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # level, id, text
    links: Counter[str] = field(default_factory=Counter)
    images: Counter[str] = field(default_factory=Counter)
    code_blocks: int = 0
    tables: int = 0
    words: Counter[str] = field(default_factory=Counter)


def _target(href: str, page_path: str) -> str:
    """A link's target as a site path (`/a/b/#x`), external ones as written."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
        return href.rstrip("/")
    path, _, fragment = href.partition("#")
    path = path.partition("?")[0]
    absolute = (
        posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path))
        if path
        else page_path
    )
    absolute = absolute.removesuffix("index.html")
    if not posixpath.splitext(absolute)[1]:
        absolute = absolute.rstrip("/") + "/"
    return urllib.parse.unquote(absolute) + (f"#{fragment}" if fragment else "")


def read_content(root: Tag, page_path: str) -> Content:
    found = Content()
    for hidden in root.find_all(["style", "script", "svg", "nav", "template"]):
        hidden.decompose()  # not reading text; docsite's small-screen "On this page" list
    for heading in root.find_all(re.compile(r"^h[1-4]$")):
        text = " ".join(heading.get_text(" ", strip=True).replace("#", "").split())
        found.headings.append((int(heading.name[1]), heading.get("id", ""), text))
    for link in root.find_all("a", href=True):
        if link.find_parent(re.compile(r"^h[1-6]$")) is not None or link.get("role") == "tab":
            continue  # a heading's own permalink, a tab's
        if not link["href"].startswith("#") or len(link["href"]) > 1:
            found.links[_target(link["href"], page_path)] += 1
    for trigger in root.find_all("doc-anchor-trigger"):  # Retype's links within a page
        found.links[_target(trigger.get("to", "#"), page_path)] += 1
    for image in root.find_all("img", src=True):
        found.images[posixpath.basename(urllib.parse.unquote(image["src"]))] += 1
    found.code_blocks = len(root.find_all("pre"))
    found.tables = len(root.find_all("table"))
    found.words = Counter(word.lower() for word in _WORD.findall(root.get_text(" ")))
    return found


def _content_of(path: Path, selector: str) -> Tag | None:
    soup = BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"), "html.parser")
    return soup.select_one(selector)


def compare(retype: Content, docsite: Content) -> list[str]:
    """What differs, one line each."""
    problems: list[str] = []
    ours = {(level, text) for level, _, text in docsite.headings}
    for level, anchor, text in retype.headings:
        if (level, text) not in ours:
            problems.append(f"heading h{level} missing: {text!r}")
        elif anchor and anchor not in {a for _, a, t in docsite.headings if t == text}:
            problems.append(f"heading {text!r}: anchor #{anchor} differs")
    for name, theirs, mine in (
        ("link", retype.links, docsite.links),
        ("image", retype.images, docsite.images),
    ):
        for item in sorted(set(theirs) - set(mine)):
            problems.append(f"{name} missing: {item}")
        for item in sorted(set(mine) - set(theirs)):
            problems.append(f"{name} extra: {item}")
    for name, theirs_count, mine_count in (
        ("code blocks", retype.code_blocks, docsite.code_blocks),
        ("tables", retype.tables, docsite.tables),
    ):
        if theirs_count != mine_count:
            problems.append(f"{name}: Retype {theirs_count}, docsite {mine_count}")
    missing_words = retype.words - docsite.words
    total = sum(retype.words.values()) or 1
    if sum(missing_words.values()) / total > 0.02:
        common = ", ".join(word for word, _ in missing_words.most_common(8))
        problems.append(f"words: {sum(missing_words.values())} of {total} missing (most: {common})")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("retype_site", type=Path)
    parser.add_argument("docsite_site", type=Path)
    args = parser.parse_args()
    same = differing = only_retype = 0
    for page in sorted(args.retype_site.rglob("index.html")):
        rel = page.relative_to(args.retype_site).as_posix()
        page_path = "/" + rel
        ours = args.docsite_site / rel
        theirs_root = _content_of(page, "#retype-content")
        if theirs_root is None:
            continue
        if not ours.is_file():
            only_retype += 1
            print(f"{rel}: only Retype has this page")
            continue
        ours_root = _content_of(ours, "article.doc")
        if ours_root is None:
            print(f"{rel}: docsite's page has no article")
            continue
        problems = compare(read_content(theirs_root, page_path), read_content(ours_root, page_path))
        if problems:
            differing += 1
            print(f"{rel}:")
            for problem in problems:
                print(f"    {problem}")
        else:
            same += 1
    print(f"\n{same} pages alike, {differing} differ, {only_retype} only in Retype's site")


if __name__ == "__main__":
    main()
