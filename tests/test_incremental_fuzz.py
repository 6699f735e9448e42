"""Adversarial, property-based rebuilds: after any sequence of edits to a small site, a
rebuild with the cache gives byte for byte what a clean build of the same files gives, and
reports the same problems.

A state machine keeps a model of a small site (3 folders of 3 pages, two folders' default
pages and one folder's `index.yml`, a home page) and edits it one way per rule: H1s, labels,
titles, descriptions, icons, layouts, orders, permalinks (of pages and folders), visibility,
tags, categories, dates, redirects, expanded folders, pages' own settings files, bodies,
headings that others link to with anchors, links of every kind, templating that reads the
page or other pages (by file, by title, by search, every page, the tags), `[!backlinks]`,
pages added, removed and renamed. After each edit it rebuilds with the cache (which reuses
`.docsite-cache/` and the last output) and compares the output folder with a clean build's.

`PathLinkSite` links pages by their files, whose targets a page's dependencies follow; a path
once gone stays gone. `AnyLinkSite` also links by what other pages' frontmatter says (an
address a permalink makes, a Markdown copy's address, a tag's page), shows cards, and brings
pages back at paths that were gone. `WiderSite` edits the config, included files, media,
nested folders, blog posts and block ids; `ThemedSite` the project's own templates (overrides
of the theme's, broken ones) and static files (some where the theme's, a generated file's or
a page's path is). The deterministic tests at the end are the smallest cases it found before
the cache followed them: what a link to no page's file finds now (`markdown.link_resolution`),
and a card's kicker and `created` date."""

from __future__ import annotations

import difflib
import os
import posixpath
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import write_files
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from test_incremental import tree

from docsite.build import BuildOptions, BuildResult, build_site
from docsite.themefiles import default_theme_dir

# Broken links and anchors are warnings, as in a Retype project: an edit may leave a link
# dangling (a page removed, a heading renamed) and the site still builds.
CONFIG = "title: Fuzz\nchecks:\n  links: warning\n  anchors: warning\n"
FOLDERS = 3
PAGES = 3  # per folder, besides its default page
TAGS = ("t0", "t1", "t2")
WORDS = ("Alpha", "Beta", "Gamma", "Delta", "Omega", "Zeta")
# Links that name a page by its file: the page depends on what they show of it.
PATH_LINKS = ("md", "md", "rooted", "wiki", "ref", "folder")
# Links that find their target by other pages' frontmatter (a permalink, tags), and cards.
SETTINGS_LINKS = ("card", "card", "url", "copy", "tag")


def slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def stem(rel: str) -> str:
    return posixpath.splitext(posixpath.basename(rel))[0]


def relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def yaml_lines(settings: dict[str, str]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in settings.items())


@dataclass
class PageModel:
    """One Markdown page: frontmatter (key -> YAML text), H1, `##` headings, body lines."""

    front: dict[str, str] = field(default_factory=dict)
    h1: str = ""
    headings: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        out = "---\n" + yaml_lines(self.front) + "---\n" if self.front else ""
        if self.h1:
            out += f"# {self.h1}\n\n"
        for heading in self.headings:
            out += f"## {heading}\n\nText under {heading}.\n\n"
        return out + "".join(line + "\n\n" for line in self.lines)


def differences(incremental: dict[str, bytes], clean: dict[str, bytes]) -> str:
    """Which files differ, and a short unified diff of the first (a page before the rest)."""
    differ = sorted(
        k for k in incremental.keys() | clean.keys() if incremental.get(k) != clean.get(k)
    )
    if not differ:
        return ""
    shown = min(differ, key=lambda k: (not k.endswith(".html"), k))
    diff = difflib.unified_diff(
        clean.get(shown, b"<missing>").decode(errors="replace").splitlines(),
        incremental.get(shown, b"<missing>").decode(errors="replace").splitlines(),
        f"clean/{shown}",
        f"incremental/{shown}",
        n=1,
        lineterm="",
    )
    return f"files that differ: {differ}\n" + "\n".join(list(diff)[:30])


def messages(result: BuildResult) -> list[str]:
    return [d.format() for d in result.report.items]


def problems(result: BuildResult) -> list[str]:
    """The build's messages without their hints (a hint's "did you mean" may name a page
    that is gone: see test_a_broken_links_hint_follows_the_pages_it_names)."""
    return sorted(
        f"{d.file}:{d.line}:{d.col}: {d.severity}: {d.message}" for d in result.report.items
    )


