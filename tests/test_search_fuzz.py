"""Adversarial, property-based search indexes: after any sequence of edits that change what
search sees, a rebuild with the cache gives the `pagefind/` folder (and the rest of the
site) of a clean build of the same files, byte for byte, whichever way it made the index.

A state machine keeps a model of a small site (two folders of pages, one folder's settings in
its `index.yml`, a home page) and edits it one way per rule: bodies (words with shared
prefixes, in several forms, joined, in other scripts; code blocks), H1s, titles, headings,
visibility (of pages and folders), tags, folder labels (each page's `section` filter),
permalinks (a page moved among the numbered pages), Pagefind's own attributes in raw HTML
(filters, meta fields, a title, weights, ignored parts, sort keys, images), pages that
Pagefind finds no word on, pages added, removed, renamed and brought back, the config's
`search` settings (`code`, `exclude` and `include`, `enabled`), a build that fails between
two edits, and the index, site, search state or cache deleted.

The site is small, but the paths of a large site on several cores are forced: the pages are
rendered by forked workers (PARALLEL_THRESHOLD), a fresh build indexes them in several runs
merged as they come (PART_WORK, drawn for each example with the splicing threshold and the
chunk size), and each rebuild takes one of the ways an edit's index is made: patched in the
search process aside (`SearchAside`), patched in the build's process (on several cores or
one), or indexed whole because the patch cannot be made. Clean builds index in runs on two
cores, and in one go on one. A difference names the index files that differ and shows the
decoded parts (`decoded_index`) that do."""

from __future__ import annotations

import difflib
import gzip
import json
import posixpath
import pprint
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write_files
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from test_incremental import tree
from test_incremental_fuzz import FUZZ as SITE_FUZZ
from test_incremental_fuzz import (
    SEARCH_FURTHER,
    PageModel,
    differences,
    messages,
    stem,
    yaml_lines,
)
from test_search import needs_pagefind

from docsite import render
from docsite.build import BuildOptions, BuildResult, build_site
from docsite.build import site as build_site_module
from docsite.search import aside as aside_module
from docsite.search import index_format, indexing
from docsite.search.index_format import CannotPatch

pytestmark = needs_pagefind

CONFIG = {"title": "Search fuzz", "checks": {"links": "warning", "anchors": "warning"}}
FOLDERS = 2
PAGES = 3  # per folder, besides its default page
TAGS = ("t0", "t1", "t2")
# Words that share prefixes (Pagefind's chunks are cut between words), with diacritics
# (a word's forms), numbers and a word in every page (a long posting).
WORDS = ("alpha", "alphabet", "alphanumeric", "beta", "café", "cafe", "zeta", "x42", "welcome")
# Text of other shapes, now and then: words written with capitals and diacritics (forms of
# one word), joined by hyphens or dots, other scripts, emoji.
ODD_WORDS = ("Café CAFÉ naïve", "alpha-beta", "v1.5.2", "日本語 テキスト", "émoji 😀", "Ω-zeta")
# Pagefind's attributes in a page's raw HTML, and text of other shapes (`pagefind_attribute`).
ATTRIBUTES = ("filter", "filter", "inline filter", "meta", "title", "weight", "ignore", "sort")
ATTRIBUTES += ("image", "odd")
# Ways a rebuild makes its index (see `IncrementalSearchSite.rebuild`).
MODES = ("aside", "aside", "process", "one core", "whole", "whole on one core")


# ---- Pagefind's files, decoded, for a failure's message ---------------------------------------


def decoded_index(site: dict[str, bytes]) -> dict[str, object]:
    """The index in a site's files by what each part is (not by its hashed file name): the
    entry file, each language's meta file, its words (every chunk's, in order), each filter
    and each page's fragment (by URL)."""
    files = {rel.removeprefix("pagefind/"): data for rel, data in site.items()}
    found: dict[str, object] = {}
    entry = json.loads(files.get(index_format.ENTRY_FILE, b"{}"))
    found["entry"] = entry
    for language, about in sorted(entry.get("languages", {}).items()):
        meta = _decoded(files, f"pagefind.{about['hash']}.pf_meta")
        found[f"{language} meta"] = meta
        if not isinstance(meta, list) or len(meta) < 4:
            continue
        words = []
        for _first, _last, chunk in meta[2]:
            words.append(_decoded(files, f"index/{chunk}.pf_index"))
        found[f"{language} words"] = words
        for name, filter_file in meta[3]:
            found[f"{language} filter {name}"] = _decoded(files, f"filter/{filter_file}.pf_filter")
        for fragment, _count in meta[1]:
            raw = files.get(f"fragment/{fragment}.pf_fragment")
            record = json.loads(gzip.decompress(raw).removeprefix(b"pagefind_dcd")) if raw else None
            url = record["url"] if record else fragment
            found[f"{language} fragment {url}"] = record
    return found


