"""careersync report: one self-contained page, parsed and checked (SPEC section 7)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

EXAMPLE = (Path(__file__).parent.parent / "examples" / "career.toml").read_text(encoding="utf-8")
RECURRING_KINDS = ("habit", "contact", "review")


class Page(HTMLParser):
    """What a reader (and a checker) sees in the page: text, elements, resource references."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.stack: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in ("meta", "circle", "rect", "line", "path", "i"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if not set(self.stack) & {"style", "title", "head"}:
            self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def with_class(self, name: str, tag: str | None = None) -> list[dict]:
        return [
            a
            for t, a in self.elements
            if name in (a.get("class") or "").split() and (tag is None or t == tag)
        ]


def report(run, *args):
    result = run("report", *args)
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    return path, path.read_text(encoding="utf-8")


def schedule_items(run_json):
    _, doc = run_json("schedule")
    return doc["items"]


def assert_self_contained(html: str, page: Page) -> None:
    assert not re.search(r"https?://", html), "no http(s) URL anywhere"
    assert "@import" not in html and "url(" not in html
    assert not [t for t, _ in page.elements if t in ("script", "link", "iframe", "object", "img")]
    assert not [a for _, a in page.elements if "src" in a or "href" in a]
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "@media print" in style, "a print stylesheet"
    assert "@media (max-width" in style, "reflows on a narrow screen"
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in (
        page.elements
    )


def done_some(run):
    run("done", "milestone:sql-course", "--on", "2027-03-20")
    run("done", "milestone:python-basics", "--on", "2027-05-30")
    for day in ("2027-01-09", "2027-01-16", "2027-05-22", "2027-05-29"):
        run("done", f"habit:practice@{day}", "--on", day)
    run("done", "review:weekly@2027-05-28", "--on", "2027-05-28")


def test_report_of_the_example_plan(run, run_json, write, isolated):
    write("career.toml", EXAMPLE)
    done_some(run)
    path, html = report(run, "--as-of", "2027-06-01")
    assert path.resolve() == isolated / "career-report.html", "default: beside the plan"
    page = Page(html)
    assert_self_contained(html, page)
    items = schedule_items(run_json)
    for item in items:
        if item["kind"] in ("goal", "milestone"):
            assert item["title"] in page.text, item["title"]
    goals = [i for i in items if i["kind"] == "goal"]
    assert len(page.with_class("timeline", "svg")) == len(goals) == 2
    assert len(page.with_class("burnup", "svg")) == len(goals)
    occurrences = [i for i in items if i["kind"] in RECURRING_KINDS]
    assert len(page.with_class("occ")) == len(occurrences)
    assert len(page.with_class("done")) >= 5
    for title in ("Lead analytics that shapes product decisions", "presenting to stakeholders"):
        assert title in page.text, "vision and self-assessment in the header"
    assert "Next reviews 2027-06-04 Weekly review 2027-07-04 Quarterly review" in page.text


def test_report_figures_are_status_figures(run, write):
    write("career.toml", EXAMPLE)
    done_some(run)
    _, html = report(run, "--as-of", "2027-06-01")
    text = Page(html).text
    status = json.loads(run("status", "--json", "--as-of", "2027-06-01").stdout)
    cert = status["goals"][0]
    assert cert["forecast"] == "2027-10-27"
    assert "At this pace: 2027-10-27, 8 days before the deadline" in text
    for r in status["recurring"]:
        if r["due"]:
            shown = f"{r['done']}/{r['due']} done, {r['rate']:.0%}, streak {r['streak']}"
            assert f"{r['title']} {r['kind']} · {shown}" in text
    for g in status["goals"]:
        assert f"{g['done']}/{g['total']} milestones done" in text
    for s in status["skill_gaps"]:
        assert f"{s['milestones_done']} of {s['milestones_total']} closing milestones done" in text


def test_report_reads_the_state_and_writes_nothing_there(run, write, isolated):
    write("career.toml", EXAMPLE)
    report(run, "--as-of", "2027-02-01")
    assert not (isolated.parent / "state").exists()


def test_report_path_option_and_unwritable_path(run, write, isolated):
    write("career.toml", EXAMPLE)
    (isolated / "out").mkdir()
    path, _ = report(run, "--as-of", "2027-06-01", "-o", "out/r.html")
    assert path == Path("out/r.html")
    assert (isolated / "out" / "r.html").exists()
    result = run("report", "-o", "missing/dir/r.html")
    assert result.exit_code == 1
    assert "missing/dir/r.html: cannot write the report" in result.stderr
    assert "Traceback" not in result.output


