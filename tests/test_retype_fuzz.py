"""Adversarial rebuilds of a Retype project: after any sequence of edits, a rebuild with the cache
gives byte for byte what a clean build of the same files gives, says the same, and fails when a
clean build fails.

The project has a `retype.yml` and no docsite.yml: its pages sit beside the config (Retype's
default) or in `docs/` (`input`), its site goes where `output` says. A state machine edits the
keys of `retype.yml` docsite honours (branding, links, footer, edit, nav, meta, url, cname,
templating, data, generator, `exclude` and `include` that take pages and files in and out,
locale and labels, blog...), the config's partials (`extends`, a `retype.<id>.yml` fragment,
`retype.build.yml`), the config written as retype.json, `_includes/`, `static/`, a folder with
both `index.md` and `index.yml` (either removed and brought back), pages' own settings files
(`page.yml` beside `page.md`), blog posts dated by name or setting, default pages under each
name Retype gives them, top-level folders renamed with pages linking into them, pages moved
between folders or renamed in another case, code snippets of a region or range of a file (which
may lose the region, be deleted or not exist yet: an error in both builds), git commits that
date pages, and the content folder moved between the project folder and `docs/`.

The clean build is of a copy of the project without the output and the cache, at the
output its config names, since with `input: .` an output folder elsewhere would be content
(`test_incremental_fuzz.py` has the machines of a docsite.yml project)."""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from test_incremental import tree
from test_incremental_fuzz import (
    FUZZ,
    SEARCH_FURTHER,
    WORDS,
    PageModel,
    config_text,
    differences,
    messages,
    problems,
    rebuild_and_compare,
    relative,
    slug,
    stem,
    yaml_lines,
)

from docsite.build import BuildOptions, build_site
from docsite.retype_config import RETYPE_CONFIG_NAMES

