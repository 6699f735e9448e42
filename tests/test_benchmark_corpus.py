import collections
import re

import pytest

from benchmarks import runner
from benchmarks.corpus import WORDS, Corpus, generate, vocabulary


def text_of(root) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.md"))}


# The words the pages' template writes whatever the vocabulary.
TEMPLATE_WORDS = {"see", "for", "more", "details", "name", "value", "notes", "benchmark", "docs"}


def words_in(pages: dict[str, str]) -> collections.Counter:
    """The lower-case words of the pages' prose (no frontmatter keys, links or numbers)."""
    found: collections.Counter = collections.Counter()
    for text in pages.values():
        body = text.split("---", 2)[-1]
        body = re.sub(r"\]\([^)]*\)|```.*?```", " ", body, flags=re.S)
        found.update(re.findall(r"[a-z]+", body.lower()))
    return found


def test_a_vocabulary_is_made_up_words_spread_as_a_real_sites_are():
    """Each of its words is distinct and made the same way each time; the first is drawn
    far more often than the last (about 1/rank as often), so most pages share a few words
    and most words are on a few pages."""
    drawn = vocabulary(500)
    assert drawn == vocabulary(500) and drawn != vocabulary(500, seed=1)
    counts = collections.Counter(drawn)
    assert len(counts) == 500
    ranked = [count for _, count in counts.most_common()]
    assert [ranked[rank - 1] / ranked[0] for rank in (2, 10, 100)] == [1 / 2, 1 / 10, 1 / 100]


def test_a_corpus_drawn_from_a_vocabulary_uses_its_words_and_the_default_is_unchanged(tmp_path):
    """The text of a corpus made with a vocabulary is drawn from it (the same bytes for the
    same arguments); without one, from the 35 words of WORDS, as the issues' figures were."""
    drawn = vocabulary(3000)
    one = text_of(generate(tmp_path / "a", 60, words=drawn).root)
    assert one == text_of(generate(tmp_path / "b", 60, words=drawn).root)
    used = words_in(one)
    assert used.keys() - set(drawn) <= TEMPLATE_WORDS
    assert len(used.keys() & set(drawn)) > 10 * len(WORDS)
    plain = words_in(text_of(generate(tmp_path / "c", 60).root))
    assert len(plain.keys() & set(WORDS)) == len(WORDS)
    assert plain.keys() - set(WORDS) <= TEMPLATE_WORDS


def test_the_runner_builds_its_corpora_from_the_vocabulary_asked(tmp_path, monkeypatch):
    """`--vocabulary N` reaches the corpus generator; without it, the corpora are WORDS's."""
    asked: list[tuple[str, ...]] = []

    def fake_generate(root, pages, **kwargs) -> Corpus:
        asked.append(kwargs["words"])
        raise SystemExit("generated")  # the rest of the run is not what is tested here

    monkeypatch.setattr(runner, "generate", fake_generate)
    monkeypatch.setattr(runner, "compile_engine", lambda engine: None)
    monkeypatch.setattr(runner, "startup_figures", lambda engine: {})
    for words, expected in ((0, WORDS), (700, vocabulary(700))):
        with pytest.raises(SystemExit):
            runner.run([40], 1, None, tmp_path / "out.json", tmp_path / "keep", words=words)
        assert asked[-1] == expected
