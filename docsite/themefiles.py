"""Where the theme's files are: the site's own templates/ and static/ (in a docsite project),
then the default theme."""

from __future__ import annotations

from pathlib import Path

from docsite.config import SiteConfig
from docsite.minify import minified, minifies

PACKAGE_DIR = Path(__file__).resolve().parent


def default_theme_dir() -> Path:
    """The theme shipped in a wheel, or the repository's own when run from a checkout."""
    bundled = PACKAGE_DIR / "_theme"
    return bundled if bundled.is_dir() else PACKAGE_DIR.parent


def template_dirs(config: SiteConfig) -> list[Path]:
    """Where templates are looked up: the site's own folder first, then the theme's."""
    found: list[Path] = []
    for folder in (*_own(config, "templates"), default_theme_dir() / "templates"):
        if folder.is_dir() and folder.resolve() not in found:
            found.append(folder.resolve())
    return found


def static_dirs(config: SiteConfig) -> list[Path]:
    """Static folders in copy order: the theme's first, so the site's files win."""
    found: list[Path] = []
    for folder in (default_theme_dir() / "static", *_own(config, "static")):
        if folder.is_dir() and folder.resolve() not in found:
            found.append(folder.resolve())
    return found


def _own(config: SiteConfig, name: str) -> list[Path]:
    """The project's own theme folder of that name: none in a Retype project, where a
    `static/` or `templates/` folder is content, published as it is."""
    return [] if config.from_retype else [config.root / name]


def theme_static_dir() -> Path:
    return (default_theme_dir() / "static").resolve()


def published_minified(path: Path) -> bool:
    """Whether the static file at `path` is published minified: the theme's own stylesheets
    and scripts are; a project's files are published as they are written."""
    return minifies(path.name) and path.resolve().is_relative_to(theme_static_dir())


def as_published(path: Path, data: bytes) -> bytes:
    """The bytes the site gets for the static file at `path`, which holds `data`."""
    return minified(path.name, data) if published_minified(path) else data
