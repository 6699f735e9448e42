"""The test suite's own rules: browser tests are marked, so `-m 'not browser'` leaves them out."""

import pytest


def test_every_test_that_drives_chromium_carries_the_browser_marker(request: pytest.FixtureRequest):
    items = request.session.items
    browser = [item for item in items if item.get_closest_marker("browser")]
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()) or item.path.stem.endswith("_browser"):
            assert item in browser, item.nodeid
    whole_suite = len(items) > 100 and not request.config.getoption("markexpr")
    if whole_suite:  # browser tests exist and are not everything
        assert 0 < len(browser) < len(items)
