"""Starting points: a new page with its frontmatter filled in, and a new docs project."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from docsite.config import CONFIG_NAMES
from docsite.pages import DEFAULT_PAGE_NAMES, humanize


class ScaffoldError(Exception):
    """The file or folder cannot be created as asked; the message says why."""


def new_page(root: Path, path: str, title: str = "", content_dir: str = "content") -> Path:
    """Create `content/<path>` ('guide/setup' or 'guide/setup.md') with frontmatter and an H1.

    Existing files are never overwritten."""
    rel = path.strip().replace("\\", "/").strip("/")
    if rel.startswith(content_dir + "/"):
        rel = rel[len(content_dir) + 1 :]
    if not rel or any(part in ("", ".", "..") for part in rel.split("/")):
        raise ScaffoldError(f"'{path}' is not a page path; write it like guide/setup.md")
    if not rel.endswith(".md"):
        rel += ".md"
    target = root / content_dir / rel
    if target.exists():
        raise ScaffoldError(f"{content_dir}/{rel} already exists; it was left as it is")
    stem = posixpath.splitext(posixpath.basename(rel))[0]
    if stem.lower() + ".md" in DEFAULT_PAGE_NAMES and "/" in rel:
        stem = posixpath.basename(posixpath.dirname(rel))
    title = title.strip() or humanize(stem)
    text = (
        "---\n"
        f"label: {_yaml_string(title)}\n"
        'description: ""\n'
        "tags: []\n"
        "---\n\n"
        f"# {title}\n\n"
        "Write the page here.\n"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def init_project(folder: Path, title: str = "") -> list[Path]:
    """Create a docs project that builds at once: docsite.yml, content/index.md and a guide.

    Refuses a folder that already has a docsite.yml or a content/ folder."""
    title = title.strip() or humanize(folder.resolve().name) or "Docs"
    for existing in (*(folder / name for name in CONFIG_NAMES), folder / "content"):
        if existing.exists():
            raise ScaffoldError(f"{existing} already exists; pick an empty folder")
    files = {
        CONFIG_NAMES[0]: (
            f"title: {_yaml_string(title)}\n"
            'description: ""\n'
            "# The address the site is published at, for canonical links and sitemap.xml:\n"
            "# url: https://example.com/docs/\n"
        ),
        "content/index.md": (
            "---\n"
            "description: Start here.\n"
            "---\n\n"
            f"# {title}\n\n"
            "Welcome. Read [Getting started](getting-started.md) next.\n"
        ),
        "content/getting-started.md": (
            "---\n"
            "order: 100\n"
            "icon: rocket\n"
            "description: How to write and build these docs.\n"
            "---\n\n"
            "# Getting started\n\n"
            "Every Markdown file in `content/` is a page. Preview the site while you write:\n\n"
            "```bash\n"
            "docsite serve\n"
            "```\n\n"
            "Open http://127.0.0.1:8000: each page reloads as you save it. Add a page with\n"
            '`docsite new guide/setup "Set up"`; its `order` sets its place in the sidebar.\n\n'
            "When the pages are ready, build the site and publish the `site/` folder on any\n"
            "static host:\n\n"
            "```bash\n"
            "docsite build\n"
            "```\n"
        ),
        ".gitignore": "site/\n.docsite-cache/\n",
    }
    created = []
    for rel, text in files.items():
        path = folder / rel
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    return created


def _yaml_string(text: str) -> str:
    """A YAML scalar for any title: JSON strings are valid YAML."""
    return json.dumps(text, ensure_ascii=False)
