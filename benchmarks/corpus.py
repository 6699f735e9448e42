"""A deterministic generator of realistic Retype-style docs corpora, for the benchmark."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

ICONS = ("rocket", "book", "gear", "code", "terminal", "rss", "tag", "file", "link", "tools")
BADGES = ("NEW|info", "BETA|warning", "v2|success", "DEPRECATED|danger")
TAGS = ("api", "guide", "reference", "howto", "setup", "ops", "security")
_WORD_TEXT = (
    "request response server client token cache header payload endpoint timeout retry "
    "deploy build config module render page site theme search index query schema field "
    "value option default error warning status version release upgrade migrate backup"
)
WORDS = tuple(_WORD_TEXT.split())
LANGUAGES = (
    ("python", 'def handler(event):\n    return {"status": 200}\n'),
    ("bash", "curl -s https://api.example.com/v1/items | jq .\n"),
    ("json", '{\n  "id": 42,\n  "name": "example"\n}\n'),
    ("yaml", "server:\n  port: 8080\n  workers: 4\n"),
)


@dataclass(frozen=True)
class Corpus:
    root: Path
    pages: list[str]  # content-relative paths, in creation order

    @property
    def content(self) -> Path:
        return self.root / "content"


# In a vocabulary's list to draw from, the commonest word is this many times; the rare ones
# (rank past it) once each.
COMMONEST_DRAWS = 4000


def vocabulary(size: int, seed: int = 2026) -> tuple[str, ...]:
    """`size` made-up words to draw the text from, spread as a real site's are (Zipf-like:
    the word of rank r is drawn about 1/r as often as the first, so a few are on every page
    and most on a few). A real site's search index holds tens of thousands of words; the 35
    of WORDS make an index of a few thousand, most of them numbers, which is much cheaper to
    build and to patch."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    made: dict[str, None] = {}
    while len(made) < size:
        made["".join(rng.choice(letters) for _ in range(rng.randint(3, 10)))] = None
    ranked = list(made)
    top = COMMONEST_DRAWS
    return tuple(word for rank, word in enumerate(ranked, 1) for _ in range(max(1, top // rank)))


def _sentence(rng: random.Random, length: int, words: tuple[str, ...]) -> str:
    chosen = [rng.choice(words) for _ in range(length)]
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."


def _paragraph(rng: random.Random, words: tuple[str, ...]) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16), words) for _ in range(rng.randint(2, 4)))


def _layout(count: int, rng: random.Random) -> list[str]:
    """Page paths in a tree like a real docs site: folders of 10 to 30 pages, grouped ten to
    a level, so the top level stays short however many pages there are."""
    leaves: list[list[str]] = []
    total = 1
    while total < count:
        size = rng.randint(10, 30)
        leaves.append([f"page-{n:02d}.md" for n in range(size)])
        total += size + 1
    depth = 1
    while 10**depth < len(leaves):
        depth += 1
    paths: list[str] = []
    made: set[str] = set()
    names = ("area", "group", "topic", "part", "unit")
    for index, pages in enumerate(leaves):
        digits = f"{index:0{depth}d}"
        parts = [f"{names[level]}-{digit}" for level, digit in enumerate(digits)]
        for level in range(1, depth + 1):
            folder = "/".join(parts[:level])
            if folder not in made:
                made.add(folder)
                paths.append(f"{folder}/index.md")
        paths.extend(f"{'/'.join(parts)}/{page}" for page in pages)
    return ["index.md", *paths[: count - 1]]


def _relative(from_rel: str, to_rel: str) -> str:
    import posixpath

    return posixpath.relpath(to_rel, posixpath.dirname(from_rel) or ".")