AWKWARD = """\
[plan]
title = "Plan <script>alert('x')</script> & co"
start = 2027-01-04
timezone = "UTC"
vision = "Be \\"great\\" & <kind> 🚀"

[self]
values = ["<b>bold</b>", "ünïcödé ✨"]

[skills]
"sql" = { now = 1, need = 3 }

[goals.weird]
title = "Goal with <tags> & \\"quotes\\" and 'apostrophes' 🎯"
by = "+6m"

[goals.empty]
title = "A goal with no milestones </svg><p>"
by = "+3m"

[milestones.m1]
goal = "weird"
title = "Milestone <1> & done? 🚀"
by = "+1m"
skills = ["sql"]

[milestones.m2]
goal = "weird"
title = "</title></text><text>injected"
by = "+2m"
"""


def test_awkward_titles_are_escaped_and_shown(run, write):
    write("career.toml", AWKWARD)
    _, html = report(run, "--as-of", "2027-02-01")
    page = Page(html)
    assert_self_contained(html, page)
    for title in (
        "Plan <script>alert('x')</script> & co",
        'Be "great" & <kind> 🚀',
        "<b>bold</b>",
        "ünïcödé ✨",
        "Goal with <tags> & \"quotes\" and 'apostrophes' 🎯",
        "A goal with no milestones </svg><p>",
        "Milestone <1> & done? 🚀",
        "</title></text><text>injected",
    ):
        assert title in page.text, title
    assert "<script" not in html.lower().replace("&lt;script", "")
    assert len(page.with_class("timeline", "svg")) == 2
    assert len(page.with_class("burnup", "svg")) == 2
    assert len(page.with_class("occ")) == 0
    assert "The plan has no habits, contacts or reviews." in page.text
    assert "No milestones: the goal counts as done when you mark goal:empty done." in page.text


def test_report_before_the_plan_starts_and_after_it_ends(run, write):
    write("career.toml", EXAMPLE)
    for day in ("2026-06-01", "2027-01-04", "2031-01-01"):
        _, html = report(run, "--as-of", day)
        page = Page(html)
        assert len(page.with_class("timeline", "svg")) == 2
    run("done", "milestone:exam", "--on", "2027-02-01")
    _, html = report(run, "--as-of", "2030-06-01")
    assert "At this pace" in Page(html).text


def big_plan(milestones: int) -> str:
    goals = 4
    lines = [
        "[plan]",
        'title = "Big"',
        "start = 2027-01-04",
        'timezone = "UTC"',
        "[reviews]",
        'weekly = { on = "fri" }',
        "[habits.daily]",
        'goal = "g0"',
        'title = "Daily practice"',
        'every = "day"',
    ]
    for g in range(goals):
        lines += [f"[goals.g{g}]", f'title = "Goal {g}"', f'by = "+{12 * (g + 1)}m"']
    for i in range(milestones):
        g = i % goals
        lines += [
            f"[milestones.m{i}]",
            f'goal = "g{g}"',
            f'title = "Milestone number {i} <{i}>"',
            f'by = "+{i % (360 * (g + 1)) + 1}d"',
        ]
    return "\n".join(lines) + "\n"


def record_done(work: Path, keys: list[str], on: str) -> None:
    """Completions written straight to the plan's state (hundreds of `done` runs are slow)."""
    import datetime as dt

    from conftest import plan_state

    from careersync.state import Completion, State

    with State(plan_state(work)) as state:
        for key in keys:
            state.add_completion(Completion(key, dt.date.fromisoformat(on), "manual"))


def test_1600_milestones_stay_under_2_mb(run, run_json, write, isolated):
    write("career.toml", big_plan(1600))
    record_done(isolated, [f"milestone:m{i}" for i in range(0, 1600, 3)], "2027-06-01")
    path, html = report(run, "--as-of", "2027-09-01")
    assert path.stat().st_size < 2_000_000
    page = Page(html)
    text = page.text
    for i in range(1600):
        assert f"Milestone number {i} <{i}>" in text
    assert len(page.with_class("timeline", "svg")) == 4
    assert len([a for a in page.with_class("done", "g") if "ms" in a["class"]]) == 534
    occurrences = [i for i in schedule_items(run_json) if i["kind"] in RECURRING_KINDS]
    assert len(page.with_class("occ")) == len(occurrences)
