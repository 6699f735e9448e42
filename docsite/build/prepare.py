"""The loaded site, checked before anything is written: output names, icons, header links,
the site-wide includes; and the theme, complete once made."""

from __future__ import annotations

import multiprocessing
import posixpath
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from markupsafe import Markup

from docsite.actions import ActionSet, load_actions
from docsite.blog import Blog, make_blog
from docsite.cache import BuildCache, FileEntry
from docsite.config import HeaderLink, SiteConfig, tidy_separators
from docsite.diagnostics import DiagnosticError, Report, did_you_mean, naming_hint
from docsite.forking import start_aside
from docsite.frontmatter import Located
from docsite.gitdates import PageDates, read_dates
from docsite.icons import (
    ICON_HINT,
    SVG_HINT,
    IconSet,
    icon_pack_roots,
    is_image_icon,
    is_inline_svg,
    svg_problem,
)
from docsite.keys import inputs_by_kind, site_nonce
from docsite.markdown.components.actions import BUILT_IN
from docsite.markdown.links import find_file, find_page, page_in_other_case
from docsite.markdown.templating import SiteHtml, TemplateSetup, project_variables
from docsite.markdown.templating.variables import action_page_values
from docsite.nav import NavTree
from docsite.navpatch import NavMemo, NavParams
from docsite.pages import SiteContent
from docsite.theme import ROOT_MARK, Theme, compile_templates, template_environment
from docsite.themefiles import default_theme_dir
from docsite.urls import EXTERNAL_URL


@dataclass(frozen=True)
class Chrome:
    """What a read site shows around its pages."""

    nav: NavTree
    dates: PageDates
    theme: Theme
    # The project files the site-wide includes read, with the hashes of what they read.
    site_html_files: dict[str, str]


def make_chrome(
    config: SiteConfig,
    site: SiteContent,
    cache: BuildCache,
    report: Report,
    files: dict[str, FileEntry],
    use_cache: bool,
    nav_memo: NavMemo | None = None,
    changed: Collection[str] | None = None,
    dates: PageDates | None = None,
) -> Chrome:
    """The sidebar, the pages' dates and the theme of a read site: the same for a build and
    for watch mode's preview of the open pages. `files`: the inputs, for the nonce;
    `nav_memo`: the last sidebar, patched when that is enough (watch mode's); `changed`:
    the only pages changed since a build without errors (None: anything may have);
    `dates`: git's dates as read already (else git is asked)."""
    blog = make_blog(site, config)
    # A blog without a page of its own: the sidebar links to its generated one.
    generated = (blog.title, blog.url) if blog and blog.index is None else None
    params = NavParams(
        config.nextprev, config.nav_mode, config.nav_icons, config.nav_tags, generated
    )
    nav = (nav_memo or NavMemo()).build(site, params)
    if dates is None:
        dates = read_dates(config.content_dir, config.root if use_cache else None)
    theme, site_html_files = make_theme(config, site, nav, dates, cache, report, blog, changed)
    if theme.site_html is not None:
        theme.site_html.setup.variables["nonce"] = site_nonce(site, files, inputs_by_kind(files))
    return Chrome(nav, dates, theme, site_html_files)


def make_theme(
    config: SiteConfig,
    site: SiteContent,
    nav: NavTree,
    dates: PageDates,
    cache: BuildCache,
    report: Report,
    blog: Blog | None = None,
    changed: Collection[str] | None = None,
) -> tuple[Theme, dict[str, str]]:
    """The theme with everything it shows around pages, checked (of the pages, those
    `changed` alone, when given); and the project files the site-wide includes read, with
    the hashes of what they read."""
    icons = IconSet(
        custom_dirs=icon_dirs(config),
        pack_roots=icon_pack_roots(config.root, config.content_dir),
        asset_paths=frozenset(asset.rel for asset in site.assets),
        urls=config.urls,
    )
    check_icons(site, config, icons, report, changed)
    site_html, site_html_files = load_site_html(config, site, nav, report, dates.committed)
    actions = ActionSet(
        load_actions(config.content_dir, config.root, report),
        project_variables(config),
        partial(action_page_values, config.url),
    )
    check_actions(actions, site, report)
    theme = Theme(
        config,
        nav,
        icons,
        resolve_links(config.links, site, config, report, actions),
        resolve_links(config.footer_links, site, config, report, actions),
        site_html,
        *_footer_dates(config, dates),
        cache.templates_dir(),
        blog,
        hub_link=resolve_hub(config, site, report),
        actions=actions,
        action_menu=action_menu(config, actions, report),
    )
    return theme, site_html_files


