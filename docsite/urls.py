"""URLs docsite writes: relative links between published files, and the one policy every URL
from the user's input passes before it reaches an href or a src."""

from __future__ import annotations

import html
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from docsite.schema import INVALID, Context, Str, dotted
from docsite.yamldoc import Path

# Schemes that make the browser run code (or show a document of the author's making).
_SCRIPT_SCHEMES = ("javascript", "vbscript", "data")
# As a browser reads a URL: C0 controls and spaces around it are dropped, and tabs and
# newlines anywhere, so "\x01 java\tscript:" is a javascript: URL.
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_IMAGE_DATA = re.compile(r"^data:image/", re.I)
# A URL with a scheme, or protocol-relative: it leads out of the site.
EXTERNAL_URL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//)")

URL_HINT = "link to a page or file of the site, or to an http:// or https:// address"

# What a permalink (or a redirect_from path) may be made of, as its error message lists it.
PATH_CHARACTERS = "letters, digits, '-', '_', '.', '~' and '/'"
_PATH_OK = re.compile(r"^[\w\-.~/]*$")


@dataclass(frozen=True)
class UrlStyle:
    """How page addresses are written (Retype's `generator`): lower case or as the files
    are named, with or without the trailing '/', or with the folder's index file named."""

    recase: bool = True  # `recase: all`: page addresses in lower case
    # Published files' names in lower case too: `recase: all` in a Retype project, as Retype
    # does. A docsite project keeps its files' names, as templates and raw HTML write them.
    recase_files: bool = False
    trailing_slash: bool = True  # `guide/setup/`, else `guide/setup`
    index_name: str = "index.html"  # `directoryIndex.name`: the file a folder URL serves
    append_index: bool = False  # `directoryIndex.append`: links name it, `guide/index.html`
    # `directoryIndex.altNames`: an HTML file of a folder with no page that a link to the
    # folder opens.
    alt_names: tuple[str, ...] = ("index.html", "index.htm", "default.html", "default.htm")

    def link_form(self, url: str) -> str:
        """A folder URL (`guide/setup/`, '' for home) as links write it."""
        if url and not url.endswith("/"):
            return url  # a permalink to a file, `setup.html`
        if self.append_index:
            return url + self.index_name
        return url.removesuffix("/") if not self.trailing_slash else url

    def file_path(self, rel: str) -> str:
        """Where a file of the content folder (an image, a download) is published: in lower
        case when files are recased, as Retype writes every file it publishes."""
        return rel.lower() if self.recase_files else rel

    def output_path(self, url: str) -> str:
        """The file a page's URL (in its link form) is written to."""
        if url == "" or url.endswith("/"):
            return url + self.index_name
        if url.lower().endswith((".html", ".htm")):
            return url
        return url + "/" + self.index_name


def root_prefix(page_url: str) -> str:
    """The relative path from a page to the site root: '' -> './', 'a/b/' -> '../../'."""
    depth = page_url.count("/")
    return "../" * depth if depth else "./"


def relative_href(from_url: str, to_url: str, fragment: str = "") -> str:
    """A link from one site-relative URL to another; to_url '' is the home page."""
    if to_url == from_url and fragment:
        return "#" + fragment
    href = root_prefix(from_url) + to_url
    # Keep './' when the rest would read as a scheme ('a:b/'): a path, never a javascript: URL.
    if to_url and href.startswith("./") and not (":" in to_url and url_scheme(to_url)):
        href = href[2:]
    return href + ("#" + fragment if fragment else "")


def url_scheme(url: str, entities: bool = False) -> str:
    """The scheme a browser reads in `url` (lower case), '' for a path."""
    match = _SCHEME.match(_as_browser_reads(url, entities))
    return match.group(1).lower() if match else ""


def _as_browser_reads(url: str, entities: bool) -> str:
    """The URL as a browser's parser starts on it (entities decoded when it is HTML-ish)."""
    if entities:
        url = html.unescape(url)
    return _TAB_OR_NEWLINE.sub("", url.strip(_C0_AND_SPACE))


@dataclass(frozen=True)
class RefusedUrl:
    """A URL docsite will not write into a page, said as a diagnostic's message and hint."""

    message: str
    hint: str = URL_HINT


def refused_url(
    url: str, what: str, image: bool = False, entities: bool = False
) -> RefusedUrl | None:
    """The one check every URL from the input passes before an href or src, so none runs
    script: None, or why not as `what` ("'redirect'", "[!button] link") cannot be it.
    `image`: a src, where data:image/ is fine; `entities`: HTML-ish text, '&colon;' is ':'."""
    scheme = url_scheme(url, entities)
    if scheme not in _SCRIPT_SCHEMES:
        return None
    if scheme != "data":
        problem = f"a {scheme}: URL runs script in the reader's browser"
    elif not image:
        problem = "a data: URL can hold a page that runs script; only images may use data:"
    elif _IMAGE_DATA.match(_as_browser_reads(url, entities)):
        return None
    else:
        problem = "an image's data: URL must be data:image/..."
    return RefusedUrl(f"{what} cannot be '{shown_url(url)}': {problem}")


def shown_url(url: str) -> str:
    """A URL for a message: control characters written as escapes, not printed raw."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", url)


def site_path_problem(path: str) -> str:
    """Why a site path (a permalink, a redirect_from path) is not one, or ''."""
    path = path.strip()
    scheme = url_scheme(path)
    decoded = urllib.parse.unquote(path)
    segments = [s for s in decoded.strip("/").split("/") if s]
    if "\\" in path or re.match(r"^[A-Za-z]:", path):
        return "it is a file system path, not a URL path"
    if "://" in path or path.startswith("//"):
        return "it must be a path on this site, not a full URL"
    if scheme:
        return f"'{scheme}:' makes it a URL of its own, not a path on this site"
    if any(s in (".", "..") for s in segments):
        return "it cannot contain '.' or '..' segments (also not as %2e)"
    if not _PATH_OK.match(path):
        bad = sorted({c for c in path if not _PATH_OK.match(c)})
        shown = ", ".join(f"'{shown_url(c)}'" for c in bad)
        return f"it contains {shown}; a path may only contain {PATH_CHARACTERS}"
    return ""


@dataclass
class UrlSetting(Str):
    """A setting written into an href (a src: `image`), refused where the YAML says it."""

    image: bool = False

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        text = super().check(value, path, ctx)
        if text is INVALID:
            return INVALID
        refused = refused_url(text, f"'{dotted(path)}'", image=self.image)
        if refused is not None:
            return ctx.fail(path, refused.message, refused.hint)
        return text


def parsed_as_link(url: str) -> bool:
    """What markdown-it accepts, and what docsite refuses, so that it can be reported."""
    if ":" not in url:
        return True  # no scheme: markdown-it refuses only some schemes
    # Imported here: loading the config needs this module, a build with nothing to do does
    # not need markdown-it.
    from markdown_it.common.normalize_url import validateLink

    return validateLink(url) or refused_url(url, "") is not None


def refused_links(markdown: str, what: str) -> list[RefusedUrl]:
    """Refused links and images of inline Markdown in a setting (the footer), as `what`."""
    if "[" not in markdown and "<" not in markdown:
        return []  # no link or image (most footers): markdown-it is not even loaded
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = parsed_as_link  # type: ignore[method-assign]
    refused = []
    for token in md.parseInline(markdown)[0].children or []:
        attr = "href" if token.type == "link_open" else "src" if token.type == "image" else ""
        url = token.attrGet(attr) if attr else None
        found = refused_url(url, what, image=attr == "src") if isinstance(url, str) else None
        if found is not None:
            refused.append(found)
    return refused