def _decoded(files: dict[str, bytes], rel: str) -> object:
    if rel not in files:
        return f"<no file {rel}>"
    try:
        return index_format.decode(files[rel])
    except Exception as exc:  # shown, not raised: the message is for a failure
        return f"<{rel} cannot be decoded: {exc}>"


def index_differences(incremental: dict[str, bytes], clean: dict[str, bytes]) -> str:
    """Which index files differ, and what differs in the decoded index (the first parts)."""
    differ = sorted(
        rel
        for rel in incremental.keys() | clean.keys()
        if rel.startswith("pagefind/") and incremental.get(rel) != clean.get(rel)
    )
    if not differ:
        return ""
    ours, theirs = decoded_index(incremental), decoded_index(clean)
    shown = []
    for part in sorted(ours.keys() | theirs.keys()):
        if ours.get(part) != theirs.get(part):
            diff = difflib.unified_diff(
                pprint.pformat(theirs.get(part), width=100).splitlines(),
                pprint.pformat(ours.get(part), width=100).splitlines(),
                f"clean: {part}",
                f"incremental: {part}",
                n=1,
                lineterm="",
            )
            shown.append("\n".join(list(diff)[:40]))
    if not shown:
        shown.append("(the decoded index is the same: the files differ in their encoding)")
    return f"index files that differ: {differ}\n" + "\n".join(shown[:4])


# ---- The state machine -------------------------------------------------------------------------

# How each rebuild made its index, over a test's examples: the test says every way was taken.
PATHS_TAKEN: Counter[str] = Counter()


def edit(**strategies) -> Callable:
    """A rule that edits the site, drawing besides the way the next rebuild makes its
    index."""

    def make(method: Callable) -> Callable:
        def step(self, mode: str, **drawn) -> None:
            self.mode = mode
            method(self, **drawn)

        step.__name__, step.__doc__ = method.__name__, method.__doc__
        return rule(mode=st.sampled_from(MODES), **strategies)(step)

    return make


