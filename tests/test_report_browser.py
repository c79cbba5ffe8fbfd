"""The report in a real browser: headless Chromium renders it without a console error, draws
something, and fits a phone's width (.ci/run installs Chromium when it is missing)."""

from collections import Counter
from pathlib import Path

import pytest
from browser import chromium, png_pixels, render
from test_report import AWKWARD, EXAMPLE, done_some

pytestmark = pytest.mark.skipif(
    chromium() is None, reason="needs Chromium (apt-get install chromium; .ci/run does it)"
)


def drawn_share(png: bytes) -> tuple[float, int]:
    """(share of pixels unlike the background, number of distinct colours)."""
    _, _, rows = png_pixels(png)
    pixels = Counter(row[i : i + 3] for row in rows for i in range(0, len(row), 4))
    _, count = pixels.most_common(1)[0]
    return 1 - count / sum(pixels.values()), len(pixels)


def test_the_example_report_renders_cleanly(run, write, isolated):
    write("career.toml", EXAMPLE)
    done_some(run)
    assert run("report", "--as-of", "2027-06-01").exit_code == 0
    page = isolated / "career-report.html"
    desktop = render(page, width=1100)
    assert desktop.problems == []
    assert desktop.scroll_width <= 1100
    drawn, colours = drawn_share(desktop.thumbnail)
    assert drawn > 0.15 and colours > 50, (drawn, colours)
    phone = render(page, width=390, height=800, mobile=True)
    assert phone.problems == []
    assert phone.scroll_width <= 390, "reflows to a phone's width"


def test_awkward_titles_render_cleanly(run, write, isolated):
    write("career.toml", AWKWARD)
    assert run("report", "--as-of", "2027-02-01").exit_code == 0
    rendered = render(isolated / "career-report.html")
    assert rendered.problems == []
    assert drawn_share(rendered.thumbnail)[0] > 0.1


def test_the_check_catches_console_errors_and_blank_pages(tmp_path: Path):
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><p>x</p><img src="missing.png"><script>console.error("boom")</script>'
    )
    problems = render(broken).problems
    assert any("boom" in p for p in problems), problems
    assert any("missing.png" in p for p in problems), problems
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>")
    assert drawn_share(render(blank).thumbnail)[0] == 0
