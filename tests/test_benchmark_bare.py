"""benchmarks.bare's account of where docsite's time per page goes, stage by stage."""

from __future__ import annotations

import pytest

from benchmarks.bare import REST, STAGES, StageClock, stage_lines, stage_times
from benchmarks.corpus import generate


class Ticks:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def spend(self, seconds: float) -> None:
        self.now += seconds


def test_a_stage_inside_another_counts_for_the_inner_one_only():
    ticks = Ticks()
    clock = StageClock(clock=ticks)

    def inner() -> str:
        ticks.spend(2.0)
        return "inner"

    def outer() -> str:
        ticks.spend(1.0)
        found = clock.run("Markdown", inner)
        ticks.spend(0.5)
        return found

    assert clock.run("page HTML", outer) == "inner"
    clock.run("page HTML", ticks.spend, 3.0)
    assert clock.seconds == {"Markdown": 2.0, "page HTML": 4.5}
    assert clock.calls == {"Markdown": 1, "page HTML": 2}


def test_wrapped_methods_are_timed_and_put_back():
    class Renderer:
        def render(self, text: str) -> str:
            return text.upper()

    original = Renderer.__dict__["render"]
    clock = StageClock()
    with clock.wrapping({"Markdown": (Renderer, "render")}):
        assert Renderer().render("a") == "A"
        assert Renderer().render("b") == "B"
    assert Renderer.__dict__["render"] is original
    assert clock.calls == {"Markdown": 2}


def test_a_method_renamed_since_is_an_error_not_an_untimed_stage():
    class Renderer:
        def render_body(self) -> None: ...

    with pytest.raises(KeyError), StageClock().wrapping({"Markdown": (Renderer, "render")}):
        pass
    assert "render" not in Renderer.__dict__


def test_each_stage_takes_each_page_once_in_both_pipelines(tmp_path):
    """docsite's stages are its methods that do what the bare pipeline's do: each page read,
    its Markdown rendered, its page made and written once, in a build of a fresh corpus."""
    corpus = generate(tmp_path / "corpus", 12, search=False)
    times = stage_times(corpus, tmp_path / "site")
    pages = len(corpus.pages)
    assert times["docsite calls"] == dict.fromkeys(STAGES, pages)
    # The bare pipeline renders the sidebar once for the site, with the pages' template.
    assert times["bare calls"] == {**dict.fromkeys(STAGES, pages), "page HTML": pages + 1}
    for name in ("bare", "docsite"):
        assert set(times[name]) == {*STAGES, REST}
        assert all(seconds > 0 for stage, seconds in times[name].items() if stage != REST)
        assert times[name][REST] >= -1e-9  # the stages are within the build's time
    assert times["docsite"][REST] > times["bare"][REST]  # docsite's sidebar, keys, assets...


def test_the_table_gives_milliseconds_a_page_and_the_difference():
    bare = {"reading pages": 0.1, "Markdown": 0.6, "page HTML": 0.05, "writing": 0.1, REST: 0.0}
    ours = {"reading pages": 0.2, "Markdown": 0.8, "page HTML": 0.4, "writing": 0.1, REST: 0.3}
    lines = stage_lines({"bare": bare, "docsite": ours}, pages=100)
    rows = {line[:18].strip(): line[18:].split() for line in lines[2:]}
    assert list(rows) == [*STAGES, REST]
    assert rows["page HTML"] == ["0.50", "4.00", "+3.50"]
    assert rows[REST] == ["0.00", "3.00", "+3.00"]