def _page(
    rel: str, index: int, all_pages: list[str], rng: random.Random, words: tuple[str, ...]
) -> str:
    title = f"{rng.choice(words).capitalize()} {rng.choice(words)} {index}"
    front = [
        f"order: {rng.randint(-5, 200)}" if rng.random() < 0.7 else None,
        f"icon: {rng.choice(ICONS)}" if rng.random() < 0.6 else None,
        f"nav:\n  badge: {rng.choice(BADGES)}" if rng.random() < 0.1 else None,
        f"tags: [{', '.join(rng.sample(TAGS, 2))}]" if rng.random() < 0.5 else None,
        f"permalink: /p/{index}" if rng.random() < 0.05 else None,
        f"description: {_sentence(rng, 10, words)}",
    ]
    lines = ["---", *[f for f in front if f], "---", f"# {title}", "", _paragraph(rng, words), ""]
    for section in range(rng.randint(2, 4)):
        heading = f"## {rng.choice(words).capitalize()} {section}"
        lines += [heading, "", _paragraph(rng, words), ""]
        kind = rng.randrange(4)
        if kind == 0:
            lines += [f"- {_sentence(rng, 6, words)}" for _ in range(rng.randint(3, 5))] + [""]
        elif kind == 1:
            lines += ["| Name | Value | Notes |", "| --- | --- | --- |"]
            lines += [
                f"| {rng.choice(words)} | {rng.randint(1, 999)} | {_sentence(rng, 4, words)} |"
                for _ in range(rng.randint(3, 6))
            ] + [""]
        elif kind == 2:
            language, code = rng.choice(LANGUAGES)
            lines += [f"```{language}", code.rstrip("\n"), "```", ""]
        else:
            details = f"### {rng.choice(words).capitalize()} details"
            lines += [details, "", _paragraph(rng, words), ""]
        target = rng.choice(all_pages)
        if target != rel:
            lines += [f"See [{rng.choice(words)}]({_relative(rel, target)}) for more.", ""]
    return "\n".join(lines) + "\n"


def generate(
    root: Path,
    count: int,
    seed: int = 2026,
    search: bool = True,
    words: tuple[str, ...] = WORDS,
) -> Corpus:
    """Write `count` pages under root/content, their text drawn from `words`; the same
    arguments give the same bytes."""
    rng = random.Random(seed)
    pages = _layout(count, rng)
    content = root / "content"
    for index, rel in enumerate(pages):
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel == "index.md":
            text = (
                "---\nlabel: Home\nicon: home\n---\n# Benchmark docs\n\n"
                + _paragraph(rng, words)
                + "\n"
            )
        else:
            text = _page(rel, index, pages, rng, words)
        path.write_text(text, encoding="utf-8")
    config = "title: Benchmark docs\n" + ("" if search else "search:\n  enabled: false\n")
    (root / "docsite.yml").write_text(config, encoding="utf-8")
    write_mkdocs_config(root)
    return Corpus(root, pages)


# Where Zensical writes the corpus's site: inside the project, as it requires.
BASELINE_SITE = "zensical-site"
# The icons the pages name, for Material's theme (see write_mkdocs_config).
OVERRIDES = "mkdocs-overrides"
EMPTY_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"></svg>\n'


def write_mkdocs_config(root: Path) -> Path:
    """mkdocs.yml of a Material for MkDocs project with the same pages, as Zensical reads it
    (MkDocs itself builds them with its default theme: benchmarks/runner.py). Zensical wants
    its folders inside the project, and Material shows a page's `icon:` as one of its own
    icons, failing on a name it lacks: the corpus's Retype names get blank icons of their own
    in the theme's custom_dir."""
    icons = root / OVERRIDES / ".icons"
    icons.mkdir(parents=True, exist_ok=True)
    for name in (*ICONS, "home"):
        (icons / f"{name}.svg").write_text(EMPTY_ICON, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        f"site_name: Benchmark\ndocs_dir: content\nsite_dir: {BASELINE_SITE}\n"
        f"use_directory_urls: true\ntheme:\n  name: material\n  custom_dir: {OVERRIDES}\n",
        encoding="utf-8",
    )
    return config
