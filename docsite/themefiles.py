"""Where the theme's files are: the site's own templates/ and static/ (in a docsite project),
then the default theme."""

from __future__ import annotations

from pathlib import Path

from docsite.config import SiteConfig

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