def compile_templates_aside(
    config: SiteConfig, cache: BuildCache
) -> multiprocessing.process.BaseProcess | None:
    """Start compiling the theme's templates in a process of their own, into the cache's
    folder of compiled templates, where the theme finds them: a fresh build compiles them
    (about 0.1 s) on a core that is idle while this process reads the pages. None when they
    are compiled already (the folder holds Jinja's files: the code's stylesheet is kept
    there too), or there is no cache to hand them over in, or no fork."""
    folder = cache.templates_dir()
    if folder is None or any(folder.glob("__jinja2_*")):
        return None
    return start_aside(_compile_into, (config, folder), "docsite-templates")


def _compile_into(config: SiteConfig, folder: Path) -> None:
    compile_templates(template_environment(config, folder))


def _footer_dates(config: SiteConfig, dates: PageDates) -> tuple[dict[str, str], dict[str, str]]:
    """Each page's "Last updated" date and name from git, as `last_updated` asks."""
    shown = config.last_updated
    return dates.shown(shown.date, shown.date_source, shown.by, shown.by_source)


def check_output_names(site: SiteContent, report: Report) -> bool:
    """Every file name a page is written under fits in a file system's 255 bytes; a longer
    one is an error at its permalink (or at the file), before anything is written."""
    fits = True
    for page in site.pages:
        for path in (page.output_path, page.markdown_path):
            if len(path) * 4 <= NAME_MAX or len(path.encode("utf-8")) <= NAME_MAX:
                continue  # no name in it can be longer than the whole (4 bytes a character)
            longest = max(path.split("/"), key=lambda name: len(name.encode("utf-8")))
            size = len(longest.encode("utf-8"))
            if size <= NAME_MAX:
                continue
            fits = False
            if page.settings.permalink:
                where = page.settings.where("permalink", page.source.shown)
                place, what = (where.file, where.line, where.col), "its permalink"
            else:
                place, what = (page.source.shown, 0, 0), "its file name"
            report.error(
                *place,
                f"{what} makes a file name of {size} bytes ('{longest[:40]}...'); "
                f"file systems allow at most {NAME_MAX}",
                "shorten it",
            )
            break
    return fits


# The longest file name most file systems allow, in bytes.
NAME_MAX = 255


def check_icons(
    site: SiteContent,
    config: SiteConfig,
    icons: IconSet,
    report: Report,
    changed: Collection[str] | None = None,
) -> None:
    """Every icon named in settings must exist; a typo is a warning with suggestions, a missing
    image or an inline SVG that could run script an error. Each value is checked once per
    folder it is named from: thousands of pages name the same few icons. `changed`: only
    these pages changed since a build that checked the others with the same icons (the
    folders and the config's links are few: they are always checked)."""
    known: dict[tuple[str, str], list[_IconProblem]] = {}
    pages = site.pages
    if changed is not None:
        pages = [site.by_source[rel] for rel in sorted(changed) if rel in site.by_source]
    for page in pages:
        if page.settings.icon:
            problems = _icon_problems(page.settings.icon, page.folder, icons, known)
            if problems:
                _say(problems, page.settings.where("icon", page.source.shown), report)
    for folder in site.folders.values():
        if folder.index is None and folder.settings.icon:
            problems = _icon_problems(folder.settings.icon, folder.rel, icons, known)
            if problems:
                _say(problems, folder.settings.where("icon", folder.settings_file), report)
    for link in config.links:
        if link.icon:
            problems = _icon_problems(link.icon, "", icons, known)
            _say(problems, Located(config.file, 0, 0), report)


@dataclass(frozen=True)
class _IconProblem:
    """Why an icon cannot be shown, as an error or a warning."""

    error: bool  # else a warning
    message: str
    hint: str


def _say(problems: list[_IconProblem], where: Located, report: Report) -> None:
    for problem in problems:
        say = report.error if problem.error else report.warning
        say(where.file, where.line, where.col, problem.message, problem.hint)


def _icon_problems(
    value: str, base_dir: str, icons: IconSet, known: dict[tuple[str, str], list[_IconProblem]]
) -> list[_IconProblem]:
    """What is wrong with an icon value named from a folder, remembered in `known`: an
    icon name or an inline SVG is the same from every folder, an image path is not."""
    key = (value, base_dir if is_image_icon(value) else "")
    found = known.get(key)
    if found is not None:
        return found
    problems = []
    if is_inline_svg(value):
        problem = svg_problem(value)
        if problem:
            message = f"the icon's inline SVG {problem}; it is not shown"
            problems.append(_IconProblem(True, message, SVG_HINT))
    elif is_image_icon(value):
        image = icons.image_problem(value, base_dir)
        if image is not None:
            problems.append(_IconProblem(True, *image))
    elif icons.resolve(value) is None:
        hint = naming_hint(icons.suggestions(value)) or ICON_HINT
        problems.append(_IconProblem(False, f"unknown icon '{value}'", hint))
    known[key] = problems
    return problems


