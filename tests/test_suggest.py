"""'Did you mean': the closest known name, found without comparing a mistake with every
name of a large site."""

import difflib
import random
from pathlib import Path

import pytest

from docsite import suggest
from docsite.build import BuildOptions, build_site
from docsite.icons import IconSet
from docsite.suggest import ClosePaths, CloseWords


def _names(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    syllables = ["con", "fig", "set", "up", "in", "stall", "guide", "api", "ref", "log", "de"]
    names = set()
    while len(names) < count:
        names.add("-".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) + ".md")
    return sorted(names)


def _typo(word: str, rng: random.Random) -> str:
    at = rng.randrange(len(word) - 3)
    return word[:at] + rng.choice("aeioxz") + word[at + 1 :]


@pytest.fixture
def counted_ratios(monkeypatch) -> list[int]:
    """How many times difflib asks how alike two strings are (get_close_matches asks twice
    for each string close enough)."""
    calls = [0]
    ratio = difflib.SequenceMatcher.ratio

    def counting(self):
        calls[0] += 1
        return ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counting)
    return calls


def test_a_short_list_gives_difflibs_answers():
    words = _names(150, seed=1)
    rng = random.Random(2)
    for word in rng.sample(words, 30):
        typo = _typo(word, rng)
        expected = difflib.get_close_matches(typo, words, n=3, cutoff=0.6)
        assert CloseWords(words).closest(typo, 3) == expected


def test_a_long_list_finds_a_word_as_close_as_difflibs_best(counted_ratios):
    words = _names(4000, seed=3)
    close = CloseWords(words)
    rng = random.Random(4)
    typos = [_typo(word, rng) for word in rng.sample(words, 60)]
    counted_ratios[0] = 0
    answers = [close.closest(typo) for typo in typos]
    compared = counted_ratios[0]
    for typo, answer in zip(typos, answers, strict=True):
        best = difflib.get_close_matches(typo, words, n=1, cutoff=0.6)
        assert answer and best, typo
        ratio = difflib.SequenceMatcher(None, typo, answer[0]).ratio()
        assert ratio == difflib.SequenceMatcher(None, typo, best[0]).ratio(), typo
    # Each mistake is compared in full with the shortlist at most, not with 4,000 words.
    assert compared <= len(typos) * 2 * suggest.SHORTLIST


def test_a_mistake_asked_again_is_answered_from_memory(counted_ratios):
    close = CloseWords(_names(1000, seed=5))
    first = close.closest("setp-guide.md")
    compared = counted_ratios[0]
    assert close.closest("setp-guide.md") == first
    assert counted_ratios[0] == compared


def test_nothing_close_is_no_answer():
    assert CloseWords(_names(1000, seed=6)).closest("zzzzqqqq.txt") == []
    assert ClosePaths(["guide/setup.md", "index.md"]).closest("qqq/zzzzzz.md") is None


def test_a_path_is_first_looked_for_in_its_own_folder():
    paths = ["guide/setup.md", "guide/index.md", "other/setpu.md", "setup.md"]
    assert ClosePaths(paths).closest("guide/setpu.md") == "guide/setup.md"


def test_a_moved_page_is_found_by_its_name_in_the_closest_folder():
    paths = [f"area-{a}/group-{g}/install.md" for a in range(30) for g in range(10)]
    paths += [
        f"area-{a}/group-{g}/page-{p}.md" for a in range(30) for g in range(10) for p in range(5)
    ]
    assert ClosePaths(paths).closest("area-12/groups-7/install.md") == "area-12/group-7/install.md"
    assert ClosePaths(paths).closest("install.md") in paths


def test_a_misspelt_name_in_a_missing_folder_is_found_anywhere(counted_ratios):
    paths = [
        f"section-{s}/{name}" for s, names in enumerate([_names(500, seed=7)] * 8) for name in names
    ]
    wanted = paths[1234]
    folder, name = wanted.rsplit("/", 1)
    counted_ratios[0] = 0
    found = ClosePaths(paths).closest(f"{folder}-old/{_typo(name, random.Random(8))}")
    assert found is not None and found.rsplit("/", 1)[1] == name
    assert counted_ratios[0] <= 3 * 2 * suggest.SHORTLIST


def test_a_large_sites_broken_links_get_hints(project, counted_ratios):
    files = {f"part-{s}/topic-{t}.md": f"# Topic {s}.{t}\n" for s in range(20) for t in range(30)}
    files["index.md"] = (
        "# Home\n\n[one](part-3/topic_17.md) [two](part-3/topci-17.md) [three](topic-22.md)\n"
    )
    project.write({"content/" + rel: text for rel, text in files.items()})
    counted_ratios[0] = 0  # one process, to count them all
    result = build_site(BuildOptions(root=project.root, out=project.out, jobs=1))
    hints = [d.hint for d in result.report.sorted() if "does not exist" in d.message]
    assert hints == [
        "did you mean 'part-3/topic-17.md'?",
        "did you mean 'part-3/topic-17.md'?",
        "did you mean 'part-0/topic-22.md'?",
    ]
    assert counted_ratios[0] <= 3 * 3 * 2 * suggest.SHORTLIST


def test_a_misspelt_wikilink_on_a_large_site_gets_a_hint(project, counted_ratios):
    files = {
        f"part-{s}/topic-{s}-{t}.md": f"# Topic {s}.{t}\n" for s in range(20) for t in range(30)
    }
    files["index.md"] = "# Home\n\nSee [[topc-3-17]].\n"
    project.write({"content/" + rel: text for rel, text in files.items()})
    counted_ratios[0] = 0  # one process, to count them all
    result = build_site(BuildOptions(root=project.root, out=project.out, jobs=1))
    [hint] = [d.hint for d in result.report.sorted() if "wikilink" in d.message]
    assert hint == "did you mean [[topic-3-17]]?"
    assert counted_ratios[0] <= 2 * suggest.SHORTLIST


def test_an_unknown_icon_gets_close_names_looking_through_the_icons_once(tmp_path, monkeypatch):
    custom = tmp_path / "icons"
    custom.mkdir()
    (custom / "rocket-ship.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    icons = IconSet(custom_dirs=[custom])
    listed = []
    glob = Path.glob
    monkeypatch.setattr(
        Path, "glob", lambda self, pattern: listed.append(self) or glob(self, pattern)
    )
    assert icons.suggestions(":icon-rockt:")[0] == "rocket"
    assert "rocket-ship" in icons.suggestions("rocketship")
    assert icons.suggestions("gearr")[0] == "gear"
    assert listed == [custom]  # one look at the folder for every mistake