# Every retype.yml key a step may set (dotted, as Retype spells it) and the values it takes;
# None leaves it out. `input` is moved by its own rule, with the files.
RETYPE_CHOICES: dict[str, tuple[str | None, ...]] = {
    "output": (None, "public", ".retype", "out/www"),
    "branding.title": ("Fuzz", "Other title"),
    "branding.label": (None, "v2"),
    "branding.logo": (None, "media/Pic.png", "static/logo.svg"),
    "links": (None, "[{text: Guide, link: guide/a.md}]", "[{text: API, link: /api/, icon: gear}]"),
    "footer.copyright": (None, "'Fuzz {{ year }}'"),
    "footer.links": (None, "[{text: Home, link: /}]"),
    "edit.repo": (None, "https://github.com/x/y"),
    "edit.base": (None, "docs/"),
    "edit.branch": (None, "dev"),
    "nav.mode": (None, "stack"),
    "nav.icons.mode": (None, "none", "folders"),
    "meta.title": (None, "' | Fuzz Inc.'"),
    "meta.siteName": (None, "Fuzz site"),
    "url": (None, "https://example.org/docs/", "example.org"),
    "cname": (None, "docs.example.org", "false"),
    "exclude": (None, "[guide/b.md]", "[api/]", "['**/c.md']", "['*.png']", "[code/]"),
    "include": (None, "[_drafts/]", "[code/]", "['**/*.py']", "['**/_*.md']"),
    "templating.enabled": (None, "false"),
    "data.product": (None, "Widget", "Gadget"),
    "toc.depth": (None, "2", "2-3"),
    "toc.label": (None, "Contents"),
    "nextprev.mode": (None, "hide"),
    "breadcrumb.enabled": (None, "false"),
    "breadcrumb.home": (None, "false", "Start"),
    "generator.recase": (None, "none"),
    "generator.trailingSlash": (None, "false"),
    "generator.directoryIndex.name": (None, "default.htm"),
    "generator.directoryIndex.append": (None, "true"),
    "generator.directoryIndex.altNames": (None, "[start.html]"),
    "snippets.lineNumbers": (None, "['*']"),
    "showSidebarFilter": (None, "false"),
    "backlinks.enabled": (None, "false"),
    "search.exclude": (None, "[guide/]"),
    "poweredByRetype": (None, "false"),
    "hub.link": (None, "https://example.org/"),
    "locale": (None, "fr", "ar", "custom"),  # Arabic reads right to left; custom: labels'
    "labels.default.Toc_Contents_Label": (None, "In short"),
    "labels.fr.ContentFooter_NextButton_Label": (None, "Suivante"),
    "labels.custom.Search_Input_Placeholder": (None, "Look up"),
    "blog.base": (None, "news"),
    "blog.pageSize": (None, "1"),
    "blog.title": (None, "News"),
    "blog.layout": (None, "page"),
    "markdown.lineBreaks": (None, "hard"),
    "extends": (None, "./config/base.yml"),
    "editor.enabled": (None, "true"),  # left out, with a warning
    "lastUpdated.date.enabled": (None, "true"),  # the date of each page's last commit
    "lastUpdated.date.source": (None, "author"),
    "lastUpdated.by.enabled": (None, "true"),
}
# The config's partials (project paths) and the texts a step gives them; None deletes it.
PARTIALS: dict[str, tuple[str | None, ...]] = {
    "config/base.yml": ("branding:\n  title: Base\n  label: base\n", "footer:\n  copyright: B\n"),
    "retype.fuzz.yml": (None, "branding:\n  label: Fragment\n", "links: []\n"),
    "retype.build.yml": (None, "meta:\n  title: ' | Built'\n", "nav:\n  mode: stack\n"),
}
# The file snippets show, with regions `setup` (in both texts) and `main` (in the second).
CODE = "code/app.py"
CODE_TEXTS = (
    "import os\n# #region setup\nvalue = 1\n# #endregion\nprint(value)\n",
    "# #region setup\nvalue = 2\nother = 3\n# #endregion\n# #region main\nrun()\n# #endregion\n",
    None,  # deleted: a snippet of it is an error
)
# A file a snippet may name before it exists (an error till it is made), in another folder.
OTHER_CODE = "examples/Widget.js"
OTHER_CODE_TEXTS = (None, "// #region setup\nconst a = 1;\n// #endregion\n", "let b = 2;\n")
# Other files of the content folder (content paths) and what a step makes them.
FILES: dict[str, tuple[str | bytes | None, ...]] = {
    "_includes/part.md": ("Part one.", "Part of {{ page.title }}.", None),
    "_includes/head.html": (None, '<meta name="fuzz" content="one">'),
    "_includes/top.md": (None, "Top of {{ page.title }}."),
    "media/Pic.png": (b"\x89PNG one", b"\x89PNG a bigger picture" * 40, None),
    CODE: CODE_TEXTS,
    OTHER_CODE: OTHER_CODE_TEXTS,
    "_includes/other.md": (None, "Other part of {{ page.title }}."),
    # An HTML file a link to its folder opens (Retype's `directoryIndex.altNames`).
    "legacy/start.html": ("<p>Legacy start</p>", None, "<p>Legacy, again</p>"),
    # static/ is published whole (any kind of file), as Retype's own docs use it.
    "static/logo.svg": ("<svg>one</svg>", "<svg>two</svg>", None),
    "static/sample.txt": (None, "Sample one\n", "Sample two\n"),
    "blog/images/hero.png": (b"\x89PNG hero", None),
}
FOLDER_KEYS = {
    "label": ("Label one", "Label two"),
    "order": ("1", "5", "-1"),
    "icon": ("rocket", "gear"),
    "expanded": ("true", "false"),
    "visibility": ("hidden", "public"),
}
# A page's settings (in its frontmatter or in a .yml beside it) and the values they take.
PAGE_KEYS = {
    **{key: FOLDER_KEYS[key] for key in ("label", "order", "icon", "visibility")},
    "title": ("Title one", "Title two"),
    "date": ("2025-01-05", "2025-03-01"),  # a blog post's, which orders the blog
}
# The project is a git repository: commits date pages (`lastUpdated`, the sitemap).
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Ann",
    "GIT_AUTHOR_EMAIL": "ann@example.org",
    "GIT_COMMITTER_NAME": "Cid",
    "GIT_COMMITTER_EMAIL": "cid@example.org",
}
# Not in git: the outputs a step may choose, the cache, the staging and spare trees.
GIT_IGNORE = "/site/\n/public/\n/out/\n.*\n!.gitignore\n"
TOP_FOLDERS = ("guide", "api", "both")
# The names a folder's default page may have (Retype's; the last, the folder's own name).
DEFAULT_NAMES = ("index.md", "README.md", "default.md", "")
HOME_NAMES = ("index.md", "welcome.md", "Home.md")
LINK_STYLES = ("md", "rooted", "wiki", "ref", "folder", "file")