def resolve_links(
    links: tuple[HeaderLink, ...],
    site: SiteContent,
    config: SiteConfig,
    report: Report,
    actions: ActionSet | None = None,
) -> list[HeaderLink]:
    """Header or footer links, menus' items too: links to pages (.md or site paths) become
    root-relative, others stay as written; an action docsite does not have is said."""
    actions = actions if actions is not None else ActionSet({}, {})
    return [_resolved(link, site, config, report, actions) for link in links]


def _known_action(link: HeaderLink, actions: ActionSet, report: Report, outcome: str) -> bool:
    """Whether the link's action (if any) is built in or the project's own; a warning, at
    the action, when it is neither."""
    if not link.action or link.action in BUILT_IN or link.action in actions:
        return True
    file, line, col = link.action_at
    report.warning(
        file,
        line,
        col,
        f"'{link.text}' runs the action '{link.action}', which is neither built in nor "
        f"defined in _components/actions/; {outcome}",
        did_you_mean(link.action, [*BUILT_IN, *actions.definitions])
        or "built-in actions: " + ", ".join(BUILT_IN),
    )
    return False


def action_menu(config: SiteConfig, actions: ActionSet, report: Report) -> tuple[HeaderLink, ...]:
    """The page action menu's items (`actions.items`); one running an action that is neither
    built in nor the project's own is left out with a warning."""
    kept = [
        item
        for item in config.actions.items
        if _known_action(item, actions, report, "the menu item is left out")
    ]
    return tidy_separators(kept)


def check_actions(actions: ActionSet, site: SiteContent, report: Report) -> None:
    """Each custom action run once, for the first page: a template that fails is an error
    here, once, rather than on every page that shows the action."""
    if not site.pages:
        return
    for name in actions.definitions:
        try:
            actions.for_page(name, site.pages[0])
        except DiagnosticError as error:
            report.extend(error.diagnostics)


def resolve_hub(config: SiteConfig, site: SiteContent, report: Report) -> str:
    """The hub's address: a page (.md) as a link to it; a path from the domain's root
    ('/') or a full URL as written, since the hub leads away from these docs; any other
    path from the site's root."""
    link = config.hub.link
    if not link or EXTERNAL_URL.match(link) or (link.startswith("/") and ".md" not in link):
        return link
    return _resolved(HeaderLink(config.hub.alt, link), site, config, report, ActionSet({}, {})).link


def _resolved(
    link: HeaderLink, site: SiteContent, config: SiteConfig, report: Report, actions: ActionSet
) -> HeaderLink:
    target = link.link
    if target and not EXTERNAL_URL.match(target) and not target.startswith("#"):
        path = target.lstrip("/")
        rel = posixpath.normpath(path.partition("#")[0])
        page = (
            find_page(site, rel, True) or page_in_other_case(rel, site)
            if path.endswith(".md") or ".md#" in path
            else None
        )
        if page is not None:
            fragment = "#" + path.partition("#")[2] if "#" in path else ""
            target = Markup(ROOT_MARK) + page.url + fragment
        elif path.endswith(".md"):
            report.error(
                config.file,
                0,
                0,
                f"link '{link.link}' points to a page that does not exist",
                "links to pages are written relative to the content folder, e.g. guide/setup.md",
            )
        else:
            target = Markup(ROOT_MARK) + _published_path(path, site, config)
    action = link.action if _known_action(link, actions, report, "it is shown without one") else ""
    items = tuple(_resolved(item, site, config, report, actions) for item in link.items)
    return replace(link, link=target, action=action, items=items)


def _published_path(path: str, site: SiteContent, config: SiteConfig) -> str:
    """A site path a link names: a file of the content folder where it is published (in
    lower case when files are recased), any other path as written."""
    rel, hash_mark, fragment = path.partition("#")
    assets = frozenset(asset.rel for asset in site.assets)
    found = find_file(posixpath.normpath(rel), assets) if rel else None
    return path if found is None else config.urls.file_path(found) + hash_mark + fragment


def load_site_html(
    config: SiteConfig,
    site: SiteContent,
    nav: NavTree,
    report: Report,
    committed: dict[str, str] | None = None,
) -> tuple[SiteHtml, dict[str, str]]:
    """The site-wide HTML includes, checked once (they are the same on every page), and the
    project files they read (path -> hash of what was read). `committed`: each page's last
    commit date, for templates."""
    setup = TemplateSetup.for_site(config.root, config.content_dir, config, site, nav)
    setup.committed = committed or {}
    site_html = SiteHtml(setup)
    problems, read = site_html.load()
    report.extend(problems)
    if site.pages and not problems:
        problems, included = site_html.check(site.pages[0])
        report.extend(problems)
        read = {**read, **included}
    return site_html, dict(sorted(read.items()))


def icon_dirs(config: SiteConfig) -> list[Path]:
    dirs = [config.root / "static" / "icons", default_theme_dir() / "static" / "icons"]
    return [d for d in dict.fromkeys(d.resolve() for d in dirs) if d.is_dir()]