class IncrementalSearchSite(RuleBasedStateMachine):
    """A small site, edited one way per step, rebuilt with the cache in one of the ways an
    index is made, and compared with a clean build (indexed in runs) after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.base = Path(tempfile.mkdtemp(prefix="docsite-search-fuzz-"))
        self.root = self.base / "proj"
        self.out = self.root / "site"
        self.step = 0
        self.counter = 0
        self.mode = "aside"
        self.log: list[str] = []
        self.config: dict = json.loads(json.dumps(CONFIG))
        self.pages: dict[str, PageModel] = {
            "index.md": PageModel(h1="Home", lines=["Welcome to the alpha site."])
        }
        for f in range(FOLDERS):
            if f < FOLDERS - 1:
                self.pages[f"s{f}/index.md"] = PageModel({"order": str(f + 1)}, f"Section {f}")
            for i in range(PAGES):
                self.pages[f"s{f}/p{f}{i}.md"] = PageModel(
                    {"order": str(i + 1)},
                    f"Page {f}{i}",
                    ["Part A"],
                    [f"Body of page {f}{i}: {WORDS[(f * PAGES + i) % len(WORDS)]} welcome."],
                )
        self.pages["s0/p01.md"].front["tags"] = "[t0]"
        self.pages["s1/p11.md"].lines.append("```python\nprint('codeword')\n```")
        # The last folder has no default page: its settings are in its index.yml.
        self.folder_yml: dict[str, str] = {"label": "Settings folder", "order": str(FOLDERS)}
        self.gone: list[str] = []  # the paths of pages removed or renamed
        files = {
            "docsite.yml": json.dumps(self.config),
            self.yml_path(): yaml_lines(self.folder_yml),
        }
        files |= {"content/" + rel: page.text() for rel, page in self.pages.items()}
        write_files(self.root, files)
        self.knobs = pytest.MonkeyPatch()
        self.built = False

    @initialize(
        part_work=st.sampled_from([500, 2 * indexing.PAGE_WORK, indexing.PART_WORK]),
        few=st.sampled_from([1, 2, index_format.FEW]),
        chunk_weight=st.sampled_from([40, 150, index_format.CHUNK_WEIGHT]),
    )
    def fresh_build(self, part_work: int, few: int, chunk_weight: int) -> None:
        """A fresh build on two cores, its pages indexed in runs of about `part_work`
        (500: a page or two each); `few` pages merged into or removed from a word's list are
        spliced in, more in one pass; a chunk of the word index is `chunk_weight` locations
        (40: a dozen chunks or more). The last two change how the work is done, not the bytes: a
        clean build and a rebuild use the same."""
        self.knobs.setattr(indexing, "PART_WORK", part_work)
        self.knobs.setattr(index_format, "FEW", few)
        self.knobs.setattr(index_format, "CHUNK_WEIGHT", chunk_weight)
        self.log.append(f"PART_WORK={part_work}, FEW={few}, CHUNK_WEIGHT={chunk_weight}")
        result = build_site(BuildOptions(root=self.root, out=self.out, jobs=2))
        assert result.ok, messages(result)
        self.built = True

    def teardown(self) -> None:
        self.knobs.undo()
        shutil.rmtree(self.base, ignore_errors=True)

    # ---- files and choices ---------------------------------------------------------------

    def yml_path(self) -> str:
        return f"content/s{FOLDERS - 1}/index.yml"

    def write(self, rel: str) -> None:
        (self.root / "content" / rel).write_text(self.pages[rel].text(), encoding="utf-8")

    def write_config(self) -> None:
        (self.root / "docsite.yml").write_text(json.dumps(self.config), encoding="utf-8")

    def leaves(self) -> list[str]:
        """Every page but the home page and the folders' default pages."""
        return sorted(r for r in self.pages if r != "index.md" and stem(r) != "index")

    def pick(self, data: st.DataObject, choices: list[str], what: str) -> str:
        return data.draw(st.sampled_from(choices), label=what)

    def set_setting(self, rel: str, key: str, value: str | None) -> None:
        if value is None:
            self.pages[rel].front.pop(key, None)
        else:
            self.pages[rel].front[key] = value
        self.write(rel)
        self.log.append(f"{key} of {rel}: {value}")

    # ---- rules: what a page says ---------------------------------------------------------

    @edit(
        data=st.data(),
        words=st.lists(st.sampled_from(WORDS + ODD_WORDS[:3]), min_size=1, max_size=4),
    )
    def body_edit(self, data: st.DataObject, words: list[str]) -> None:
        rel = self.pick(data, sorted(self.pages), "page")
        line = " ".join(words) + f" {self.step}."
        self.pages[rel].lines.append(line)
        self.write(rel)
        self.log.append(f"body of {rel}: {line}")

    @edit(data=st.data())
    def remove_line(self, data: st.DataObject) -> None:
        rel = self.pick(data, sorted(self.pages), "page")
        lines = self.pages[rel].lines
        if lines:
            removed = lines.pop(data.draw(st.integers(0, len(lines) - 1), label="line"))
            self.write(rel)
            self.log.append(f"removed from {rel}: {removed!r}")

    @edit(data=st.data(), word=st.sampled_from(WORDS))
    def code_block(self, data: st.DataObject, word: str) -> None:
        """A code block: indexed unless the config's `search.code` is false."""
        rel = self.pick(data, sorted(self.pages), "page")
        line = f"```python\n{word}_{self.step} = '{word} code'\n```"
        self.pages[rel].lines.append(line)
        self.write(rel)
        self.log.append(f"code in {rel}: {word}")

    @edit(data=st.data(), word=st.sampled_from(WORDS))
    def retitle(self, data: st.DataObject, word: str) -> None:
        """The H1, which names the page (its title, the label of a folder's default page)."""
        rel = self.pick(data, sorted(self.pages), "page")
        self.pages[rel].h1 = f"{word.title()} {self.step}"
        self.write(rel)
        self.log.append(f"H1 of {rel}: {self.pages[rel].h1}")

    @edit(data=st.data(), key=st.sampled_from(["title", "label"]), word=st.sampled_from(WORDS))
    def title_setting(self, data: st.DataObject, key: str, word: str) -> None:
        rel = self.pick(data, sorted(self.pages), "page")
        on = data.draw(st.booleans(), label="set")
        self.set_setting(rel, key, f"{word.title()} {key}" if on else None)

    @edit(data=st.data(), word=st.sampled_from(WORDS))
    def heading(self, data: st.DataObject, word: str) -> None:
        """A `##` heading renamed, added or removed (Pagefind's anchors)."""
        rel = self.pick(data, sorted(self.pages), "page")
        headings = self.pages[rel].headings
        how = data.draw(st.sampled_from(["rename", "add", "remove"]), label="how")
        if how == "rename" and headings:
            headings[data.draw(st.integers(0, len(headings) - 1), label="heading")] = word
        elif how == "remove" and headings:
            headings.pop()
        else:
            headings.append(f"{word} {self.step}")
        self.write(rel)
        self.log.append(f"headings of {rel}: {headings}")

    @edit(data=st.data())
    def wordless(self, data: st.DataObject) -> None:
        """A page on which Pagefind finds no word (a title of punctuation, no body): it
        leaves the page out of its index."""
        rel = self.pick(data, self.leaves(), "page")
        self.pages[rel] = PageModel({"title": '"..."'})
        self.write(rel)
        self.log.append(f"{rel} has no word")

    @edit(
        data=st.data(),
        kind=st.sampled_from(ATTRIBUTES),
        word=st.sampled_from(WORDS),
    )
    def pagefind_attribute(self, data: st.DataObject, kind: str, word: str) -> None:
        """Pagefind's own attributes in the page's raw HTML: a filter (new names and values),
        a meta field, a word's weight, a part it ignores, a sort key (the index is then
        sorted over the whole site: never patched), an image meta field, a title of its own,
        text of other shapes."""
        rel = self.pick(data, sorted(self.pages), "page")
        name = data.draw(st.sampled_from(["kind", "level"]), label="name")
        line = {
            "filter": f'<span data-pagefind-filter="{name}">{word}</span>',
            "meta": f'<span data-pagefind-meta="{name}">{word} meta</span>',
            "weight": f'<p data-pagefind-weight="5">{word} weighted {self.step}</p>',
            "ignore": f"<div data-pagefind-ignore>{word} ignored {self.step}</div>",
            "sort": f'<span data-pagefind-sort="{name}">{self.step}</span>',
            "image": f'<img data-pagefind-meta="image[src]" src="/{word}.png" alt="{word}">',
            "inline filter": f'<span data-pagefind-filter="{name}:{word} two, tag:{word}"></span>',
            "title": f'<span data-pagefind-meta="title">{word} title {self.step}</span>',
            "odd": ODD_WORDS[self.step % len(ODD_WORDS)] + f" {word}",
        }[kind]
        self.pages[rel].lines.append(line)
        self.write(rel)
        self.log.append(f"{kind} in {rel}: {line}")

    @edit(data=st.data(), value=st.sampled_from([None, "hidden", "protected", "private"]))
    def visibility(self, data: st.DataObject, value: str | None) -> None:
        """Hidden, protected and private pages stay out of the index (a protected page
        keeps its title, out of the index too)."""
        rel = self.pick(data, [r for r in sorted(self.pages) if r != "index.md"], "page")
        self.set_setting(rel, "visibility", value)

    @edit(names=st.lists(st.sampled_from(TAGS), max_size=2, unique=True), data=st.data())
    def retag(self, names: list[str], data: st.DataObject) -> None:
        """Tags: Pagefind's `tag` filter."""
        value = "[" + ", ".join(names) + "]" if names else None
        self.set_setting(self.pick(data, self.leaves(), "page"), "tags", value)

    @edit(key=st.sampled_from(["label", "visibility"]), choice=st.integers(0, 2))
    def folder_yml(self, key: str, choice: int) -> None:
        """The settings of the folder without a default page: its label is each of its
        pages' `section` filter and meta field, its visibility theirs."""
        value = {
            "label": [None, "Settings folder", "Renamed alpha"],
            "visibility": [None, "hidden", "private"],
        }[key][choice]
        if value is None:
            self.folder_yml.pop(key, None)
        else:
            self.folder_yml[key] = value
        write_files(self.root, {self.yml_path(): yaml_lines(self.folder_yml)})
        self.log.append(f"index.yml {key}: {value}")

    # ---- rules: pages added, removed, renamed --------------------------------------------

    @edit(folder=st.integers(0, FOLDERS - 1), word=st.sampled_from(WORDS))
    def add_page(self, folder: int, word: str) -> None:
        self.counter += 1
        rel = f"s{folder}/n{self.counter}.md"
        self.pages[rel] = PageModel({}, f"New {self.counter}", ["Part A"], [f"{word} is new."])
        self.write(rel)
        self.log.append(f"added {rel}")

    @precondition(lambda self: len(self.leaves()) > 2)
    @edit(data=st.data())
    def remove_page(self, data: st.DataObject) -> None:
        rel = self.pick(data, self.leaves(), "page")
        del self.pages[rel]
        self.gone.append(rel)
        (self.root / "content" / rel).unlink()
        self.log.append(f"removed {rel}")

    @edit(data=st.data())
    def rename_page(self, data: st.DataObject) -> None:
        """A page at a new path, which Pagefind numbers elsewhere."""
        rel = self.pick(data, self.leaves(), "page")
        self.counter += 1
        folder = posixpath.dirname(rel)
        new = (
            f"{folder}/{data.draw(st.sampled_from(['a', 'r', 'z']), label='name')}{self.counter}.md"
        )
        self.pages[new] = self.pages.pop(rel)
        self.gone.append(rel)
        (self.root / "content" / rel).rename(self.root / "content" / new)
        self.log.append(f"renamed {rel} -> {new}")

    @precondition(lambda self: self.gone)
    @edit(data=st.data())
    def restore_page(self, data: st.DataObject) -> None:
        rel = self.pick(data, self.gone, "page")
        self.gone.remove(rel)
        self.counter += 1
        self.pages[rel] = PageModel({}, f"Back {self.counter}", [], ["Restored alpha."])
        self.write(rel)
        self.log.append(f"restored {rel}")

    @edit(data=st.data(), on=st.booleans())
    def permalink(self, data: st.DataObject, on: bool) -> None:
        """A page's own address, which moves it among the pages Pagefind numbers in order
        (its text unchanged)."""
        rel = self.pick(data, self.leaves(), "page")
        self.set_setting(rel, "permalink", f"/{'a' if on else 'z'}-{stem(rel)}")

    @edit(data=st.data())
    def failed_build(self, data: st.DataObject) -> None:
        """A build that fails (a page's frontmatter broken, and another page edited): it
        swaps nothing in, and keeps nothing of what it indexed aside; the page is mended
        before the next build."""
        rel = self.pick(data, sorted(self.pages), "page")
        other = self.pick(data, sorted(self.pages), "edited")
        self.pages[other].lines.append(f"zeta {self.step} before a failed build.")
        self.write(other)
        (self.root / "content" / rel).write_text("---\ntitle: [unclosed\n---\n", "utf-8")
        result = self.rebuild()
        assert not result.ok, "the broken page did not fail the build"
        self.write(rel)
        self.log.append(f"failed build ({rel} broken, {other} edited), then {rel} mended")

    @edit(what=st.sampled_from(["index", "site", "search state", "cache"]))
    def lose(self, what: str) -> None:
        """What a user may delete between builds: the site's `pagefind/` (the site's
        marker stays: the build trusts the site unless something else changed), the whole
        site, the cache's search state, the whole cache."""
        cache = self.root / ".docsite-cache"
        if what == "index":  # and a page edited: a site left as it was is not looked into
            shutil.rmtree(self.out / "pagefind", ignore_errors=True)
            self.pages["index.md"].lines.append(f"beta {self.step}.")
            self.write("index.md")
        elif what == "site":
            shutil.rmtree(self.out, ignore_errors=True)
        elif what == "search state":
            for part in cache.glob("search-*.pickle"):
                part.unlink()
        else:
            shutil.rmtree(cache, ignore_errors=True)
        self.log.append(f"deleted the {what}")

    # ---- rules: the config's search settings ---------------------------------------------

    @edit(
        key=st.sampled_from(["code", "exclude", "exclude", "enabled"]),
        choice=st.integers(0, 2),
    )
    def search_setting(self, key: str, choice: int) -> None:
        """`search.code` (code blocks indexed or not), `search.exclude` (pages left out by
        their paths) and `search.enabled` (no index, then an index again)."""
        value = {
            "code": [None, False, True],
            "exclude": [None, ["s0/p01.md"], ["s1/", "!s1/p11.md"]],
            "enabled": [None, False, None],
        }[key][choice]
        search = self.config.setdefault("search", {})
        if key == "exclude" and value and value[-1].startswith("!"):
            search.pop("exclude", None)
            search["exclude"], search["include"] = value[:1], value[1:]
            value = search["exclude"]
        else:
            search.pop("include", None)
        if value is None:
            search.pop(key, None)
        else:
            search[key] = value
        if not search:
            del self.config["search"]
        self.write_config()
        self.log.append(f"search: {self.config.get('search')}")

    # ---- the property --------------------------------------------------------------------

    def rebuild(self) -> BuildResult:
        """Rebuild with the cache, the index made as `self.mode` says: patched in the search
        process aside, patched in the build's own process (on two cores, or on one), or
        indexed whole because the patch cannot be made."""
        options = BuildOptions(
            root=self.root, out=self.out, jobs=1 if self.mode.endswith("one core") else 2
        )
        with pytest.MonkeyPatch.context() as patch:
            if self.mode == "process":
                patch.setattr(build_site_module, "_core_to_spare", lambda options, pages: False)
            if self.mode.startswith("whole"):

                def cannot_patch(*args):
                    raise CannotPatch("forced by the test")

                patch.setattr(indexing, "patch_index", cannot_patch)
                patch.setattr(aside_module, "patch_index", cannot_patch)
            started = Counter()
            real_start = aside_module.SearchAside.start

            def start(*args, **kwargs):
                started["aside"] += 1
                return real_start(*args, **kwargs)

            patch.setattr(aside_module.SearchAside, "start", start)
            result = build_site(options)
        (note,) = [n for n in result.notes if n.startswith("search: ")] or ["search: none"]
        how = note.split(" in ")[0].split(" (")[0]
        how = "re-indexed" if how.startswith("search: re-indexed") else how
        how = "indexed" if how.startswith("search: indexed") else how
        PATHS_TAKEN[f"{how} ({'aside' if started else 'in process'})"] += 1
        return result

    @invariant()
    def rebuild_is_a_clean_build(self) -> None:
        if not self.built:
            return
        self.step += 1
        result = self.rebuild()
        assert result.ok, (self.log, messages(result))
        clean_out = self.base / "clean"
        # Clean builds on two cores index in runs; on one, in one go: the same bytes.
        jobs = 2 if self.step % 3 else 1
        clean = build_site(BuildOptions(root=self.root, out=clean_out, use_cache=False, jobs=jobs))
        assert clean.ok, (self.log, messages(clean))
        ours, theirs = tree(self.out), tree(clean_out)
        shutil.rmtree(clean_out)
        context = f"after step {self.step} ({self.mode}; clean on {jobs} cores), edits: {self.log}"
        index_differ = index_differences(ours, theirs)
        assert not index_differ, f"{context}\n{index_differ}"
        differ = differences(ours, theirs)
        assert not differ, f"{context}\n{differ}"


# As the site's fuzz tests (fixed examples unless DOCSITE_FUZZ_EXAMPLES asks for new ones),
# fewer of them, and longer when searching.
FUZZ = settings(
    SITE_FUZZ,
    max_examples=SEARCH_FURTHER or 6,
    stateful_step_count=20 if SEARCH_FURTHER else 10,
)


@pytest.fixture
def large_site_paths(monkeypatch):
    """The small site takes a large one's paths on two cores: rendered by forked workers,
    a rebuild's index patched in the search process (and a fresh build's indexed in runs
    of a few pages each: `IncrementalSearchSite.fresh_build`)."""
    monkeypatch.setattr(render, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(build_site_module, "PARALLEL_THRESHOLD", 2)
    PATHS_TAKEN.clear()


def test_search_index_after_random_edits_equals_a_clean_builds(large_site_paths):
    run_state_machine_as_test(IncrementalSearchSite, settings=FUZZ)
    print(dict(PATHS_TAKEN))
    for path in (
        "re-indexed (aside)",
        "re-indexed (in process)",
        "indexed (aside)",
        "indexed (in process)",
    ):
        assert PATHS_TAKEN[path], f"no rebuild took {path}: {dict(PATHS_TAKEN)}"
