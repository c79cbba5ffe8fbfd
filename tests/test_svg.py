"""The report's small SVG toolkit and charts."""

import datetime as dt
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from careersync import charts
from careersync.svg import TimeScale, count_ticks, el, esc, lanes, month_ticks, num, step_path

D = dt.date


def test_escaping_text_and_attributes():
    assert esc('<b a="1">&\'') == "&lt;b a=&quot;1&quot;&gt;&amp;&#x27;"
    assert el("text", {"cls": "a b", "x": 1.25, "text_anchor": "end", "skip": None}, esc("<")) == (
        '<text class="a b" x="1.2" text-anchor="end">&lt;</text>'
    )
    assert el("circle", {"r": 3.0}) == '<circle r="3"/>'
    assert num(2.0) == "2" and num(-0.04) == "-0" and num(10.26) == "10.3"


def test_time_scale_maps_days_linearly():
    scale = TimeScale(D(2027, 1, 1), D(2027, 1, 11), 100, 200)
    assert scale.x(D(2027, 1, 1)) == 100
    assert scale.x(D(2027, 1, 6)) == 150
    assert scale.x(D(2027, 1, 11)) == 200
    assert scale.clamp(D(2026, 5, 1)) == D(2027, 1, 1)
    assert scale.clamp(D(2030, 5, 1)) == D(2027, 1, 11)


def test_month_ticks():
    assert month_ticks(D(2027, 1, 4), D(2027, 4, 30)) == [
        D(2027, 2, 1),
        D(2027, 3, 1),
        D(2027, 4, 1),
    ]
    assert month_ticks(D(2027, 1, 1), D(2027, 2, 1)) == [D(2027, 1, 1), D(2027, 2, 1)]
    two_years = month_ticks(D(2027, 1, 4), D(2029, 1, 4))
    assert two_years[:3] == [D(2027, 4, 1), D(2027, 7, 1), D(2027, 10, 1)]
    assert len(two_years) <= 12
    assert month_ticks(D(2027, 1, 2), D(2027, 1, 30)) == []


@given(st.dates(D(2000, 1, 1), D(2100, 1, 1)), st.integers(0, 20000))
def test_month_ticks_stay_in_range_and_few(start, days):
    end = start + dt.timedelta(days=days)
    ticks = month_ticks(start, end)
    assert len(ticks) <= 12
    assert all(start <= t <= end and t.day == 1 for t in ticks)
    assert ticks == sorted(set(ticks))


def test_lanes_keep_marks_apart():
    assert lanes([0, 5, 10, 30, 31], gap=8, most=3) == [0, 1, 0, 0, 1]
    assert lanes([0, 1, 2, 3], gap=8, most=2) == [0, 1, 0, 1], "past the limit marks share"
    assert lanes([], gap=8, most=3) == []


def test_count_ticks():
    assert count_ticks(0) == [0, 1]
    assert count_ticks(4) == [0, 1, 2, 3, 4]
    assert count_ticks(7) == [0, 2, 4, 6, 8]
    assert count_ticks(23) == [0, 5, 10, 15, 20, 25]
    assert count_ticks(1600) == [0, 500, 1000, 1500, 2000]


def test_step_path_holds_each_value():
    assert step_path([(0, 10), (5, 8), (9, 8)]) == "M0 10H5V8H9V8"
    assert step_path([]) == ""


class Shapes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def classes(self, name):
        return [a for t, a in self.tags if name in (a.get("class") or "").split()]


GOAL = {
    "id": "g",
    "title": "Goal <1>",
    "by": "2027-07-04",
    "done": 1,
    "total": 3,
    "forecast": "2027-09-01",
    "milestones": [
        {
            "uid": "milestone:a",
            "title": "A & co",
            "due": "2027-02-04",
            "state": "done",
            "done_on": "2027-02-01",
            "days_late": None,
        },
        {
            "uid": "milestone:b",
            "title": "B",
            "due": "2027-03-04",
            "state": "overdue",
            "done_on": None,
            "days_late": 5,
        },
        {
            "uid": "milestone:c",
            "title": "C",
            "due": "2027-06-04",
            "state": "upcoming",
            "done_on": None,
            "days_late": None,
        },
    ],
    "burnup": {
        "total": 3,
        "expected": [["2027-01-04", 0], ["2027-02-04", 1], ["2027-03-04", 2], ["2027-06-04", 3]],
        "done": [["2027-01-04", 0], ["2027-02-01", 1]],
    },
}


def test_timeline_shapes_differ_by_state():
    axis = charts.Axis.for_goal(GOAL, D(2027, 1, 4), D(2027, 3, 9))
    shapes = Shapes()
    shapes.feed(charts.timeline(GOAL, axis))
    groups = [a["class"] for t, a in shapes.tags if t == "g"]
    assert groups == ["ms done", "ms overdue", "ms upcoming"]
    assert len(shapes.classes("asof")) == 1 and len(shapes.classes("deadline")) == 1
    assert "A &amp; co: due 2027-02-04, done 2027-02-01" in charts.timeline(GOAL, axis)


def test_axis_covers_the_forecast_unless_it_is_far_off():
    axis = charts.Axis.for_goal(GOAL, D(2027, 1, 4), D(2027, 3, 9))
    assert (axis.start, axis.end) == (D(2027, 1, 4), D(2027, 9, 1))
    far = {**GOAL, "forecast": "2040-01-01"}
    assert charts.Axis.for_goal(far, D(2027, 1, 4), D(2027, 3, 9)).end == D(2027, 7, 4)
    early = charts.Axis.for_goal(GOAL, D(2027, 1, 4), D(2026, 12, 1))
    assert early.start == D(2026, 12, 1)


def test_burnup_draws_road_done_and_forecast():
    axis = charts.Axis.for_goal(GOAL, D(2027, 1, 4), D(2027, 3, 9))
    shapes = Shapes()
    shapes.feed(charts.burnup(GOAL, axis))
    for cls in ("road", "done-line", "forecast", "asof", "deadline"):
        assert shapes.classes(cls), cls
    none = {**GOAL, "forecast": None}
    shapes = Shapes()
    shapes.feed(charts.burnup(none, axis))
    assert not shapes.classes("forecast")


def test_heat_map_one_cell_per_occurrence_and_short_years_folded():
    start = D(2027, 1, 4)
    days = [start + dt.timedelta(weeks=w) for w in range(106)]
    item = {
        "uid": "habit:x",
        "title": "X",
        "kind": "habit",
        "occurrences": [
            {
                "date": d.isoformat(),
                "state": "done" if i < 3 else "missed" if i < 5 else "upcoming",
                "done_on": d.isoformat() if i < 3 else None,
            }
            for i, d in enumerate(days)
        ],
    }
    daily = {
        "uid": "habit:y",
        "title": "Y",
        "kind": "habit",
        "occurrences": [
            {
                "date": (start + dt.timedelta(days=i)).isoformat(),
                "state": "upcoming",
                "done_on": None,
            }
            for i in range(10)
        ],
    }
    years = charts.heat_years([item, daily], D(2027, 1, 20))
    assert [y.label for y in years] == ["2027", "2028–2029"]
    shapes = Shapes()
    shapes.feed("".join(svg for y in years for _, svg in y.strips))
    cells = shapes.classes("occ")
    assert len(cells) == 106 + 10
    assert len(shapes.classes("done")) == 3 and len(shapes.classes("missed")) == 2
    heights = [a["height"] for t, a in shapes.tags if t == "svg"]
    assert heights[:2] == ["12", "84"], "a weekly item is one row, a daily one seven"
