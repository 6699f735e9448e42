"""The site configuration, `docsite.yml`: typed, validated, every key optional."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docsite.diagnostics import Report
from docsite.retype_config import RETYPE_CONFIG_NAME, translate
from docsite.schema import AnyMapping, Bool, Int, ListOf, Mapping, Str, check_document
from docsite.sources import read_text
from docsite.yamldoc import load_yaml

CONFIG_NAME = "docsite.yml"
# A BCP 47 language tag such as "en", "pt-BR" or "zh-Hant-TW"; it goes into <html lang>.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class HeaderLink:
    text: str
    link: str
    icon: str = ""


@dataclass(frozen=True)
class EditConfig:
    repo: str = ""
    branch: str = "main"
    path: str = "content"


# Mermaid is loaded only by pages that have a diagram; version 11, from a CDN by default.
MERMAID_CDN = "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.min.js"


@dataclass(frozen=True)
class SiteConfig:
    """Everything a build needs to know about the site, with defaults."""

    root: Path
    file: str = ""  # the config file as shown in messages, "" when there is none
    title: str = "Docs"
    description: str = ""
    logo: str = ""
    image: str = ""  # the default social preview image, a path in the published site
    url: str = ""
    language: str = "en"
    input: str = "content"
    output: str = "site"
    links: tuple[HeaderLink, ...] = ()
    footer: str = ""
    edit: EditConfig = field(default_factory=EditConfig)
    toc_depth: int = 3
    # Raw HTML in Markdown is passed through; `markdown: {html: false}` escapes it instead.
    markdown_html: bool = True
    # Full-text search with Pagefind: on by default; `code: false` leaves code blocks out.
    search_enabled: bool = True
    search_code: bool = True
    # Where pages with a mermaid diagram load Mermaid from: a URL, or a path in the site.
    mermaid_script: str = MERMAID_CDN
    # Values for `{{ data.* }}` in pages, as written in the config.
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def content_dir(self) -> Path:
        return self.root / self.input

    @property
    def output_dir(self) -> Path:
        return self.root / self.output


_LINK = Mapping(
    fields={"text": Str(), "link": Str(), "icon": Str()},
    description="a mapping with 'text' and 'link'",
)

SCHEMA = Mapping(
    fields={
        "title": Str(),
        "description": Str(),
        "logo": Str(),
        "image": Str(),
        "url": Str(),
        "language": Str(),
        "input": Str(),
        "output": Str(),
        "links": ListOf(_LINK, single_ok=False),
        "footer": Str(),
        "edit": Mapping(fields={"repo": Str(), "branch": Str(), "path": Str()}),
        "toc": Mapping(fields={"depth": Int(minimum=2, maximum=6)}),
        "markdown": Mapping(fields={"html": Bool()}),
        "search": Mapping(fields={"enabled": Bool(), "code": Bool()}),
        "mermaid": Mapping(fields={"script": Str()}),
        "data": AnyMapping(),
    }
)


def load_config(root: Path, config_path: Path | None, report: Report) -> SiteConfig:
    """Read and check the config; a missing default file means all defaults."""
    path = config_path or root / CONFIG_NAME
    # A Retype project without a docsite.yml builds from its retype.yml.
    from_retype = (
        config_path is None and not path.is_file() and (root / RETYPE_CONFIG_NAME).is_file()
    )
    if from_retype:
        path = root / RETYPE_CONFIG_NAME
    shown = _shown(path, root)
    if not path.is_file():
        if config_path is not None:
            raise FileNotFoundError(f"config file not found: {shown}")
        return SiteConfig(root=root)
    doc = load_yaml(read_text(path, shown), shown)
    if doc.data is None:
        return SiteConfig(root=root, file=shown)
    if from_retype:
        doc = translate(doc, report)
    values = check_document(doc, SCHEMA, report, path.name)
    links = []
    for index, item in enumerate(values.get("links", [])):
        if "text" not in item or "link" not in item:
            pos = doc.where(("links", index))
            report.error(
                shown,
                pos.line,
                pos.col,
                "a header link needs both 'text' and 'link'",
                "e.g. - text: GitHub\n          link: https://github.com/you/project",
            )
            continue
        links.append(HeaderLink(item["text"], item["link"], item.get("icon", "")))
    edit = values.get("edit", {})
    language = values.get("language", "en")
    if not _LANGUAGE_TAG.match(language):
        pos = doc.where(("language",))
        report.error(
            shown,
            pos.line,
            pos.col,
            f"'language' must be a language tag like en or pt-BR, got {language!r}",
            "use a BCP 47 tag: letters, digits and '-'",
        )
        language = "en"
    url = values.get("url", "")
    if url and not url.endswith("/"):
        url += "/"
    return SiteConfig(
        root=root,
        file=shown,
        title=values.get("title", "Docs"),
        description=values.get("description", ""),
        logo=values.get("logo", ""),
        image=values.get("image", "").lstrip("/"),
        url=url,
        language=language,
        input=values.get("input", "content"),
        output=values.get("output", "site"),
        links=tuple(links),
        footer=values.get("footer", ""),
        edit=EditConfig(
            repo=edit.get("repo", "").rstrip("/"),
            branch=edit.get("branch", "main"),
            path=edit.get("path", "content").strip("/"),
        ),
        toc_depth=values.get("toc", {}).get("depth", 3),
        markdown_html=values.get("markdown", {}).get("html", True),
        search_enabled=values.get("search", {}).get("enabled", True),
        search_code=values.get("search", {}).get("code", True),
        data=values.get("data", {}),
        mermaid_script=values.get("mermaid", {}).get("script", MERMAID_CDN).strip() or MERMAID_CDN,
    )


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
