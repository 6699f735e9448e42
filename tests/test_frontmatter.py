import pickle
from dataclasses import fields

from docsite.diagnostics import Report, Severity
from docsite.frontmatter import Badge, PageSettings, parse_settings, split_frontmatter


def settings(yaml_text, report=None):
    report = report if report is not None else Report()
    return parse_settings([("content/p.md", yaml_text, 2)], report), report


def test_split_gives_yaml_and_body_start_line():
    split = split_frontmatter("---\norder: 1\n---\n\n# Title\n", "p.md", Report())
    assert split.yaml_text.strip() == "order: 1"
    assert split.body == "# Title\n"  # the blank lines after the frontmatter are not body
    assert split.body_line == 5


def test_split_positions_survive_blank_lines_and_long_delimiters():
    text = "----  \n\norder: [1\n-----\n\n\n# Title\n"
    split = split_frontmatter(text, "p.md", Report())
    assert (split.body, split.body_line) == ("# Title\n", 7)
    report = Report()
    parse_settings([("p.md", split.yaml_text, split.yaml_line)], report)
    # The unclosed flow list is reported where the YAML ends: the closing delimiter's line.
    assert [(d.line, "malformed YAML" in d.message) for d in report.errors] == [(4, True)]


def test_page_without_frontmatter_is_all_body():
    split = split_frontmatter("# Title\n", "p.md", Report())
    assert split.yaml_text is None and split.body_line == 1


def test_unclosed_frontmatter_is_an_error():
    report = Report()
    split_frontmatter("---\norder: 1\n# Title\n", "p.md", report)
    assert report.errors and "never closed" in report.errors[0].message


def test_retype_seed_keys():
    s, report = settings(
        "order: 1800\nlabel: Status Codes\nicon: rss\npermalink: /status-codes\n"
        "nav:\n  badge: NEW|info\ntags: [info]\n"
    )
    assert not report.items
    assert (s.order, s.label, s.icon, s.permalink) == (1800, "Status Codes", "rss", "/status-codes")
    assert s.badge == Badge("NEW", "info")
    assert s.tags == ["info"]


def test_settings_pickle_leaves_out_defaults_and_come_back_whole():
    """The cache pickles every page's settings with only what differs from the defaults."""
    s, report = settings(
        "order: 0\nlabel: Status Codes\nexpanded: true\ntemplating: false\nnav:\n  badge: NEW\n"
        "tags: [info]\ndata:\n  team: docs\n"
    )
    assert not report.items
    back = pickle.loads(pickle.dumps(s))
    assert back == s and repr(back) == repr(s)
    # A value equal to its default but of another type is not the default (0 == False):
    # the pages' keys hash the settings' repr.
    odd = pickle.loads(pickle.dumps(PageSettings(expanded=0, order=0.0)))
    assert repr(odd) == repr(PageSettings(expanded=0, order=0.0))
    plain = pickle.dumps(PageSettings())
    assert b"visibility" not in plain and b"layout" not in plain  # defaults left out
    # Each left out reads as its default (the class holds it).
    default = pickle.loads(plain)
    assert all(getattr(default, f.name) == getattr(PageSettings(), f.name) for f in fields(s))
    assert default == PageSettings() and repr(default) == repr(PageSettings())
    assert b"Status Codes" in pickle.dumps(s)
    # Each unpickled page has lists and dicts of its own, never another page's.
    one, two = pickle.loads(plain), pickle.loads(plain)
    one.tags.append("x")
    one.data["k"] = 1
    assert two.tags == [] and two.data == {} and PageSettings().tags == []


def test_badge_as_mapping_and_default_variant():
    s, _ = settings("nav:\n  badge: { text: Beta, variant: warning }\n")
    assert s.badge == Badge("Beta", "warning")
    s, _ = settings("nav:\n  badge: HOT\n")
    assert s.badge == Badge("HOT", "primary")


def test_unknown_badge_variant_warns_with_suggestion():
    s, report = settings("nav:\n  badge: NEW|infoo\n")
    (warning,) = report.warnings
    assert (warning.line, warning.col) == (3, 10)
    assert "'info'" in warning.hint
    assert s.badge == Badge("NEW", "primary")


def test_route_alias_and_single_tag():
    s, report = settings("route: /x\ntags: api\n")
    assert s.permalink == "/x" and s.tags == ["api"] and not report.items


def test_wrong_types_are_errors_at_the_value():
    _, report = settings("label: ok\norder: [1]\nexpanded: yes please\nvisibility: secret\n")
    errors = {(d.line, d.col): d.message for d in report.errors}
    assert "'order' must be a number or a string, got a list" in errors[(3, 8)]
    assert "'expanded' must be true or false" in errors[(4, 11)]
    assert "'visibility' must be one of public, hidden" in errors[(5, 13)]


def test_unknown_key_warns_with_did_you_mean():
    _, report = settings("titel: Hello\n")
    (warning,) = report.items
    assert warning.severity is Severity.WARNING
    assert "unknown frontmatter key 'titel'" in warning.message
    assert "'title'" in warning.hint


def test_frontmatter_that_is_a_list_is_an_error():
    _, report = settings("- a\n- b\n")
    assert "must be a mapping" in report.errors[0].message


def test_later_layer_wins_and_location_follows_it():
    report = Report()
    s = parse_settings(
        [
            ("content/p.yml", "label: From yml\norder: 5\n", 1),
            ("content/p.md", "label: From page\n", 2),
        ],
        report,
    )
    assert s.label == "From page" and s.order == 5
    assert s.where("label", "").file == "content/p.md"
    assert s.where("order", "").file == "content/p.yml"


def test_bare_emoji_shortcode_icon_is_accepted_like_retype():
    s, report = settings("icon: :rocket:\n")
    assert s.icon == ":rocket:" and not report.items


def test_author_and_date():
    s, report = settings(
        "author:\n  - Ada\n  - name: Bob\n    link: https://b.example\ndate: 2024-05-31\n"
    )
    assert not report.items
    assert [a.name for a in s.authors] == ["Ada", "Bob"]
    assert s.date.isoformat() == "2024-05-31"