class RetypeProject(RuleBasedStateMachine):
    """A Retype project, edited one way per step, rebuilt with the cache and compared with
    a clean build of a copy after every step."""

    JOBS = 1  # the rebuild's workers (a search may render in several, PARALLEL_THRESHOLD low)

    def __init__(self) -> None:
        super().__init__()
        self.base = Path(tempfile.mkdtemp(prefix="docsite-retype-fuzz-"))
        self.root = self.base / "proj"
        self.step = self.counter = 0
        self.log: list[str] = []
        self.config: dict[str, str] = {"branding.title": "Fuzz"}  # input: the project folder
        self.config_name = "retype.yml"
        self.partials: dict[str, str | None] = {rel: t[0] for rel, t in PARTIALS.items()}
        self.files: dict[str, str | bytes | None] = {rel: t[0] for rel, t in FILES.items()}
        self.folder_yml: dict[str, dict[str, str]] = {
            "api": {"label": "API", "order": "2"},
            "both": {"label": "Both from yml", "icon": "gear", "order": "3"},
        }
        self.renamed: dict[str, str] = {}  # a top folder's name now, by its first name
        # Pages' own settings files (content paths: a page's name with .yml or .yaml), which
        # stay where they are when their page moves.
        self.page_yml: dict[str, dict[str, str]] = {"guide/b.yml": {"label": "B from yml"}}
        self.pages = self.first_pages()
        self.commits = 0
        self.write_all()
        self.put(self.root / ".gitignore", GIT_IGNORE)
        self.git("init", "-q")
        result = build_site(BuildOptions(root=self.root, jobs=1))
        assert result.ok, messages(result)

    def teardown(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    @staticmethod
    def first_pages() -> dict[str, PageModel]:
        parts = ["Part A", "Part B"]
        return {
            "index.md": PageModel(
                {},
                "Home",
                [],
                ["[Guide A](guide/a.md) [[b]] [x](/api/x.md)", '{{ include "part" }}'],
            ),
            "guide/index.md": PageModel({"order": "1"}, "Guide", [], ["The guide."]),
            "guide/a.md": PageModel(
                {"order": "1"}, "A", parts, [':::code source="/code/app.py" region="setup" :::']
            ),
            "guide/b.md": PageModel(
                {}, "B", parts, ["[!ref](../api/y.md)", "Product: {{ product }}."]
            ),
            "guide/c.md": PageModel({}, "C", parts, ["[to A](a.md#part-a)"]),
            "api/x.md": PageModel(
                {}, "X", parts, [':::code source="../code/app.py" range="2-3" :::']
            ),
            "api/y.md": PageModel({}, "Y", parts, ["[back](../guide/index.md) [!ref](/both/p.md)"]),
            "both/index.md": PageModel({"label": "Both from page"}, "Both", [], ["Both."]),
            "both/p.md": PageModel(
                {}, "P", parts, ["![pic](../media/Pic.png)", "[up](/both/) [old](/legacy/)"]
            ),
            "_drafts/d.md": PageModel({}, "Draft", [], ["[guide](../guide/a.md)"]),
            "guide/_aside.md": PageModel({}, "Aside", [], ["[C](c.md)"]),
            "api/Mixed-Case.md": PageModel({}, "Mixed", parts, ["[[x]] [y](Y.md)"]),
            "blog/2025-01-10-first.md": PageModel(
                {}, "First post", [], ["Hello from the blog.", "[guide](../guide/a.md)"]
            ),
            "blog/second.md": PageModel(
                {"date": "2025-02-01"},
                "Second post",
                [],
                ["![hero](images/hero.png) Second.", "[!file](/static/sample.txt)"],
            ),
        }

    # ---- files ---------------------------------------------------------------------------

    def content(self) -> Path:
        return self.root / self.config.get("input", ".")

    def output(self) -> str:
        """The output folder the config names (docsite's `site` for Retype's `.retype`)."""
        out = self.config.get("output", ".retype")
        return "site" if out == ".retype" else out

    def put(self, path: Path, data: str | bytes | None) -> None:
        """Write a file, not when it holds these bytes already (with a `url`, a clean build's
        sitemap shows a file's time); None deletes it."""
        if data is None:
            path.unlink(missing_ok=True)
            return
        raw = data.encode() if isinstance(data, str) else data
        if path.is_file() and path.read_bytes() == raw:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)

    def write(self, rel: str) -> None:
        self.put(self.content() / rel, self.pages[rel].text() if rel in self.pages else None)

    def write_yml(self, folder: str) -> None:
        own = self.folder_yml.get(folder)
        self.put(self.content() / folder / "index.yml", yaml_lines(own) if own else None)

    def write_config(self) -> None:
        text = config_text(self.config)
        if self.config_name.endswith(".json"):  # the same keys and values, in JSON
            text = json.dumps(yaml.safe_load(text), indent=2) + "\n"
        self.put(self.root / self.config_name, text)

    def write_page_yml(self, rel: str) -> None:
        own = self.page_yml.get(rel)
        self.put(self.content() / rel, yaml_lines(own) if own else None)

    def write_all(self) -> None:
        self.write_config()
        for rel, text in self.partials.items():
            self.put(self.root / rel, text)
        for rel, data in self.files.items():
            self.put(self.content() / rel, data)
        for rel in self.pages:
            self.write(rel)
        for folder in self.folder_yml:
            self.write_yml(folder)
        for rel in self.page_yml:
            self.write_page_yml(rel)

    def content_files(self) -> list[str]:
        """Every file of the content folder the model holds (content paths)."""
        return [
            *self.pages,
            *(f"{folder}/index.yml" for folder, own in self.folder_yml.items() if own),
            *(rel for rel, own in self.page_yml.items() if own),
            *(rel for rel, data in self.files.items() if data is not None),
        ]

    # ---- choices -------------------------------------------------------------------------

    def pick(self, data: st.DataObject, choices: list[str], what: str) -> str:
        return data.draw(st.sampled_from(sorted(choices)), label=what)

    def folders(self) -> list[str]:
        return sorted(self.renamed.get(f, f) for f in TOP_FOLDERS)

    def default_page(self, folder: str) -> str | None:
        """The folder's default page, as docsite finds it: the first of its names."""
        for name in DEFAULT_NAMES:
            for rel in self.pages:
                if rel.lower() == f"{folder}/{name or folder + '.md'}".lower():
                    return rel
        return None

    def leaves(self) -> list[str]:
        """The pages in a top folder but its default page."""
        return sorted(
            r for r in self.pages if r.count("/") == 1 and stem(r) != "index" and r[0] != "_"
        )

    def set_setting(self, rel: str, key: str, value: str | None) -> None:
        if value is None:
            self.pages[rel].front.pop(key, None)
        else:
            self.pages[rel].front[key] = value
        self.write(rel)
        self.log.append(f"{key} of {rel}: {value}")

    def append_line(self, rel: str, line: str, what: str) -> None:
        self.pages[rel].lines.append(line)
        self.write(rel)
        self.log.append(f"{what} in {rel}: {line}")

    # ---- the config, its partials, the content folder ------------------------------------

    @rule(key=st.sampled_from(sorted(RETYPE_CHOICES)), data=st.data())
    def configure(self, key: str, data: st.DataObject) -> None:
        value = data.draw(st.sampled_from(RETYPE_CHOICES[key]), label="value")
        old_output = self.output()
        if value is None:
            self.config.pop(key, None)
        else:
            self.config[key] = value
        if self.output() != old_output:
            # As a user would: an old output folder in the project folder is content.
            shutil.rmtree(self.root / old_output.split("/")[0], ignore_errors=True)
        self.write_config()
        self.log.append(f"retype.yml {key}: {value}")

    @rule(rel=st.sampled_from(sorted(PARTIALS)), data=st.data())
    def edit_partial(self, rel: str, data: st.DataObject) -> None:
        text = data.draw(st.sampled_from(PARTIALS[rel] + (None,)), label="text")
        self.partials[rel] = text
        self.put(self.root / rel, text)
        self.log.append(f"{rel}: {text!r}")

    @rule(name=st.sampled_from(RETYPE_CONFIG_NAMES))
    def rename_config(self, name: str) -> None:
        """retype.yml renamed retype.yaml, or back, or written as retype.json with the same
        keys (in the content folder with `input: .`)."""
        old, new = self.root / self.config_name, self.root / name
        if old == new:
            return
        self.config_name = name
        if {old.suffix, new.suffix} <= {".yml", ".yaml"}:
            old.rename(new)
        else:
            old.unlink()
            self.write_config()
        self.log.append(f"config: {self.config_name}")

    @rule()
    def move_input(self) -> None:
        """The content folder moved: from the project folder (Retype's default) to `docs/`,
        or back, with every file in it."""
        old = self.content()
        if "input" in self.config:
            del self.config["input"]
        else:
            self.config["input"] = "docs"
        for rel in self.content_files():
            os.renames(old / rel, self.content() / rel)
        self.write_config()
        self.log.append(f"input: {self.config.get('input', '.')}")

    # ---- git -----------------------------------------------------------------------------

    def git(self, *args: str, **dates: str) -> None:
        env = {**os.environ, **GIT_ENV, **dates}
        subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True)

    @rule(data=st.data(), other_author=st.booleans())
    def commit(self, data: st.DataObject, other_author: bool) -> None:
        """Every change, or one page's, committed on a later day (by its author or another
        person): the pages it touches get a new "last updated" date."""
        self.commits += 1
        when = f"2025-03-{self.commits % 28 + 1:02d}T10:00:00+00:00"
        dates = {"GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when.replace("T10", "T08")}
        if other_author:
            dates["GIT_AUTHOR_NAME"] = "Bo"
        rel = self.pick(data, ["", *self.pages], "page")
        self.git("add", "-A", *([str(self.content() / rel)] if rel else []))
        self.git("commit", "-q", "--allow-empty", "-m", f"step {self.step}", **dates)
        self.log.append(f"commit {self.commits} of {rel or 'all'}")

    # ---- files pages read or show --------------------------------------------------------

    @rule(rel=st.sampled_from(sorted(FILES)), data=st.data())
    def edit_file(self, rel: str, data: st.DataObject) -> None:
        content = data.draw(st.sampled_from(FILES[rel]), label="content")
        self.files[rel] = content
        self.put(self.content() / rel, content)
        shown = content if isinstance(content, str) or content is None else len(content)
        self.log.append(f"{rel}: {shown!r}")

    @rule(
        data=st.data(),
        part=st.sampled_from(["whole", "range", "setup", "main", "gone"]),
        rooted=st.booleans(),
        other=st.booleans(),
    )
    def snippet(self, data: st.DataObject, part: str, rooted: bool, other: bool) -> None:
        """A snippet of a code file (one that may not exist yet), whole, lines 2-3, or a
        region it may not have."""
        rel = self.pick(data, list(self.pages), "page")
        file = OTHER_CODE if other else CODE
        source = "/" + file if rooted else relative(rel, file)
        option = {"whole": "", "range": ' range="2-3"'}.get(part, f' region="{part}"')
        self.append_line(rel, f':::code source="{source}"{option} :::', "snippet")

    @rule(rel=st.sampled_from([CODE, OTHER_CODE]), data=st.data())
    def edit_code(self, rel: str, data: st.DataObject) -> None:
        """As edit_file, for the files snippets show: their regions and lines change, they
        are deleted and made again."""
        self.edit_file(rel, data)

    @rule(
        data=st.data(),
        kind=st.sampled_from(["self", "project", "data", "include", "other", "missing"]),
    )
    def templating(self, data: st.DataObject, kind: str) -> None:
        rel = self.pick(data, list(self.pages), "page")
        other = stem(self.pick(data, self.leaves(), "read"))
        line = {
            "self": "I am {{ page.title }}, {{ page.label }}.",
            "project": "In {{ project.branding.title }}.",
            "data": "Product: {{ product }}.",
            "include": '{{ include "part" }}',
            "missing": '{{ include "other" }}',
            "other": f'Read: {{{{ content["{other}"].title }}}}',
        }[kind]
        self.append_line(rel, line, "templating")

    # ---- pages ---------------------------------------------------------------------------

    @rule(data=st.data(), word=st.sampled_from(WORDS))
    def retitle(self, data: st.DataObject, word: str) -> None:
        rel = self.pick(data, list(self.pages), "page")
        self.pages[rel].h1 = f"{word} {self.step}"
        self.write(rel)
        self.log.append(f"H1 of {rel}: {word} {self.step}")

    @rule(data=st.data(), key=st.sampled_from(sorted(PAGE_KEYS)), choice=st.integers(0, 2))
    def page_setting(self, data: st.DataObject, key: str, choice: int) -> None:
        rel = self.pick(data, list(self.pages), "page")
        values = PAGE_KEYS[key]
        self.set_setting(rel, key, values[choice] if choice < len(values) else None)

    @rule(
        data=st.data(),
        suffix=st.sampled_from([".yml", ".yaml"]),
        key=st.sampled_from(sorted(PAGE_KEYS)),
        choice=st.integers(0, 2),
    )
    def page_settings_file(self, data: st.DataObject, suffix: str, key: str, choice: int) -> None:
        """A page's settings in a .yml (or .yaml) beside it with its name, as Retype reads
        them: a key set or taken out; the file goes with its last key, and stays behind when
        its page moves. (A folder's index.yml is folder_setting's.)"""
        rel = self.pick(data, [r for r in self.pages if stem(r) != "index"], "page")
        yml = rel.removesuffix(".md") + suffix
        values = PAGE_KEYS[key]
        own = self.page_yml.setdefault(yml, {})
        if choice < len(values):
            own[key] = values[choice]
        else:
            own.pop(key, None)
        self.write_page_yml(yml)
        self.log.append(f"{yml} {key}: {own.get(key)}")

    @rule(data=st.data(), dated=st.sampled_from(["name", "setting", "none"]))
    def add_post(self, data: st.DataObject, dated: str) -> None:
        """A blog post, dated by its file name (YYYY-MM-DD-), by its `date`, or not at all."""
        self.counter += 1
        day = f"2025-{self.counter % 9 + 1:02d}-{self.counter % 28 + 1:02d}"
        rel = (
            f"blog/{day}-post-{self.counter}.md" if dated == "name" else f"blog/p{self.counter}.md"
        )
        front = {"date": day} if dated == "setting" else {}
        lines = [f"Post {self.counter} says hello.", "[home](../index.md)"]
        self.pages[rel] = PageModel(front, f"Post {self.counter}", [], lines)
        self.write(rel)
        self.log.append(f"added post {rel}")

    @rule(data=st.data(), anchored=st.booleans())
    def add_link(self, data: st.DataObject, anchored: bool) -> None:
        source = self.pick(data, list(self.pages), "from")
        target = self.pick(data, list(self.pages), "to")
        style = self.pick(data, list(LINK_STYLES), "style")
        headings = self.pages[target].headings
        anchor = "#" + slug(headings[0]) if anchored and headings else ""
        name = stem(target) if stem(target) != "index" else posixpath.dirname(target) or "Home"
        line = {
            "md": f"[link]({relative(source, target)}{anchor})",
            "rooted": f"[link](/{target}{anchor})",
            "wiki": f"[[{name}{anchor}]]",
            "ref": f"[!ref]({relative(source, target)}{anchor})",
            "folder": f"[folder](/{posixpath.dirname(target) or 'guide'}/)",
            "file": f"[code]({relative(source, CODE)}) [pic]({relative(source, 'media/Pic.png')})",
        }[style]
        self.append_line(source, line, f"{style} link")

    @rule(data=st.data(), word=st.sampled_from(WORDS))
    def body_edit(self, data: st.DataObject, word: str) -> None:
        rel = self.pick(data, list(self.pages), "page")
        self.append_line(rel, f"{word} text {self.step}.", "body")

    @rule(data=st.data())
    def remove_line(self, data: st.DataObject) -> None:
        rel = self.pick(data, list(self.pages), "page")
        lines = self.pages[rel].lines
        if lines:
            removed = lines.pop(data.draw(st.integers(0, len(lines) - 1), label="line"))
            self.write(rel)
            self.log.append(f"removed from {rel}: {removed}")

    @rule(data=st.data(), name=st.sampled_from(["n", "_n", *DEFAULT_NAMES]))
    def add_page(self, data: st.DataObject, name: str) -> None:
        """A page in a top folder: one whose name starts with `_` (left out unless an
        `include` pattern brings it in), or named as a default page, which may now be the
        folder's or come second to the one it has."""
        folder = self.pick(data, self.folders(), "folder")
        self.counter += 1
        rel = f"{folder}/{name or folder + '.md'}"
        if name in ("n", "_n") or any(r.lower() == rel.lower() for r in self.pages):
            rel = f"{folder}/{name.strip('n') if name in ('n', '_n') else ''}n{self.counter}.md"
        self.pages[rel] = PageModel({}, f"New {self.counter}", ["Part A"], ["[home](../index.md)"])
        self.write(rel)
        self.log.append(f"added {rel}")

    @rule(data=st.data(), name=st.sampled_from(DEFAULT_NAMES))
    def rename_default_page(self, data: st.DataObject, name: str) -> None:
        """A folder's default page (or the home page) given another of the names a default
        page may have; a folder's own name stops being one when the folder is renamed."""
        folder = self.pick(data, ["", *self.folders()], "folder")
        if folder:
            old, new = self.default_page(folder), f"{folder}/{name or folder + '.md'}"
        else:
            old = next((r for r in HOME_NAMES if r in self.pages), None)
            new = HOME_NAMES[DEFAULT_NAMES.index(name) % len(HOME_NAMES)]
        if old is None or any(r.lower() == new.lower() for r in self.pages):
            return
        self.pages[new] = self.pages.pop(old)
        os.renames(self.content() / old, self.content() / new)
        self.log.append(f"default page {old} -> {new}")

    @precondition(lambda self: len(self.leaves()) > 2)
    @rule(data=st.data())
    def remove_page(self, data: st.DataObject) -> None:
        rel = self.pick(data, self.leaves(), "page")
        del self.pages[rel]
        self.write(rel)
        self.log.append(f"removed {rel}")

    @rule(data=st.data())
    def recase_page(self, data: st.DataObject) -> None:
        """A page's file named in other letters' case: its address stays, in lower case
        (`generator.recase`), and links that name it as it was warn."""
        rel = self.pick(data, self.leaves(), "page")
        name = posixpath.basename(rel)
        other = name.lower() if name != name.lower() else name.capitalize()
        new = f"{posixpath.dirname(rel)}/{other}"
        if new in self.pages:
            return
        self.pages[new] = self.pages.pop(rel)
        os.rename(self.content() / rel, self.content() / new)
        self.log.append(f"renamed {rel} -> {new}")

    @rule(data=st.data())
    def move_page(self, data: st.DataObject) -> None:
        """A page moved to another top folder (its links, and the links to it, then break)."""
        rel = self.pick(data, self.leaves(), "page")
        folder = self.pick(data, [f for f in self.folders() if not rel.startswith(f + "/")], "to")
        new = f"{folder}/{posixpath.basename(rel)}"
        if new in self.pages:
            self.counter += 1
            new = f"{folder}/m{self.counter}.md"
        self.pages[new] = self.pages.pop(rel)
        os.renames(self.content() / rel, self.content() / new)
        self.log.append(f"moved {rel} -> {new}")

    # ---- folders -------------------------------------------------------------------------

    @rule(data=st.data(), back=st.booleans())
    def rename_folder(self, data: st.DataObject, back: bool) -> None:
        """A top folder renamed (the links into it break), or given its first name again
        (they find their pages again)."""
        first = self.pick(data, list(TOP_FOLDERS), "folder")
        old = self.renamed.get(first, first)
        self.counter += 1
        new = first if back and first not in self.folders() else f"f{self.counter}"
        if new == old:
            return
        for rel in [r for r in self.pages if r.startswith(old + "/")]:
            self.pages[new + rel[len(old) :]] = self.pages.pop(rel)
        if old in self.folder_yml:
            self.folder_yml[new] = self.folder_yml.pop(old)
        for rel in [r for r in self.page_yml if r.startswith(old + "/")]:
            self.page_yml[new + rel[len(old) :]] = self.page_yml.pop(rel)
        if (self.content() / old).is_dir():
            (self.content() / old).rename(self.content() / new)
        self.renamed[first] = new
        self.log.append(f"folder {old} -> {new}")

    @rule(
        data=st.data(),
        where=st.sampled_from(["index.md", "index.yml"]),
        key=st.sampled_from(sorted(FOLDER_KEYS)),
        choice=st.integers(0, 3),
    )
    def folder_setting(self, data: st.DataObject, where: str, key: str, choice: int) -> None:
        """A folder's setting in its default page or its index.yml (both may be there)."""
        folder = self.pick(data, self.folders(), "folder")
        values = FOLDER_KEYS[key]
        value = values[choice] if choice < len(values) else None
        page = self.default_page(folder)
        if where == "index.md" and page is not None:
            self.set_setting(page, key, value)
            return
        own = self.folder_yml.setdefault(folder, {})
        if value is None:
            own.pop(key, None)
        else:
            own[key] = value
        self.write_yml(folder)
        self.log.append(f"{folder}/index.yml {key}: {value}")

    @rule(data=st.data(), what=st.sampled_from(["index.md", "index.yml"]))
    def toggle_folder_file(self, data: st.DataObject, what: str) -> None:
        """A folder's default page or its index.yml removed, or made (again)."""
        folder = self.pick(data, self.folders(), "folder")
        if what == "index.md":
            rel = self.default_page(folder) or f"{folder}/index.md"
            if rel in self.pages:
                del self.pages[rel]
            else:
                self.pages[rel] = PageModel({"order": "2"}, f"Folder {folder}", [], ["Intro."])
            self.write(rel)
            self.log.append(f"{rel}: {'made' if rel in self.pages else 'removed'}")
            return
        if self.folder_yml.get(folder):
            del self.folder_yml[folder]
        else:
            self.folder_yml[folder] = {"label": f"{folder} yml", "icon": "rocket"}
        self.write_yml(folder)
        self.log.append(f"{folder}/index.yml: {self.folder_yml.get(folder)}")

    # ---- the property --------------------------------------------------------------------

    def not_sources(self, folder: str, names: list[str]) -> set[str]:
        """What a copy of the project leaves out: the output folder, the cache, the staging
        and spare trees (not .git, which dates pages)."""
        if Path(folder) != self.root:
            return set()
        output = self.output().split("/")[0]
        return {n for n in names if (n.startswith(".") and n != ".git") or n == output}

    @invariant()
    def rebuild_fails_or_succeeds_as_a_clean_build(self) -> None:
        self.step += 1
        result = build_site(BuildOptions(root=self.root, jobs=self.JOBS))
        copy = self.base / "clean"
        shutil.copytree(self.root, copy, ignore=self.not_sources)
        try:
            clean = build_site(BuildOptions(root=copy, use_cache=False, jobs=1))
            said, clean_said = problems(result), problems(clean)
            assert said == clean_said, (self.log, set(said) ^ set(clean_said))
            assert result.ok == clean.ok, (self.log, messages(result))
            if clean.ok:
                differ = differences(tree(result.output), tree(clean.output))
                assert not differ, f"after step {self.step}, edits: {self.log}\n{differ}"
        finally:
            shutil.rmtree(copy, ignore_errors=True)


RETYPE_FUZZ = settings(FUZZ, max_examples=SEARCH_FURTHER or 6)


def test_rebuilds_of_a_retype_project_equal_clean_builds():
    run_state_machine_as_test(RetypeProject, settings=RETYPE_FUZZ)


# ---- What the fuzzing found, each as its smallest case ---------------------------------------


def test_files_recased_or_not_reach_the_links_of_unchanged_pages(tmp_path):
    """A Retype project publishes its files in lower case (`generator.recase: all`, the
    default); `recase: none` keeps their names. The rebuild reused the page's parsed body,
    whose image still named `media/pic.png`, a file no longer published."""
    rebuild_and_compare(
        tmp_path,
        {
            "retype.yml": "input: docs\n",
            "docs/index.md": "# Home\n\n![pic](media/Pic.png)\n",
            "docs/media/Pic.png": b"PNG",
        },
        {"retype.yml": "input: docs\ngenerator:\n  recase: none\n"},
    )