class IncrementalSite(RuleBasedStateMachine):
    """A small site, edited one way per step, rebuilt with the cache and compared with a
    clean build after every step."""

    LINK_STYLES: tuple[str, ...] = PATH_LINKS
    # Links written at the start, as (from, line): each edit may then change what one shows.
    SEEDS: tuple[tuple[str, str], ...] = (
        ("s0/p00.md", "[next](p01.md#part-a)"),
        ("s1/p10.md", "[[p20]]"),
        ("s1/p11.md", "[!ref](../s2/p21.md#part-b)"),
        ("s2/p22.md", "[up](/s1/)"),
        ("s0/p02.md", 'Read: {{ content["p12"].title }} at {{ content["p12"].path }}'),
        ("s2/p20.md", "I am {{ page.title }}, {{ page.label }}, at {{ page.path }}."),
        ("s1/p12.md", "[!backlinks]"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.base = Path(tempfile.mkdtemp(prefix="docsite-fuzz-"))
        self.root = self.base / "proj"
        self.out = self.root / "site"
        self.step = 0
        self.counter = 0
        self.log: list[str] = []
        self.pages: dict[str, PageModel] = {"index.md": PageModel(h1="Home", lines=["Welcome."])}
        for f in range(FOLDERS):
            if f < FOLDERS - 1:
                self.pages[f"s{f}/index.md"] = PageModel({"order": str(f + 1)}, f"Section {f}")
            for i in range(PAGES):
                self.pages[f"s{f}/p{f}{i}.md"] = PageModel(
                    {"order": str(i + 1)},
                    f"Page {f}{i}",
                    ["Part A", "Part B"],
                    [f"Body of page {f}{i}."],
                )
        # The last folder has no default page: its settings are in its index.yml.
        self.folder_yml: dict[str, str] = {"label": "Settings folder", "order": str(FOLDERS)}
        # Pages' own settings files (guide.yml beside guide.md), by the page.
        self.sidecars: dict[str, dict[str, str]] = {}
        self.gone: list[str] = []  # the paths of pages removed or renamed
        self.pages |= self.extra_pages()
        for rel, line in self.SEEDS:
            self.pages[rel].lines.append(line)
        files = {"docsite.yml": CONFIG, self.yml_path(): yaml_lines(self.folder_yml)}
        files |= {"content/" + rel: page.text() for rel, page in self.pages.items()}
        files |= self.extra_files()
        write_files(self.root, files)
        result = build_site(BuildOptions(root=self.root, out=self.out, jobs=1))
        assert result.ok, messages(result)

    def teardown(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    def extra_pages(self) -> dict[str, PageModel]:
        """Pages a machine adds to the site it starts with."""
        return {}

    def extra_files(self) -> dict[str, str | bytes]:
        """Other files it starts with (project paths); they win over the ones above."""
        return {}

    # ---- files and choices ---------------------------------------------------------------

    def yml_path(self) -> str:
        return f"content/s{FOLDERS - 1}/index.yml"

    def write(self, rel: str) -> None:
        (self.root / "content" / rel).write_text(self.pages[rel].text(), encoding="utf-8")

    def leaves(self) -> list[str]:
        """Every page but the home page and the folders' default pages."""
        return sorted(r for r in self.pages if r != "index.md" and stem(r) != "index")

    def indexes(self) -> list[str]:
        return sorted(r for r in self.pages if r.endswith("/index.md"))

    def pick(self, data: st.DataObject, choices: list[str], what: str) -> str:
        return data.draw(st.sampled_from(choices), label=what)

    def set_setting(self, rel: str, key: str, value: str | None) -> None:
        if value is None:
            self.pages[rel].front.pop(key, None)
        else:
            self.pages[rel].front[key] = value
        self.write(rel)
        self.log.append(f"{key} of {rel}: {value}")

    # ---- rules: what a page says of itself -----------------------------------------------

    @rule(data=st.data(), word=st.sampled_from(WORDS))
    def retitle(self, data: st.DataObject, word: str) -> None:
        """The H1, which names the page (its label and title) unless its frontmatter does."""
        rel = self.pick(data, sorted(self.pages), "page")
        self.pages[rel].h1 = f"{word} {self.step}"
        self.write(rel)
        self.log.append(f"H1 of {rel}: {word} {self.step}")

    @rule(
        data=st.data(),
        key=st.sampled_from(["label", "title", "description", "icon", "layout"]),
        word=st.one_of(st.none(), st.sampled_from(WORDS)),
    )
    def text_setting(self, data: st.DataObject, key: str, word: str | None) -> None:
        rel = self.pick(data, self.leaves() + self.indexes(), "page")
        value = word and {
            "icon": {"Alpha": "rocket", "Beta": "gear"}.get(word, "book"),
            "layout": {"Alpha": "page", "Beta": "central"}.get(word, "default"),
        }.get(key, f"{word} {key}")
        self.set_setting(rel, key, value)

    @rule(data=st.data(), order=st.sampled_from([None, "-1", "1", "2", "7"]))
    def reorder(self, data: st.DataObject, order: str | None) -> None:
        self.set_setting(self.pick(data, self.leaves() + self.indexes(), "page"), "order", order)

    @rule(data=st.data(), on=st.booleans())
    def permalink(self, data: st.DataObject, on: bool) -> None:
        """A page's own permalink, its own (no two pages claim one URL)."""
        rel = self.pick(data, self.leaves(), "page")
        self.set_setting(rel, "permalink", f"/m-{stem(rel)}" if on else None)

    @rule(data=st.data(), on=st.booleans())
    def folder_permalink(self, data: st.DataObject, on: bool) -> None:
        rel = self.pick(data, self.indexes(), "folder")
        self.set_setting(rel, "permalink", f"/f-{posixpath.dirname(rel)}" if on else None)

    @rule(data=st.data(), value=st.sampled_from([None, "hidden", "hidden", "protected", "private"]))
    def visibility(self, data: st.DataObject, value: str | None) -> None:
        self.set_setting(
            self.pick(data, self.leaves() + self.indexes(), "page"), "visibility", value
        )

    @rule(
        data=st.data(),
        key=st.sampled_from(["tags", "tags", "categories"]),
        names=st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
    )
    def retag(self, data: st.DataObject, key: str, names: list[str]) -> None:
        value = "[" + ", ".join(names) + "]" if names else None
        self.set_setting(self.pick(data, self.leaves(), "page"), key, value)

    @rule(
        data=st.data(),
        key=st.sampled_from(["date", "created"]),
        value=st.sampled_from([None, "2024-05-01", "2025-01-31"]),
    )
    def dated(self, data: st.DataObject, key: str, value: str | None) -> None:
        self.set_setting(self.pick(data, self.leaves(), "page"), key, value)

    @rule(data=st.data(), value=st.sampled_from([None, "true", "false"]))
    def expand_folder(self, data: st.DataObject, value: str | None) -> None:
        self.set_setting(self.pick(data, self.indexes(), "folder"), "expanded", value)

    def redirects(self) -> dict[str, str]:
        """Each redirecting page's target page."""
        return {
            rel: posixpath.normpath(posixpath.join(posixpath.dirname(rel), page.front["redirect"]))
            for rel, page in self.pages.items()
            if "redirect" in page.front
        }

    @rule(data=st.data())
    def redirect(self, data: st.DataObject) -> None:
        """A page that redirects to another, which does not (a loop is an error); or no
        longer does."""
        redirects = self.redirects()
        rel = self.pick(data, [r for r in self.leaves() if r not in redirects.values()], "page")
        targets = [r for r in self.leaves() if r != rel and r not in redirects]
        target = self.pick(data, [*targets, ""], "to")
        self.set_setting(rel, "redirect", relative(rel, target) if target else None)

    def follow(self, rel: str, new: str | None) -> None:
        """Redirects to a page removed or renamed (else an error): gone, or to its new file."""
        for source, target in self.redirects().items():
            if target == rel:
                self.set_setting(source, "redirect", relative(source, new) if new else None)

    @rule(
        key=st.sampled_from(["label", "order", "icon", "expanded", "visibility"]),
        choice=st.integers(0, 2),
    )
    def folder_yml(self, key: str, choice: int) -> None:
        """The settings of the folder that has no default page, in its index.yml."""
        value = {
            "label": [None, "Settings folder", "Renamed folder"],
            "order": [None, "3", "-2"],
            "icon": [None, "rocket", "gear"],
            "expanded": [None, "true", "false"],
            "visibility": [None, "hidden", "public"],
        }[key][choice]
        if value is None:
            self.folder_yml.pop(key, None)
        else:
            self.folder_yml[key] = value
        write_files(self.root, {self.yml_path(): yaml_lines(self.folder_yml)})
        self.log.append(f"index.yml {key}: {value}")

    @rule(
        data=st.data(),
        key=st.sampled_from(["label", "order", "icon"]),
        value=st.sampled_from([None, "5", "Sidecar"]),
    )
    def sidecar(self, data: st.DataObject, key: str, value: str | None) -> None:
        """A page's own settings file beside it (Retype's `page.yml`)."""
        rel = self.pick(data, self.leaves(), "page")
        own = self.sidecars.setdefault(rel, {})
        if value is None:
            own.pop(key, None)
        else:
            own[key] = {"order": "5", "icon": "gear"}.get(key, f"{value} {self.step}")
        path = self.root / "content" / (rel.removesuffix(".md") + ".yml")
        if own:
            path.write_text(yaml_lines(own), encoding="utf-8")
        else:
            del self.sidecars[rel]
            path.unlink(missing_ok=True)
        self.log.append(f"{rel.removesuffix('.md')}.yml {key}: {value}")

    # ---- rules: bodies, headings, links --------------------------------------------------

    @rule(data=st.data(), word=st.sampled_from(WORDS))
    def body_edit(self, data: st.DataObject, word: str) -> None:
        rel = self.pick(data, sorted(self.pages), "page")
        self.pages[rel].lines.append(f"{word} text {self.step}.")
        self.write(rel)
        self.log.append(f"body of {rel}")

    @rule(data=st.data(), word=st.sampled_from(WORDS))
    def rename_heading(self, data: st.DataObject, word: str) -> None:
        """A heading other pages may link to with an anchor (their links then warn)."""
        rel = self.pick(data, self.leaves(), "page")
        headings = self.pages[rel].headings
        if headings:
            headings[data.draw(st.integers(0, len(headings) - 1), label="heading")] = word
        else:
            headings.append(word)
        self.write(rel)
        self.log.append(f"heading of {rel}: {word}")

    @rule(data=st.data(), anchored=st.booleans())
    def add_link(self, data: st.DataObject, anchored: bool) -> None:
        source = self.pick(data, sorted(self.pages), "from")
        target = self.pick(data, sorted(self.pages), "to")
        style = self.pick(data, list(self.LINK_STYLES), "style")
        headings = self.pages[target].headings
        anchor = ""
        if anchored and headings:
            anchor = "#" + slug(data.draw(st.sampled_from(headings), label="heading"))
        path, text = relative(source, target), f"link {self.step}"
        name = stem(target) if stem(target) != "index" else posixpath.dirname(target) or "Home"
        tag = data.draw(st.sampled_from(TAGS), label="tag")
        line = {
            "md": f"[{text}]({path}{anchor})",
            "rooted": f"[{text}](/{target}{anchor})",
            "wiki": f"[[{name}{anchor}]]",
            "ref": f"[!ref]({path}{anchor})",
            "folder": f"[{text}](/{posixpath.dirname(target) or 's0'}/)",  # its default page
            "card": f"[!card]({path})",
            "url": f"[{text}](/m-{stem(target)}/)",  # by its address, as its permalink says
            "copy": f"[{text}](/m-{stem(target)}.md)",  # its Markdown copy, at its address
            "tag": f"[{text}](/tags/{tag}/)",
        }[style]
        self.pages[source].lines.append(line)
        self.write(source)
        self.log.append(f"{style} link in {source}: {line}")

    @rule(data=st.data())
    def remove_line(self, data: st.DataObject) -> None:
        rel = self.pick(data, sorted(self.pages), "page")
        lines = self.pages[rel].lines
        if lines:
            removed = lines.pop(data.draw(st.integers(0, len(lines) - 1), label="line"))
            self.write(rel)
            self.log.append(f"removed from {rel}: {removed}")

    @rule(
        data=st.data(),
        kind=st.sampled_from(["self", "other", "title", "search", "pages", "tags", "backlinks"]),
        word=st.sampled_from(WORDS),
    )
    def templating(self, data: st.DataObject, kind: str, word: str) -> None:
        """Templating that reads the page, another page (by its file or its title), the
        pages whose titles hold a word, every page or the tags; or the marker where the
        page's backlinks go."""
        rel = self.pick(data, sorted(self.pages), "page")
        other = 'content["' + stem(self.pick(data, self.leaves(), "read")) + '"]'
        line = {
            "self": "I am {{ page.title }}, {{ page.label }}, at {{ page.path }}.",
            "other": f"Read: {{{{ {other}.title }}}} at {{{{ {other}.path }}}}",
            "title": f'Titled: {{{{ content["{word} title"].path }}}}',
            "search": f'Found: {{{{ for p in content.search("{word.lower()}") }}}}{{{{ p.path }}}} '
            "{{ end }}",
            "pages": "All: {{ for p in content.pages }}{{ p.label }}={{ p.path }} {{ end }}",
            "tags": "Tags: {{ for t in content.tags }}{{ t.title }}:{{ t.pages.size }} {{ end }}",
            "backlinks": "[!backlinks]",
        }[kind]
        self.pages[rel].lines.append(line)
        self.write(rel)
        self.log.append(f"templating in {rel}: {line}")

    # ---- rules: files added, removed, renamed --------------------------------------------

    @rule(folder=st.integers(0, FOLDERS - 1))
    def add_page(self, folder: int) -> None:
        self.counter += 1
        rel = f"s{folder}/n{self.counter}.md"
        self.pages[rel] = PageModel({}, f"New {self.counter}", ["Part A"], ["[home](../index.md)"])
        self.write(rel)
        self.log.append(f"added {rel}")

    def drop_sidecar(self, rel: str) -> None:
        if self.sidecars.pop(rel, None) is not None:
            (self.root / "content" / (rel.removesuffix(".md") + ".yml")).unlink()

    @precondition(lambda self: len(self.leaves()) > 3)
    @rule(data=st.data())
    def remove_page(self, data: st.DataObject) -> None:
        rel = self.pick(data, self.leaves(), "page")
        del self.pages[rel]
        self.gone.append(rel)
        self.drop_sidecar(rel)
        (self.root / "content" / rel).unlink()
        self.log.append(f"removed {rel}")
        self.follow(rel, None)

    @rule(data=st.data())
    def rename_page(self, data: st.DataObject) -> None:
        rel = self.pick(data, self.leaves(), "page")
        self.counter += 1
        new = f"{posixpath.dirname(rel)}/r{self.counter}.md"
        self.pages[new] = self.pages.pop(rel)
        self.gone.append(rel)
        self.drop_sidecar(rel)
        (self.root / "content" / rel).rename(self.root / "content" / new)
        self.log.append(f"renamed {rel} -> {new}")
        self.follow(rel, new)

    # ---- the property --------------------------------------------------------------------

    @invariant()
    def rebuild_is_a_clean_build(self) -> None:
        self.step += 1
        result = build_site(BuildOptions(root=self.root, out=self.out, jobs=1))
        assert result.ok, (self.log, messages(result))
        clean_out = self.base / "clean"
        clean = build_site(BuildOptions(root=self.root, out=clean_out, use_cache=False, jobs=1))
        assert clean.ok, (self.log, messages(clean))
        differ = differences(tree(self.out), tree(clean_out))
        shutil.rmtree(clean_out)
        assert not differ, f"after step {self.step}, edits: {self.log}\n{differ}"
        # And it says what the clean build says: a page reused repeats its recorded warnings.
        said, clean_said = problems(result), problems(clean)
        assert said == clean_said, (self.log, set(said) ^ set(clean_said))


class PathLinkSite(IncrementalSite):
    """Links name pages by their files; a page removed or renamed does not come back, so a
    link it broke stays broken."""


class AnyLinkSite(IncrementalSite):
    """Links also by address, Markdown copy and tag, and cards; and pages come back where
    they were, mending the links to them."""

    LINK_STYLES = PATH_LINKS + SETTINGS_LINKS
    SEEDS = (
        *IncrementalSite.SEEDS,
        # A card of a page of each folder; a link to each tag's page; links by address and
        # to Markdown copies, of pages that may get a permalink.
        ("s0/p01.md", "[!card](../s1/p11.md)"),
        ("s1/p12.md", "[!card](../s2/p21.md)"),
        ("s2/p22.md", "[!card](../s0/p00.md)"),
        ("index.md", "[t0](/tags/t0/) [t1](/tags/t1/) [t2](/tags/t2/)"),
        ("s1/p12.md", "[by address](/m-p21/) [by address](/m-p02/)"),
        ("s2/p21.md", "[copy](/m-p00.md) [copy](/m-p11.md)"),
    )

    @precondition(lambda self: self.gone)
    @rule(data=st.data())
    def restore_page(self, data: st.DataObject) -> None:
        """A page at a path that was gone: links to it, broken till now, find it."""
        rel = self.pick(data, self.gone, "page")
        self.gone.remove(rel)
        self.counter += 1
        self.pages[rel] = PageModel({}, f"Back {self.counter}", ["Part A"], ["Restored."])
        self.write(rel)
        self.log.append(f"restored {rel}")


# ---- A wider site: config, includes, files, nested folders, blog posts, block ids -----------

# Every config key a step may set (dotted) and the values it takes; None leaves it out. Links
# and anchors stay warnings: an edit may leave a link dangling, and the site still builds.
CONFIG_CHOICES: dict[str, tuple[str | None, ...]] = {
    "title": ("Fuzz", "Other title"),
    "label": (None, "v2"),
    "footer": (None, "Footer words"),
    "links": (None, "[{text: Guide, link: /s0/}]", "[{text: Page, link: s1/p10.md}]"),
    "footer_links": (None, "[{text: Home, link: /}]"),
    "backlinks.enabled": (None, "false"),
    "backlinks.title": (None, "Linked from"),
    "backlinks.max_results": (None, "1"),
    "nav.mode": (None, "stack"),
    "nav.icons.mode": (None, "none", "folders"),
    "nav.tags.enabled": (None, "true"),
    "breadcrumb.enabled": (None, "false"),
    "breadcrumb.home": (None, "Start"),
    "toc.depth": (None, "2", "2-3"),
    "nextprev.mode": (None, "hide", "exclude"),
    "locale": (None, "fr", "de"),
    "meta.title": (None, "' | Fuzz Inc.'"),
    "edit.repo": (None, "https://github.com/x/y"),
    "outbound.enabled": (None, "true"),
    "markdown.line_breaks": (None, "hard"),
    "data.product": (None, "Widget", "Gadget"),
    "templating.enabled": (None, "false"),
    "blog.page_size": (None, "1", "2"),
    "blog.title": (None, "News"),
    "url": (None, "https://example.org/docs/"),
    "generator.trailing_slash": (None, "false"),
    "exclude": (None, "[s1/p11.md]", "[s0/deep/]"),
    "logo": (None, "media/pic.png"),
    "code.line_numbers": (None, "['*']"),
    "sidebar_filter": (None, "false"),
    "checks.anchors": ("warning", "off"),
}
# Files pages read (project paths) and the texts a step gives them; None deletes it. The
# snippet is never deleted: a snippet not found is an error, which would end the search.
INCLUDED: dict[str, tuple[str | None, ...]] = {
    "content/_includes/part.md": ("Part one.", "Part of {{ page.title }}.", None),
    "content/_includes/other.md": (None, "Other part, [home](/index.md)."),
    "content/_includes/head.html": (None, '<meta name="fuzz" content="one">'),
    "content/_includes/top.md": (None, "Top of {{ page.title }}."),
    "content/_includes/bottom.md": (None, "Bottom words."),
    # Three lines at least, for a snippet of lines 2-3.
    "src/app.py": ("one = 1\ntwo = 2\nthree = 3\n", "a = 1\nb = 2\nc = 3\nd = 4\n"),
}
# Files pages show or link (content paths, one left out of the site but linked), with the
# bytes a step gives them; None deletes it (its links then warn).
MEDIA: dict[str, tuple[bytes | None, ...]] = {
    "media/pic.png": (b"\x89PNG one", b"\x89PNG a bigger picture" * 40, None),
    "media/doc.txt": (b"notes\n", b"other notes, longer\n" * 9, None),
    "_private/notes.txt": (b"kept aside\n", None),
}
BLOCK_ID = re.compile(r"\^(b\d+)$")


def config_text(flat: dict[str, str]) -> str:
    """The YAML of dotted keys ("nav.icons.mode") and their values, as written."""
    nested: dict = {}
    for key, value in sorted(flat.items()):
        *parents, last = key.split(".")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value

    def lines(node: dict, indent: str) -> str:
        return "".join(
            f"{indent}{key}:\n{lines(value, indent + '  ')}"
            if isinstance(value, dict)
            else f"{indent}{key}: {value}\n"
            for key, value in node.items()
        )

    return lines(nested, "")


class WiderSite(AnyLinkSite):
    """Also edits the config, the files pages include (includes, site includes, a code
    snippet), the images and files they show or link, folders two and three levels deep
    (added, renamed, removed, with their own settings), blog posts and block ids. Builds may
    fail here (a link to a block id that is gone is always an error): a rebuild then fails
    as a clean build does, with the same messages."""

    SEEDS = (
        *AnyLinkSite.SEEDS,
        ("s0/p00.md", '{{ include "part" }}'),
        ("s1/p10.md", ':::code source="../../src/app.py" :::'),
        ("s0/p01.md", "Block one. ^b0"),
        ("s2/p21.md", "[[p01#^b0]] and [there](../s0/p01.md#^b0)"),
        ("s1/p11.md", "![pic](../media/pic.png) [!file](../media/doc.txt)"),
        ("s2/p20.md", "[aside](../_private/notes.txt) [out](https://example.com/x)"),
        ("index.md", "Product: {{ data.product }}.\nA second line."),
        ("index.md", "Posts: {{ for p in content.blog.posts }}{{ p.title }} {{ end }}"),
        ("s0/deep/d1.md", "[deeper](deeper/d2.md) [!card](../../blog/2025-01-10-first.md)"),
        ("s1/p12.md", "[[d2]] [deep](../s0/deep/index.md)"),
    )

    def __init__(self) -> None:
        self.config = {"title": "Fuzz", "checks.links": "warning", "checks.anchors": "warning"}
        self.included = {rel: texts[0] for rel, texts in INCLUDED.items()}
        self.media = {rel: data[0] for rel, data in MEDIA.items()}
        self.nested_yml: dict[str, dict[str, str]] = {"s0/deep/deeper": {"label": "Deeper"}}
        self.moved: list[str] = []  # folders renamed or removed (their old and new paths)
        super().__init__()

    def extra_pages(self) -> dict[str, PageModel]:
        return {
            "s0/deep/index.md": PageModel({}, "Deep", ["Part A"], ["The deep folder."]),
            "s0/deep/d1.md": PageModel({"order": "2"}, "Deep one", ["Part A"], []),
            "s0/deep/deeper/d2.md": PageModel({}, "Deeper two", ["Part A"], ["Far down."]),
            "blog/2025-01-10-first.md": PageModel(
                {}, "First post", [], ["The first post. ![shot](../media/pic.png)"]
            ),
            "blog/later.md": PageModel({"date": "2025-06-01"}, "Later post", [], ["Later."]),
        }

    def extra_files(self) -> dict[str, str | bytes]:
        files: dict[str, str | bytes] = {"docsite.yml": config_text(self.config)}
        for folder, own in self.nested_yml.items():
            files[f"content/{folder}/index.yml"] = yaml_lines(own)
        files |= {rel: text for rel, text in self.included.items() if text is not None}
        files |= {"content/" + rel: data for rel, data in self.media.items() if data is not None}
        return files

    def write(self, rel: str) -> None:
        """Write the page, in a folder made for it; not when its text is the same: with a
        `url`, a clean build's sitemap would show the new time of a file whose contents a
        rebuild finds unchanged (test_a_page_saved_again_unchanged_moves_its_sitemap_date)."""
        path = self.root / "content" / rel
        text = self.pages[rel].text()
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def nested(self) -> list[str]:
        """The folders below the top ones (s0/deep, s0/deep/deeper...)."""
        return sorted(
            {posixpath.dirname(r) for r in self.pages if r.count("/") >= 2}
            | {f for f in self.nested_yml}
        )

    # ---- the config ----------------------------------------------------------------------

    @rule(key=st.sampled_from(sorted(CONFIG_CHOICES)), data=st.data())
    def configure(self, key: str, data: st.DataObject) -> None:
        value = data.draw(st.sampled_from(CONFIG_CHOICES[key]), label="value")
        if value is None:
            self.config.pop(key, None)
        else:
            self.config[key] = value
        (self.root / "docsite.yml").write_text(config_text(self.config), encoding="utf-8")
        self.log.append(f"docsite.yml {key}: {value}")

    # ---- includes, site includes, a snippet ----------------------------------------------

    @rule(rel=st.sampled_from(sorted(INCLUDED)), data=st.data())
    def edit_included(self, rel: str, data: st.DataObject) -> None:
        text = data.draw(st.sampled_from(INCLUDED[rel]), label="text")
        self.included[rel] = text
        self.write_project(rel, text)

    def write_project(self, rel: str, text: str | None) -> None:
        """Write a file of the project (None: delete it), and say so in the log."""
        path = self.root / rel
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.log.append(f"{rel}: {text!r}")

    @rule(data=st.data(), what=st.sampled_from(["part", "other", "snippet", "range"]))
    def include(self, data: st.DataObject, what: str) -> None:
        rel = self.pick(data, sorted(self.pages), "page")
        source = relative(rel, "../src/app.py")
        line = {
            "part": '{{ include "part" }}',
            "other": '{{ include "other" }}',
            "snippet": f':::code source="{source}" :::',
            "range": f':::code source="{source}" range="2-3" :::',
        }[what]
        self.pages[rel].lines.append(line)
        self.write(rel)
        self.log.append(f"{what} in {rel}: {line}")

    # ---- images and files pages show or link ---------------------------------------------

    @rule(rel=st.sampled_from(sorted(MEDIA)), data=st.data())
    def edit_media(self, rel: str, data: st.DataObject) -> None:
        content = data.draw(st.sampled_from(MEDIA[rel]), label="bytes")
        self.media[rel] = content
        path = self.root / "content" / rel
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        self.log.append(f"{rel}: {len(content) if content is not None else None} bytes")

    @rule(
        data=st.data(),
        shown=st.sampled_from(sorted(MEDIA)),
        kind=st.sampled_from(["image", "file", "link", "setting"]),
    )
    def show_media(self, data: st.DataObject, shown: str, kind: str) -> None:
        """An image, a download (which shows the file's size), a link, or the page's own
        image setting (its social preview, and its card's picture)."""
        rel = self.pick(data, sorted(self.pages), "page")
        path = relative(rel, shown)
        if kind == "setting":
            self.set_setting(rel, "image", path)
            return
        line = {"image": f"![an image]({path})", "file": f"[!file]({path})"}.get(
            kind, f"[a file]({path})"
        )
        self.pages[rel].lines.append(line)
        self.write(rel)
        self.log.append(f"{kind} in {rel}: {line}")

    # ---- nested folders ------------------------------------------------------------------

    @rule(data=st.data(), new_folder=st.booleans(), with_index=st.booleans())
    def add_nested_page(self, data: st.DataObject, new_folder: bool, with_index: bool) -> None:
        """A page two or three levels deep, perhaps in a new folder (with its own page)."""
        parents = [f"s{f}" for f in range(FOLDERS)] + [f for f in self.nested() if f.count("/") < 2]
        folder = self.pick(data, parents if new_folder else self.nested() or parents, "folder")
        self.counter += 1
        if new_folder or folder.count("/") == 0:
            folder = f"{folder}/d{self.counter}"
            if with_index:
                self.pages[f"{folder}/index.md"] = PageModel({}, f"Folder {self.counter}")
                self.write(f"{folder}/index.md")
        rel = f"{folder}/n{self.counter}.md"
        self.pages[rel] = PageModel({}, f"Nested {self.counter}", ["Part A"], ["[up](../)"])
        self.write(rel)
        self.log.append(f"added {rel}")

    @precondition(lambda self: self.nested())
    @rule(
        data=st.data(),
        key=st.sampled_from(["label", "order", "expanded"]),
        value=st.sampled_from([None, "1", "9"]),
    )
    def nested_settings(self, data: st.DataObject, key: str, value: str | None) -> None:
        """A nested folder's settings: its own page's frontmatter, else its index.yml."""
        folder = self.pick(data, self.nested(), "folder")
        shown = {"label": f"Label {value}", "expanded": "true"}.get(key, value)
        if f"{folder}/index.md" in self.pages:
            self.set_setting(f"{folder}/index.md", key, shown if value else None)
            return
        own = self.nested_yml.setdefault(folder, {})
        if value is None:
            own.pop(key, None)
        else:
            own[key] = str(shown)
        write_files(self.root, {f"content/{folder}/index.yml": yaml_lines(own)})
        self.log.append(f"{folder}/index.yml {key}: {shown if value else None}")

    def move_folder(self, folder: str, new: str | None) -> None:
        """Move a folder's pages, settings files and index.yml to `new` (None: remove)."""
        inside = [r for r in self.pages if r.startswith(folder + "/")]
        for rel in inside:
            page = self.pages.pop(rel)
            self.gone.append(rel)
            moved = new + rel[len(folder) :] if new else None
            if moved:
                self.pages[moved] = page
            if rel in self.sidecars:
                own = self.sidecars.pop(rel)
                if moved:
                    self.sidecars[moved] = own
        for old in [f for f in self.nested_yml if f == folder or f.startswith(folder + "/")]:
            own = self.nested_yml.pop(old)
            if new:
                self.nested_yml[new + old[len(folder) :]] = own
        source = self.root / "content" / folder
        if new:
            source.rename(self.root / "content" / new)
        else:
            shutil.rmtree(source)
        self.moved += [folder, *([new] if new else [])]
        for rel in inside:
            self.follow(rel, new + rel[len(folder) :] if new else None)

    @precondition(lambda self: self.nested())
    @rule(data=st.data(), remove=st.booleans())
    def rename_folder(self, data: st.DataObject, remove: bool) -> None:
        """A nested folder renamed (its pages at new addresses) or removed with all in it."""
        folder = self.pick(data, self.nested(), "folder")
        self.counter += 1
        new = None if remove else f"{posixpath.dirname(folder)}/m{self.counter}"
        self.move_folder(folder, new)
        self.log.append(f"folder {folder} -> {new}")

    # ---- blog posts ----------------------------------------------------------------------

    def posts(self) -> list[str]:
        return sorted(r for r in self.pages if r.startswith("blog/"))

    @rule(date=st.sampled_from(["2024-12-31", "2025-01-10", "2025-09-01"]), named=st.booleans())
    def add_post(self, date: str, named: bool) -> None:
        """A post dated by its file's name or by its frontmatter (posts may share a date)."""
        self.counter += 1
        rel = f"blog/{date}-post{self.counter}.md" if named else f"blog/post{self.counter}.md"
        front = {} if named else {"date": date}
        self.pages[rel] = PageModel(front, f"Post {self.counter}", [], [f"Post {self.counter}."])
        self.write(rel)
        self.log.append(f"added {rel}")

    @precondition(lambda self: any(r.startswith("blog/") for r in self.pages))
    @rule(data=st.data(), word=st.sampled_from(WORDS), key=st.sampled_from(["summary", "author"]))
    def edit_post(self, data: st.DataObject, word: str, key: str) -> None:
        """A post's first paragraph (its summary in the blog's lists, the feed, its cards),
        or its author."""
        rel = self.pick(data, self.posts(), "post")
        if key == "author":
            self.set_setting(rel, "author", word)
            return
        lines = self.pages[rel].lines
        lines[:1] = [f"{word} summary {self.step}."]
        self.write(rel)
        self.log.append(f"summary of {rel}: {word}")

    # ---- block ids -----------------------------------------------------------------------

    def blocks(self) -> dict[str, str]:
        """Each block id and the page it is in."""
        return {
            match.group(1): rel
            for rel, page in self.pages.items()
            for line in page.lines
            if (match := BLOCK_ID.search(line))
        }

    @rule(data=st.data())
    def add_block(self, data: st.DataObject) -> None:
        rel = self.pick(data, sorted(self.pages), "page")
        self.counter += 1
        self.pages[rel].lines.append(f"Block {self.counter}. ^b{self.counter}")
        self.write(rel)
        self.log.append(f"block b{self.counter} in {rel}")

    @precondition(lambda self: self.blocks())
    @rule(data=st.data(), wiki=st.booleans())
    def link_block(self, data: st.DataObject, wiki: bool) -> None:
        blocks = self.blocks()
        block = self.pick(data, sorted(blocks), "block")
        source, target = self.pick(data, sorted(self.pages), "from"), blocks[block]
        line = (
            f"[[{stem(target)}#^{block}]]"
            if wiki and stem(target) != "index"
            else f"[to {block}]({relative(source, target)}#^{block})"
        )
        self.pages[source].lines.append(line)
        self.write(source)
        self.log.append(f"block link in {source}: {line}")

    @precondition(lambda self: self.blocks())
    @rule(data=st.data(), keep_links=st.booleans())
    def drop_block(self, data: st.DataObject, keep_links: bool) -> None:
        """A block id taken away, with the links to it, or not (an error in both builds)."""
        blocks = self.blocks()
        block = self.pick(data, sorted(blocks), "block")
        for rel, page in self.pages.items():
            kept = [
                line
                for line in page.lines
                if not line.endswith(f"^{block}") and (keep_links or f"#^{block}" not in line)
            ]
            if kept != page.lines:
                page.lines = kept
                self.write(rel)
        self.log.append(f"dropped block {block}" + (", links kept" if keep_links else ""))

    @rule(data=st.data())
    def remove_line(self, data: st.DataObject) -> None:
        """As IncrementalSite's, but not a block id's line (drop_block takes those)."""
        rel = self.pick(data, sorted(self.pages), "page")
        lines = [n for n, line in enumerate(self.pages[rel].lines) if not BLOCK_ID.search(line)]
        if lines:
            removed = self.pages[rel].lines.pop(data.draw(st.sampled_from(lines), label="line"))
            self.write(rel)
            self.log.append(f"removed from {rel}: {removed}")

    # ---- the property --------------------------------------------------------------------

    rebuild_is_a_clean_build = None  # IncrementalSite's, which wants every build to succeed

    @invariant()
    def rebuild_fails_or_succeeds_as_a_clean_build(self) -> None:
        self.step += 1
        result = build_site(BuildOptions(root=self.root, out=self.out, jobs=1))
        clean_out = self.base / "clean"
        clean = build_site(BuildOptions(root=self.root, out=clean_out, use_cache=False, jobs=1))
        said, clean_said = problems(result), problems(clean)
        assert said == clean_said, (self.log, set(said) ^ set(clean_said))
        assert result.ok == clean.ok, (self.log, messages(result))
        if clean.ok:
            differ = differences(tree(self.out), tree(clean_out))
            assert not differ, f"after step {self.step}, edits: {self.log}\n{differ}"
        shutil.rmtree(clean_out, ignore_errors=True)


# ---- The theme: the project's own templates and static files --------------------------------


def theme_copy(name: str, anchor: str, added: str) -> str:
    """The theme's template `name` with `added` after the first `anchor`: an override that
    does all the theme's does, and shows a word more."""
    text = (default_theme_dir() / "templates" / name).read_text(encoding="utf-8")
    assert anchor in text, (name, anchor)
    return text.replace(anchor, anchor + added, 1)


# Overrides of the templates every page uses (templates/...), with the texts a step gives
# them, WORD standing for a word; None deletes the override (the theme's is used again). Some
# read the page (its title, label, description, address), and partials/own.html is a
# template of the project's own that the footer may include (missing, the include fails).
PAGE_TEMPLATES: dict[str, tuple[str | None, ...]] = {
    "page.html": (
        theme_copy(
            "page.html",
            "{{ content }}\n",
            '<p class="own">WORD {{ page.label }}: {{ settings.description }}</p>\n',
        ),
        None,
    ),
    "partials/footer.html": (
        '<footer class="site-footer"><p>WORD, {{ site.title }}</p></footer>\n',
        '<footer class="site-footer">{% include "partials/own.html" %}</footer>\n',
        None,
    ),
    "partials/own.html": ("<p>WORD, the project's own template</p>\n", None),
    "partials/toc.html": (
        '<aside class="toc"><p>WORD {{ page.title }} at {{ page.url }}</p>\n'
        '{% include "partials/toc-list.html" %}\n</aside>\n',
        None,
    ),
    "partials/sidebar.html": (
        theme_copy("partials/sidebar.html", '<ul class="nav-list">\n', "<li>WORD</li>\n"),
        None,
    ),
    "partials/header.html": (
        theme_copy("partials/header.html", '<header class="site-header">\n', "<p>WORD</p>\n"),
        None,
    ),
}
# Templates of the pages docsite makes (tags, redirects, 404) and of the blog's posts.
OTHER_TEMPLATES: dict[str, tuple[str | None, ...]] = {
    "tag.html": (
        theme_copy("tag.html", "{% block article %}\n", "<p>WORD {{ tag.pages|length }}</p>\n"),
        None,
    ),
    "redirect.html": (theme_copy("redirect.html", "<body>\n", "<p>WORD</p>\n"), None),
    "404.html": (theme_copy("404.html", "{% block article %}\n", "<p>WORD</p>\n"), None),
    "partials/post-meta.html": ('<div class="post-meta">WORD {{ post.date_text }}</div>\n', None),
}
# Templates that are not Jinja, or that fail as they render: both builds fail on them.
BROKEN_TEMPLATES: dict[str, str] = {
    "partials/footer.html": "<footer>\n{% if %}\n</footer>\n",
    "page.html": '{% extends "base.html" %}\n{% block body %}{% for %}{% endblock %}\n',
    "partials/toc.html": "<aside>{{ page.title.nope() }}</aside>\n",
    "partials/sidebar.html": "<ul>\n{{ steps.nope() }}\n</ul>\n",
}
# The project's own stylesheets, scripts and icon in static/, one of each replacing the
# theme's (docsite.css, search.js), with the texts a step gives them; None deletes it.
STATIC_ASSETS: dict[str, tuple[str | None, ...]] = {
    "static/assets/extra.css": ("/* WORD */\n.own { color: #123; }\n", None),
    "static/assets/extra.js": ("// WORD\nlet own = 1;\n", None),
    "static/assets/docsite.css": ("/* WORD */\nbody { margin: 0; }\n", None),
    "static/assets/search.js": ("// WORD\nlet search = 1;\n", None),
    "static/icons/brand.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><title>WORD</title>'
        '<path d="M0 0h16v16z"/></svg>\n',
        None,
    ),
}
# Files of static/ at a path a generated file, a page, a page's Markdown copy or a file of the
# content folder takes: the static file wins (or the build says why it cannot).
STATIC_IN_THE_WAY: dict[str, tuple[str | None, ...]] = {
    "static/robots.txt": ("User-agent: *\n# WORD\n", None),
    "static/llms.txt": ("# WORD\n", None),
    "static/sitemap.xml": ("<urlset><!-- WORD --></urlset>\n", None),
    "static/404.html": ("<h1>WORD</h1>\n", None),
    "static/tags/t0/index.html": ("<p>WORD tag</p>\n", None),
    "static/s0/p00/index.html": ("<p>WORD page</p>\n", None),
    "static/s1/p10.md": ("# WORD copy\n", None),
    "static/media/doc.txt": ("WORD notes\n", None),
}


class ThemedSite(WiderSite):
    """WiderSite's edits, and the project's own templates (overrides of the theme's, one of
    its own, broken ones) and static files (stylesheets and scripts, one of each replacing
    the theme's, a custom icon, files at the paths of generated files and of pages). The
    edits of block ids, nested folders' settings, sidecars and included files, which touch no
    theme file, are left to WiderSite: the theme's edits come more often."""

    add_block = link_block = drop_block = None
    nested_settings = rename_folder = sidecar = folder_yml = include = edit_included = None

    def worded(self, data: st.DataObject, choices: tuple[str | None, ...]) -> str | None:
        text = data.draw(st.sampled_from(choices), label="text")
        word = data.draw(st.sampled_from(WORDS), label="word")
        return text and text.replace("WORD", f"{word} {self.step}")

    @rule(name=st.sampled_from(sorted(PAGE_TEMPLATES)), data=st.data())
    def override_page_template(self, name: str, data: st.DataObject) -> None:
        """A template every page uses, overridden, edited (a word it shows) or no more."""
        self.write_project(f"templates/{name}", self.worded(data, PAGE_TEMPLATES[name]))

    @rule(name=st.sampled_from(sorted(OTHER_TEMPLATES)), data=st.data())
    def override_other_template(self, name: str, data: st.DataObject) -> None:
        self.write_project(f"templates/{name}", self.worded(data, OTHER_TEMPLATES[name]))

    @rule(data=st.data())
    def break_template(self, data: st.DataObject) -> None:
        """A template that is not Jinja, or fails as it renders; or one of those deleted."""
        broken = [
            name
            for name, text in sorted(BROKEN_TEMPLATES.items())
            if (path := self.root / "templates" / name).is_file()
            and path.read_text(encoding="utf-8") == text
        ]
        if broken and data.draw(st.booleans(), label="mend"):
            self.write_project(f"templates/{self.pick(data, broken, 'template')}", None)
            return
        name = self.pick(data, sorted(BROKEN_TEMPLATES), "template")
        self.write_project(f"templates/{name}", BROKEN_TEMPLATES[name])

    @rule(rel=st.sampled_from(sorted(STATIC_ASSETS)), data=st.data())
    def static_asset(self, rel: str, data: st.DataObject) -> None:
        self.write_project(rel, self.worded(data, STATIC_ASSETS[rel]))

    @rule(rel=st.sampled_from(sorted(STATIC_IN_THE_WAY)), data=st.data())
    def static_in_the_way(self, rel: str, data: st.DataObject) -> None:
        self.write_project(rel, self.worded(data, STATIC_IN_THE_WAY[rel]))

    @rule(data=st.data(), on=st.booleans())
    def brand_icon(self, data: st.DataObject, on: bool) -> None:
        """A page's icon that static/icons/brand.svg makes (unknown, a warning, without it)."""
        self.set_setting(self.pick(data, self.leaves(), "page"), "icon", "brand" if on else None)


# The same examples on every run, so that a test run (CI's above all) is never the one that
# happens upon a new case; DOCSITE_FUZZ_EXAMPLES=200 searches further, with new examples.
SEARCH_FURTHER = int(os.environ.get("DOCSITE_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=SEARCH_FURTHER or 8,
    derandomize=not SEARCH_FURTHER,
    stateful_step_count=10,
    deadline=None,
    database=None,
    # No shrinking: a step costs two builds, and the failure's message lists its edits.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_rebuilds_after_random_edits_equal_clean_builds():
    run_state_machine_as_test(PathLinkSite, settings=FUZZ)


def test_rebuilds_with_cards_and_links_by_address_or_tag_equal_clean_builds():
    run_state_machine_as_test(AnyLinkSite, settings=FUZZ)


def test_rebuilds_after_config_include_file_folder_post_and_block_edits_equal_clean_builds():
    run_state_machine_as_test(WiderSite, settings=FUZZ)


def test_rebuilds_after_template_and_static_file_edits_equal_clean_builds():
    run_state_machine_as_test(ThemedSite, settings=FUZZ)


# ---- What the fuzzing found, each as its smallest case ---------------------------------------

WARN = "title: Small\nchecks:\n  links: warning\n"


def apply_edit(root: Path, edit: dict[str, str | None]) -> None:
    """Write each file's new text, or delete it (None)."""
    for rel, text in edit.items():
        if text is None:
            (root / rel).unlink()
        else:
            write_files(root, {rel: text})


def rebuild_and_compare(
    tmp_path: Path, files: dict[str, str], *edits: dict[str, str | None]
) -> None:
    """Build `files`, then after each edit (a file's new text, or None to delete it)
    rebuild with the cache: the output is a clean build's, and so are the build's
    messages."""
    root, out = tmp_path / "proj", tmp_path / "proj" / "site"
    write_files(root, files)
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    for step, edit in enumerate(edits):
        apply_edit(root, edit)
        again = build_site(BuildOptions(root=root, out=out, jobs=1))
        clean_out = tmp_path / f"clean{step}"
        clean = build_site(BuildOptions(root=root, out=clean_out, use_cache=False, jobs=1))
        differ = differences(tree(out), tree(clean_out)) if clean.ok else ""
        assert not differ, f"edit {step}: {edit}\n{differ}"
        assert messages(again) == messages(clean), f"edit {step}: {edit}"


def test_a_permalink_set_on_a_page_reaches_a_link_to_its_new_address(tmp_path):
    """A link by address (`/moved/`) that no page had finds the page whose permalink is now
    that address; the rebuild keeps it as it was (`/moved/`, with its warning)."""
    rebuild_and_compare(
        tmp_path,
        {"docsite.yml": WARN, "content/a.md": "# A\n\n[B](/moved/)\n", "content/b.md": "# B\n"},
        {"content/b.md": "---\npermalink: /moved\n---\n# B\n"},
    )


def test_a_permalink_set_on_a_page_reaches_a_link_to_its_markdown_copy(tmp_path):
    """The same for its Markdown copy, published at its address with `.md`."""
    rebuild_and_compare(
        tmp_path,
        {"docsite.yml": WARN, "content/a.md": "# A\n\n[B](/moved.md)\n", "content/b.md": "# B\n"},
        {"content/b.md": "---\npermalink: /moved\n---\n# B\n"},
    )


def test_a_tag_given_to_a_page_reaches_a_link_to_the_tags_page(tmp_path):
    """A link to a tag's page that no page had becomes a link once a page has the tag."""
    rebuild_and_compare(
        tmp_path,
        {"docsite.yml": WARN, "content/a.md": "# A\n\n[t](/tags/t/)\n", "content/b.md": "# B\n"},
        {"content/b.md": "---\ntags: [t]\n---\n# B\n"},
    )


def test_a_tag_taken_from_its_last_page_breaks_a_link_to_the_tags_page(tmp_path):
    """With the default checks: the clean build fails on the link to a tag page that is no
    more, while the rebuild succeeds and publishes the dead link."""
    rebuild_and_compare(
        tmp_path,
        {"content/a.md": "# A\n\n[t](/tags/t/)\n", "content/b.md": "---\ntags: [t]\n---\n# B\n"},
        {"content/b.md": "# B\n"},
    )


@pytest.mark.parametrize(
    "edit",
    [
        {"content/f/index.md": "# Folder renamed\n"},
        {"content/f/index.md": "---\nlabel: Label\n---\n# Folder\n"},
        {"content/f/index.yml": "label: Label\n"},
    ],
    ids=["H1", "label", "index.yml"],
)
def test_a_folder_label_reaches_the_cards_of_its_pages(tmp_path, edit):
    """A card of a page shows its folder's label (the kicker above its title)."""
    rebuild_and_compare(
        tmp_path,
        {
            "content/a.md": "# A\n\n[!card](f/b.md)\n",
            "content/f/index.md": "# Folder\n",
            "content/f/b.md": "# B\n\nSummary.\n",
        },
        edit,
    )


def test_a_created_date_reaches_the_cards_of_its_page(tmp_path):
    """A card shows the page's `created` date in its footer when it has no `date`."""
    rebuild_and_compare(
        tmp_path,
        {"content/a.md": "# A\n\n[!card](b.md)\n", "content/b.md": "# B\n\nSummary.\n"},
        {"content/b.md": "---\ncreated: 2024-05-01\n---\n# B\n\nSummary.\n"},
    )


def test_a_broken_links_hint_follows_the_pages_it_names(tmp_path):
    """A broken link's warning suggests the closest page; a rebuild repeats the warning of
    the page it reuses, suggesting a page that was renamed since ('setups.md', not
    'set-up.md')."""
    rebuild_and_compare(
        tmp_path,
        {
            "docsite.yml": WARN,
            "content/a.md": "# A\n\n[x](setup.md)\n",
            "content/setups.md": "# S\n",
        },
        {"content/setups.md": None, "content/set-up.md": "# S\n"},
    )


@pytest.mark.parametrize("link", ["[B](b.md)", "[[b]]", "[!ref](b.md)", "[!card](b.md)"])
def test_a_page_created_mends_the_links_to_it(tmp_path, link):
    """A link to a page that does not exist yet (a warning, as in Retype projects) finds
    the page once it is written; the rebuild keeps the link broken, with its warning, and
    the new page's "See also" misses the page that links to it."""
    rebuild_and_compare(
        tmp_path,
        {"docsite.yml": WARN, "content/a.md": f"# A\n\n{link}\n"},
        {"content/b.md": "# B\n\nSummary.\n"},
    )


def test_a_left_out_file_made_again_is_published_for_the_link_to_it(tmp_path):
    """A file left out of the site (under `_private/`) is published because a page links
    to it. Deleted, the link warns; made again, the rebuild found nothing changed (a
    left-out file is an input only once linked) and kept the broken link, unpublished."""
    rebuild_and_compare(
        tmp_path,
        {
            "docsite.yml": WARN,
            "content/index.md": "# Home\n\n[aside](_private/notes.txt)\n",
            "content/_private/notes.txt": "kept\n",
        },
        {"content/_private/notes.txt": None},
        {"content/_private/notes.txt": "kept\n"},
    )


def test_a_page_saved_again_unchanged_moves_its_sitemap_date(tmp_path):
    """Outside git, the sitemap dates a page by its file's time. A page saved again with the
    same bytes moves that date in a clean build; the rebuild found nothing changed and kept
    the sitemap it wrote, when only the files' contents were inputs."""
    root, out = tmp_path / "proj", tmp_path / "proj" / "site"
    write_files(root, {"docsite.yml": "url: https://example.org/\n", "content/index.md": "# A\n"})
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    page = root / "content/index.md"
    later = page.stat().st_mtime + 5
    os.utime(page, (later, later))
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    clean_out = tmp_path / "clean"
    assert build_site(BuildOptions(root=root, out=clean_out, use_cache=False, jobs=1)).ok
    assert (out / "sitemap.xml").read_bytes() == (clean_out / "sitemap.xml").read_bytes()


def test_a_static_file_removed_from_a_pages_markdown_copy_path_gives_the_copy_back(tmp_path):
    """A file of static/ at a page's Markdown copy path (`a.md`) wins over the copy. Once
    it is deleted, the rebuild reused the page and kept the last build's file there as its
    copy: the static file's text."""
    rebuild_and_compare(
        tmp_path,
        {
            "content/index.md": "# Home\n",
            "content/a.md": "# A\n\nText.\n",
            "static/a.md": "# Ours\n",
        },
        {"static/a.md": None},
    )
