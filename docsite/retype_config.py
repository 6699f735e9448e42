"""Reading a Retype project's config (`retype.yml`, `retype.yaml` or `retype.json`), so a
Retype site builds without a docsite.yml.

The keys docsite supports are translated to docsite's; every other key is named in a
warning, so nothing is dropped without a word.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any

from docsite.diagnostics import Report
from docsite.yamldoc import Path as KeyPath
from docsite.yamldoc import Position, YamlDocument

RETYPE_CONFIG_NAMES = ("retype.yml", "retype.yaml", "retype.json")

# Retype key path -> docsite key path.
_MAPPING: dict[KeyPath, KeyPath] = {
    ("input",): ("input",),
    ("output",): ("output",),
    ("exclude",): ("exclude",),
    ("include",): ("include",),
    ("generator",): ("generator",),  # the same keys; the schema knows Retype's names
    ("url",): ("url",),
    ("branding", "title"): ("title",),
    ("branding", "logo"): ("logo",),
    ("branding", "logoDark"): ("logo_dark",),
    ("branding", "label"): ("label",),
    ("favicon",): ("favicon",),
    ("cname",): ("cname",),
    ("markdown", "lineBreaks"): ("markdown", "line_breaks"),
    ("search", "placeholder"): ("search", "placeholder"),
    ("search", "maxResults"): ("search", "max_results"),
    ("search", "minChars"): ("search", "min_chars"),
    ("search", "noResultsFoundMsg"): ("search", "no_results"),
    ("search", "hotkeys"): ("search", "hotkeys"),
    ("search", "excludeCode"): ("search", "code"),
    ("links",): ("links",),
    ("footer", "copyright"): ("footer",),
    ("footer", "links"): ("footer_links",),
    ("poweredByRetype",): ("powered_by",),
    ("meta", "title"): ("meta", "title"),
    ("meta", "siteName"): ("meta", "site_name"),
    ("edit", "repo"): ("edit", "repo"),
    ("edit", "branch"): ("edit", "branch"),
    ("edit", "base"): ("edit", "path"),
    ("edit", "label"): ("edit", "label"),
    ("data",): ("data",),
    ("templating", "enabled"): ("templating", "enabled"),
    ("snippets", "lineNumbers"): ("code", "line_numbers"),
    ("backlinks",): ("backlinks",),
    ("checks",): ("checks",),  # docsite's own: how broken links and anchors are reported
    ("toc",): ("toc",),  # depth and label, the same keys
    ("nextprev",): ("nextprev",),
    ("scheme", "mode"): ("scheme", "mode"),
    ("integrations",): ("integrations",),
    ("locale",): ("locale",),
    ("labels",): ("labels",),  # the same groups and keys
    ("outbound",): ("outbound",),  # the same keys; the schema knows Retype's names
    ("serve", "host"): ("serve", "host"),
    ("serve", "port"): ("serve", "port"),
    ("serve", "watch", "polling"): ("serve", "poll"),
    ("nav",): ("nav",),  # mode, icons.mode and tags: the same keys
    ("showSidebarFilter",): ("sidebar_filter",),
    ("blog",): ("blog",),  # the same keys; the schema knows Retype's pageSize, maxResults...
    ("breadcrumb", "enabled"): ("breadcrumb", "enabled"),
    ("breadcrumb", "separator"): (
        "breadcrumb",
        "separator",
    ),  # the same keys; the schema knows Retype's maxResults
    # Retype's presentation keys (docsite/presentation.py).
    ("actions", "enabled"): ("actions", "enabled"),
    ("actions", "items"): ("actions", "items"),
    ("branding", "baseColor"): ("theme", "light", "base-color"),
    ("branding", "colors", "label", "text"): ("theme", "light", "branding-label-text"),
    ("branding", "colors", "label", "background"): ("theme", "light", "branding-label-bg"),
    ("branding", "logoWidth"): ("logo_width",),
    ("branding", "logoHeight"): ("logo_height",),
    ("branding", "logoAlign"): ("logo_align",),
    ("breadcrumb", "home"): ("breadcrumb", "home"),
    ("hub",): ("hub",),  # link, alt, target: the same keys
    ("lastUpdated", "date", "enabled"): ("last_updated", "date"),
    ("lastUpdated", "date", "source"): ("last_updated", "date_source"),
    ("lastUpdated", "by", "enabled"): ("last_updated", "by"),
    ("lastUpdated", "by", "source"): ("last_updated", "by_source"),
    ("theme", "base"): ("theme", "light"),
    ("theme", "dark"): ("theme", "dark"),
    ("search", "exclude"): ("search", "exclude"),
    ("search", "include"): ("search", "include"),
    ("templating", "loopLimit"): ("templating", "loop_limit"),
    ("templating", "namespace"): ("templating", "namespace"),
}
# Retype keys whose default differs from docsite's, and Retype's value: a project without
# them looks as Retype shows it (no "Last updated" date, the home page first in crumbs).
_RETYPE_DEFAULTS: dict[KeyPath, Any] = {
    ("last_updated", "date"): False,
    ("breadcrumb", "home"): True,
}
# Retype keys docsite reads only at one value, its own behaviour; any other value is a
# warning that says why docsite does not do it.
_ONLY_AS_DOCSITE: dict[KeyPath, tuple[Any, str]] = {
    ("search", "mode"): (
        "full",
        "docsite's search (Pagefind) indexes every page's full text, and loads only the "
        "parts of the index a search needs, so a large site stays fast",
    ),
    ("search", "preload"): (
        False,
        "Pagefind loads its index in parts, as searches need them, from the web server; a "
        "site opened from disk (file://) has no search",
    ),
    ("templating", "liquid"): (
        False,
        "docsite's templating reads Scriban's syntax; Liquid's tags are not read",
    ),
}
_LINK_KEYS = (
    "text",
    "link",
    "icon",
    "iconAlign",
    "title",
    "target",
    "description",
    "action",
    "items",
    "type",  # "separator", in a menu
)
# Retype keys that have no meaning for a static site docsite builds, and why.
_NOT_FOR_DOCSITE: dict[KeyPath, str] = {
    ("cache",): "docsite adds no cache-busting token to asset addresses",
    ("editor",): "Retype's live editor runs inside `retype start`; docsite has no editor",
    ("start",): "use `docsite serve --open` to open a browser; docsite has no Pro mode",
    ("license",): "docsite needs no license key",
    ("serve", "watch", "mode"): "`docsite serve` always serves the built site from disk",
    ("serve", "watch", "validation"): "docsite finds changed files by their content hash",
}
# Retype's defaults differ from docsite's: the pages sit beside the config (the output
# folder inside it is left out of the content), and `.retype` is its output folder.
_RETYPE_DEFAULT_INPUT = "."
_RETYPE_DEFAULT_OUTPUT = ".retype"


def translate(doc: YamlDocument, report: Report) -> YamlDocument:
    """A docsite config document made from a Retype config document, positions kept."""
    source = doc.data if isinstance(doc.data, dict) else {}
    data: dict[str, Any] = {"input": _RETYPE_DEFAULT_INPUT}
    name = PurePosixPath(doc.file).name
    positions: dict[KeyPath, Position] = {(): doc.where(())}
    key_positions: dict[KeyPath, Position] = {}
    left_out: list[KeyPath] = []
    for path, value in _leaves(source):
        target = _target(path)
        if path in _NOT_FOR_DOCSITE:
            left_out.append(path)
            continue
        if path in _ONLY_AS_DOCSITE:
            _only_as_docsite(path, value, doc, report, name)
            continue
        if target is None:
            pos = doc.where_key(path)
            report.warning(
                pos.file or doc.file,
                pos.line,
                pos.col,
                f"{_file_name(pos, doc)} key '{'.'.join(map(str, path))}' is not supported "
                "by docsite and is ignored",
                "see the configuration page of the docs for the keys docsite reads",
            )
            continue
        value = _value(path, target, value, doc, report, name)
        if value is _SKIP:
            continue
        _put(data, target, value)
        for prefix in range(1, len(target) + 1):
            positions.setdefault(target[:prefix], doc.where(path))
        _copy_positions(doc, path, target, positions, key_positions)
    _left_out(left_out, doc, report, name)
    for path, default in _RETYPE_DEFAULTS.items():
        _put(data, path, default, keep=True)
    if "edit" in data:
        # Retype's edit paths start at the content folder, docsite's at the repository, and
        # its links open the file's page (/blob/) rather than the editor.
        data["edit"].setdefault("path", "")
        data["edit"].setdefault("view", "blob")
    return YamlDocument(data, doc.file, value_positions=positions, key_positions=key_positions)


_SKIP: Any = object()  # a value that leaves docsite's default as it is


def _value(
    path: KeyPath, target: KeyPath, value: Any, doc: YamlDocument, report: Report, name: str
) -> Any:
    """A Retype value as docsite's key wants it; _SKIP when it is docsite's default."""
    if target in (("links",), ("footer_links",), ("actions", "items")):
        value = _links(value, path, doc, report, name)
    if path == ("search", "excludeCode") and isinstance(value, bool):
        value = not value  # docsite's key says what is indexed
    if target == ("serve", "poll") and not isinstance(value, bool):
        value = bool(value)  # Retype's polling interval: docsite polls at its own pace
    if target == ("cname",) and value is False:
        return _SKIP  # Retype's "no CNAME file", docsite's default
    if target in (("favicon",), ("logo",), ("logo_dark",)) and isinstance(value, str):
        value = value.removeprefix("./")
    if target == ("footer",) and isinstance(value, str):
        value = value.replace("{{ year }}", str(dt.date.today().year))
    if target == ("output",) and value == _RETYPE_DEFAULT_OUTPUT:
        return _SKIP
    if value is None and target[0] in ("logo_align", "logo_width", "logo_height", "theme"):
        return _SKIP  # left empty, as Retype's sample configs do (`logoAlign: #right`)
    return value


def _put(data: dict[str, Any], target: KeyPath, value: Any, keep: bool = False) -> None:
    """Sets `target` in the docsite config; `keep`: not over a value already there. Two
    mappings meet (`theme.base` after `branding.baseColor`): their keys are merged."""
    node = data
    for key in target[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            return  # a wrong type, which the schema reports
    last = target[-1]
    if keep and last in node:
        return
    if isinstance(node.get(last), dict) and isinstance(value, dict):
        value = {**node[last], **value}
    node[last] = value


def _left_out(paths: list[KeyPath], doc: YamlDocument, report: Report, name: str) -> None:
    """One warning for every key that means nothing for a site docsite builds, at the first."""
    if not paths:
        return
    pos = doc.where_key(paths[0])
    listed = "; ".join(f"'{'.'.join(map(str, p))}' ({_NOT_FOR_DOCSITE[p]})" for p in paths)
    what = "key is left out, as it means" if len(paths) == 1 else "keys are left out, as they mean"
    report.warning(
        pos.file or doc.file,
        pos.line,
        pos.col,
        f"{name} {what} nothing for a site docsite builds: {listed}",
        "remove them when this project is built with docsite only",
    )


def _only_as_docsite(
    path: KeyPath, value: Any, doc: YamlDocument, report: Report, name: str
) -> None:
    """A key docsite reads only at its own behaviour: silent at that value, else why not."""
    if _as_docsite_does(path, value):
        return
    same, reason = _ONLY_AS_DOCSITE[path]
    pos = doc.where(path)
    report.warning(
        pos.file or doc.file,
        pos.line,
        pos.col,
        f"{name} key '{'.'.join(map(str, path))}' asks for {value!r}, which docsite does not "
        f"do: {reason}",
        f"remove it, or write {'.'.join(map(str, path))}: {str(same).lower()}",
    )


def _as_docsite_does(path: KeyPath, value: Any) -> bool:
    """Whether a key docsite reads only at its own behaviour asks for that behaviour."""
    same = _ONLY_AS_DOCSITE[path][0]
    return value == same or (isinstance(value, str) and value.strip().lower() == same)


NOT_SUPPORTED = "not supported by docsite yet"


def classify_keys(doc: YamlDocument) -> list[tuple[str, str]]:
    """Each key the Retype config uses, dotted, with why docsite leaves it out: "" when
    docsite honours it, the reason when it has no meaning for docsite, NOT_SUPPORTED else."""
    source = doc.data if isinstance(doc.data, dict) else {}
    return [
        (".".join(map(str, path)), _why_left_out(path, value)) for path, value in _leaves(source)
    ]


def _why_left_out(path: KeyPath, value: Any) -> str:
    if path[:1] == ("extends",):
        return ""  # merged before translating (docsite.retype_partials)
    if path in _NOT_FOR_DOCSITE:
        return _NOT_FOR_DOCSITE[path]
    if path in _ONLY_AS_DOCSITE:
        return "" if _as_docsite_does(path, value) else _ONLY_AS_DOCSITE[path][1]
    return "" if _target(path) is not None else NOT_SUPPORTED


def _file_name(pos: Position, doc: YamlDocument) -> str:
    """The name of the file a key is in: retype.yml, or one of its partials."""
    return PurePosixPath(pos.file or doc.file).name


def _copy_positions(
    doc: YamlDocument,
    path: KeyPath,
    target: KeyPath,
    positions: dict[KeyPath, Position],
    key_positions: dict[KeyPath, Position],
) -> None:
    """The positions of what a value holds, under its docsite path: a message about a key
    inside `labels` or `toc` points at that key, not at its group."""
    for source, found in ((doc.value_positions, positions), (doc.key_positions, key_positions)):
        for inner, pos in source.items():
            if inner[: len(path)] == path:
                found.setdefault((*target, *inner[len(path) :]), pos)


def _leaves(data: dict, prefix: KeyPath = ()) -> list[tuple[KeyPath, Any]]:
    """Key paths down to the level the mapping names (links stay whole)."""
    found: list[tuple[KeyPath, Any]] = []
    for key, value in data.items():
        path = (*prefix, str(key))
        if (
            isinstance(value, dict)
            and path not in _MAPPING
            and any(m[: len(path)] == path for m in _MAPPING)
        ):
            found.extend(_leaves(value, path))
        else:
            found.append((path, value))
    return found


def _target(path: KeyPath) -> KeyPath | None:
    return _MAPPING.get(path)


def _links(value: Any, path: KeyPath, doc: YamlDocument, report: Report, name: str) -> Any:
    if not isinstance(value, list):
        return value  # the schema reports the wrong type
    links = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            links.append(item)
            continue
        if isinstance(item.get("items"), list):
            item = {
                **item,
                "items": _links(item["items"], (*path, index, "items"), doc, report, name),
            }
        for key in item:
            if key not in _LINK_KEYS:
                pos = doc.where_key((*path, index, key))
                report.warning(
                    pos.file or doc.file,
                    pos.line,
                    pos.col,
                    f"{name} link key '{key}' is not supported by docsite and is ignored",
                    "docsite's links have " + ", ".join(_LINK_KEYS),
                )
        links.append({k: v for k, v in item.items() if k in _LINK_KEYS})
    return links
