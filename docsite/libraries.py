"""The installed versions of the libraries whose code shapes what a build writes.

A page kept from the last build was made by docsite's code and by these libraries': after
`pip install -U markdown-it-py` (or Jinja2, Pygments...) it may no longer be what a build
writes. So their versions are part of the build cache's version (cache.CACHE_VERSION), and
the no-change stamp names the folders that carry them (an upgrade removes the old one).

The versions are read from the names of the `.dist-info` folders an installer makes
(`markdown_it_py-4.3.0.dist-info`), or the `.egg-info` ones of older installers and of
Debian's packages (`Jinja2-3.1.2.egg-info`): one listing of each folder the libraries are
imported from, without importing them or importlib.metadata (tens of milliseconds).
"""

from __future__ import annotations

import functools
import importlib.util
import os

# Distribution (normalised name) -> the module it installs, for each library whose version
# can change a page, an asset or the search index: the Markdown parser and its plugins and
# URL handling, the templates and their escaping, highlighting, YAML and frontmatter, icons,
# emoji, math, dates' names, path patterns, the minifiers and Pagefind.
OUTPUT_LIBRARIES = {
    "babel": "babel",
    "emoji": "emoji",
    "jinja2": "jinja2",
    "latex2mathml": "latex2mathml",
    "markdown_it_py": "markdown_it",
    "markupsafe": "markupsafe",
    "mdit_py_plugins": "mdit_py_plugins",
    "mdurl": "mdurl",
    "octicons_pack": "octicons_pack",
    "pagefind": "pagefind",
    "pathspec": "pathspec",
    "pygments": "pygments",
    "python_frontmatter": "frontmatter",
    "pyyaml": "yaml",
    "rcssmin": "rcssmin",
    "rjsmin": "rjsmin",
}
INSTALL_FOLDERS = (".dist-info", ".egg-info")


@functools.cache  # once per process: the cache's version and the stamp name the same folders
def installed_libraries() -> dict[str, tuple[str, str]]:
    """Each library of OUTPUT_LIBRARIES found installed with one `.dist-info` or `.egg-info`
    folder: its normalised name -> (version, path of that folder). A library installed
    otherwise (from a source checkout), or with two such folders left side by side, is left
    out: its version is unknown here. Most installs put them all in one folder: it is found
    and listed once."""
    found: dict[str, tuple[str, str]] = {}
    listed: set[str] = set()
    for distribution, module in OUTPUT_LIBRARIES.items():
        folder = "" if distribution in found else _folder_of(module)
        if folder and folder not in listed:
            listed.add(folder)
            installs = install_folders(folder)
            found.update((name, installs[name]) for name in OUTPUT_LIBRARIES if name in installs)
    return found


def installed_version(distribution: str, module: str) -> str | None:
    """The version of one library (its normalised distribution name, the module it
    installs), from its install folder beside the module; None when there is not one."""
    folder = _folder_of(module)
    found = install_folders(folder).get(distribution) if folder else None
    return found[0] if found is not None else None


def install_folders(folder: str) -> dict[str, tuple[str, str]]:
    """The installs an installer recorded in `folder`: normalised distribution name ->
    (version, path of its install folder), for names with one such folder."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return {}
    seen: dict[str, list[tuple[str, str]]] = {}
    for name in names:
        suffix = next((end for end in INSTALL_FOLDERS if name.endswith(end)), "")
        if not suffix:
            continue
        distribution, _, version = name[: -len(suffix)].partition("-")
        version = version.partition("-py")[0]  # an egg's "1.0-py3.11": the Python it is for
        key = distribution.lower().replace("-", "_").replace(".", "_")
        seen.setdefault(key, []).append((version, os.path.join(folder, name)))
    return {key: installs[0] for key, installs in seen.items() if len(installs) == 1}


def library_versions() -> str:
    """`name-version` of each library found, sorted, for the cache's version."""
    return ",".join(
        f"{name}-{version}" for name, (version, _) in sorted(installed_libraries().items())
    )


def _folder_of(module: str) -> str:
    """The folder a top-level module is imported from ('' when it is not installed): its
    installer's folder is beside it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return ""
    if spec is None or spec.origin is None or not os.path.isabs(spec.origin):
        return ""
    place = os.path.dirname(spec.origin)
    return os.path.dirname(place) if spec.submodule_search_locations is not None else place
