"""``careersync report``: one self-contained HTML page of where the plan stands.

It presents the document :func:`careersync.progress.compute` makes (with ``detail``), the same
figures ``status --json`` prints, so the two never disagree. Everything is inline (CSS and SVG),
nothing is fetched, no script runs; every string from the plan is escaped.
"""

from __future__ import annotations

import datetime as dt

from careersync import __version__
from careersync.charts import Axis, burnup, heat_months, heat_years, timeline
from careersync.model import Plan
from careersync.status_text import days, pace_sentence
from careersync.svg import esc

STATE_LABELS = {
    "done": "done",
    "ahead": "ahead",
    "on-track": "on track",
    "behind": "behind",
    "overdue": "overdue",
}
LONG_LIST = 12
MARKS = {"done": "✓", "overdue": "▲", "upcoming": "○"}

CSS = """
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --paper: #ffffff; --wash: #f6f8fa;
  --done: #1a7f37; --done-wash: #dafbe1; --late: #cf222e; --late-wash: #ffebe9;
  --soon: #59636e; --road: #d4a72c; --forecast: #0969da; --asof: #8250df; --goal: #bc4c00;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--wash); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
header.page { padding: 1.5rem 0 0.5rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.4rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 0.8rem; padding-bottom: 0.3rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 0; }
p { margin: 0.3rem 0; }
.vision { font-size: 1.15rem; color: var(--ink); margin: 0.2rem 0 0.6rem; }
.vision::before { content: "Vision: "; color: var(--muted); font-weight: 600; }
.meta, .muted { color: var(--muted); }
.self { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
  gap: 0.6rem 1.2rem; margin: 1rem 0 0; }
.self h3 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); margin-bottom: 0.3rem; }
.chips { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem; }
.chips li { background: var(--paper); border: 1px solid var(--line); border-radius: 999px;
  padding: 0.05rem 0.6rem; font-size: 0.9rem; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(10.5rem, 1fr));
  gap: 0.7rem; margin: 1.2rem 0 0; }
.tile { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
  padding: 0.7rem 0.9rem; }
.tile b { display: block; font-size: 1.6rem; line-height: 1.2; }
.tile span { color: var(--muted); font-size: 0.88rem; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 12px;
  padding: 1rem 1.1rem; margin: 0 0 1.1rem; }
.card-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.3rem 0.8rem; }
.badge { display: inline-block; border-radius: 999px; padding: 0 0.6rem; font-size: 0.82rem;
  font-weight: 600; border: 1px solid currentColor; }
.badge.done, .badge.ahead { color: var(--done); background: var(--done-wash); }
.badge.on-track { color: var(--forecast); background: #ddf4ff; }
.badge.behind { color: #9a6700; background: #fff8c5; }
.badge.overdue { color: var(--late); background: var(--late-wash); }
.pace { font-weight: 600; margin: 0.4rem 0 0.2rem; }
.pace.good { color: var(--done); }
.pace.bad { color: var(--late); }
.pace.warn { color: #9a6700; }
.pace.neutral { color: var(--muted); }
figure { margin: 0.9rem 0 0; }
figcaption { font-size: 0.85rem; color: var(--muted); margin: 0 0 0.2rem; }
.scroll { overflow-x: auto; }
svg.chart { display: block; width: 100%; height: auto; min-width: 34rem; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  fill: var(--muted); }
svg .tick { font-size: 10.5px; }
svg .label { font-weight: 600; font-size: 11px; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .asof { stroke: var(--asof); stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .asof-label { fill: var(--asof); }
svg .deadline { stroke: var(--goal); stroke-width: 1.5; }
svg .deadline-label { fill: var(--goal); }
svg .flag { fill: var(--goal); }
svg .stem { stroke: var(--line); stroke-width: 1; }
svg .empty { fill: var(--muted); text-anchor: middle; font-style: italic; }
svg .ms circle, svg .ms path { stroke-width: 2; }
svg .ms.done circle { fill: var(--done); stroke: var(--done); }
svg .ms.done .tick { fill: none; stroke: #fff; stroke-width: 1.8; stroke-linecap: round;
  stroke-linejoin: round; }
svg .ms.overdue path { fill: var(--late); stroke: var(--late); stroke-linejoin: round; }
svg .ms.upcoming circle { fill: var(--paper); stroke: var(--soon); }
svg .num { font-size: 9.5px; text-anchor: middle; fill: var(--ink); }
svg .road { fill: none; stroke: var(--road); stroke-width: 7; stroke-opacity: 0.45;
  stroke-linejoin: round; }
svg .done-line { fill: none; stroke: var(--done); stroke-width: 2.5; stroke-linejoin: round; }
svg .now { fill: var(--done); stroke: var(--paper); stroke-width: 1.5; }
svg .forecast { stroke: var(--forecast); stroke-width: 2; stroke-dasharray: 6 4; }
svg .forecast-end { fill: var(--paper); stroke: var(--forecast); stroke-width: 2; }
svg .forecast-label { fill: var(--forecast); }
.legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; font-size: 0.82rem;
  color: var(--muted); margin: 0.3rem 0 0; padding: 0; list-style: none; }
.legend li::before { content: ""; display: inline-block; vertical-align: middle;
  margin-right: 0.35rem; }
.key-road::before { width: 1.4rem; height: 6px; background: var(--road); opacity: .55;
  border-radius: 3px; }
.key-done::before { width: 1.4rem; border-top: 2.5px solid var(--done); }
.key-forecast::before { width: 1.4rem; border-top: 2px dashed var(--forecast); }
.key-asof::before { height: 0.9rem; border-left: 1.5px dashed var(--asof); }
.key-deadline::before { height: 0.9rem; border-left: 1.5px solid var(--goal); }
.mark { display: inline-block; width: 1.2rem; text-align: center; font-weight: 700; }
.mark.done { color: var(--done); }
.mark.overdue { color: var(--late); }
.mark.upcoming { color: var(--soon); }
ol.milestones { margin: 0.8rem 0 0; padding-left: 2rem; }
ol.milestones.long { columns: 2 22rem; column-gap: 2.5rem; }
ol.milestones.long li { break-inside: avoid; }
ol.milestones li { margin: 0.15rem 0; }
ol.milestones .when { color: var(--muted); font-size: 0.88rem; white-space: nowrap; }
.state-text { font-size: 0.82rem; font-weight: 600; text-transform: uppercase;
  letter-spacing: .03em; }
.state-text.done { color: var(--done); }
.state-text.overdue { color: var(--late); }
.state-text.upcoming { color: var(--soon); }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-size: 0.78rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.d { white-space: nowrap; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
.late { color: var(--late); font-weight: 600; }
h3.sub { margin: 1.2rem 0 0.2rem; }
.heat-year { margin: 1rem 0 0; }
.heat-year h3 { font-size: 1rem; margin: 0 0 0.3rem; }
.heat-row { display: grid; grid-template-columns: 13rem minmax(0, 1fr); gap: 0.2rem 0.8rem;
  align-items: center; padding: 0.15rem 0; }
.heat-row .who { font-size: 0.88rem; line-height: 1.25; overflow-wrap: anywhere; }
.heat-row .who small { display: block; color: var(--muted); }
svg.heat, svg.heat-months { display: block; max-width: 100%; height: auto; }
svg .occ.done { fill: var(--done); }
svg .occ.missed { fill: var(--late-wash); stroke: var(--late); stroke-width: 1.5; }
svg .occ.upcoming { fill: var(--soon); }
.key-cell-done::before { width: 0.7rem; height: 0.7rem; background: var(--done);
  border-radius: 2px; }
.key-cell-missed::before { width: 0.55rem; height: 0.55rem; background: var(--late-wash);
  border: 1.5px solid var(--late); border-radius: 1px; }
.key-cell-upcoming::before { width: 0.3rem; height: 0.3rem; background: var(--soon);
  border-radius: 50%; }
.skills { display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr));
  gap: 0.9rem; }
.meter { display: inline-flex; gap: 3px; vertical-align: middle; margin: 0 0.4rem; }
.meter i { width: 1.1rem; height: 0.55rem; border-radius: 2px; border: 1px solid var(--line);
  background: var(--paper); }
.meter i.have { background: var(--done); border-color: var(--done); }
.meter i.need { border: 1.5px dashed var(--forecast); }
ul.plain { list-style: none; padding: 0; margin: 0.5rem 0 0; }
ul.plain li { margin: 0.2rem 0; }
.two { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1.1rem;
  align-items: start; }
footer { color: var(--muted); font-size: 0.82rem; margin-top: 2.5rem; }
@media (max-width: 40rem) {
  main { padding: 0.8rem 0.7rem 2rem; }
  h1 { font-size: 1.5rem; }
  .heat-row { grid-template-columns: minmax(0, 1fr); }
  .heat-row.months { display: none; }
  .card { padding: 0.8rem; }
  table.stack thead { display: none; }
  table.stack tr { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr));
    padding: 0.5rem 0; border-bottom: 1px solid var(--line); }
  table.stack td { border: 0; padding: 0.1rem 0.3rem; text-align: left; }
  table.stack td:first-child { grid-column: 1 / -1; font-weight: 600; }
  table.stack td:not(:first-child)::before { content: attr(data-label) ": ";
    color: var(--muted); font-size: 0.8rem; }
}
@media print {
  @page { margin: 14mm; }
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  .card, .tile, .chips li { border-color: #bbb; box-shadow: none; }
  .card, figure, .heat-row, tr { break-inside: avoid; }
  .scroll { overflow: visible; }
  svg.chart { min-width: 0; }
  h2 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def page(plan: Plan, doc: dict) -> str:
    """The report for ``doc``, the document ``progress.compute(..., detail=True)`` made."""
    as_of = dt.date.fromisoformat(doc["as_of"])
    sections = [
        _header(plan, doc),
        _goals(plan, doc, as_of),
        _overdue(doc),
        _recurring(doc, as_of),
        _skills(doc),
        _reviews(doc),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(plan.title)}: progress as of {esc(doc['as_of'])}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(s for s in sections if s)
        + f"\n<footer>Made by careersync {esc(__version__)} from {esc(plan.source)}, "
        f"as things stood on {esc(doc['as_of'])}.</footer>\n</main>\n</body>\n</html>\n"
    )


def _header(plan: Plan, doc: dict) -> str:
    goals = doc["goals"]
    milestones_done = sum(g["done"] for g in goals)
    milestones = sum(g["total"] for g in goals)
    adherence = doc["adherence"]
    rate = f"{adherence['rate']:.0%}" if adherence["rate"] is not None else "–"
    on_pace = sum(1 for g in goals if g["on_pace"] or g["state"] == "done")
    tiles = [
        (f"{on_pace}/{len(goals)}", "goals done or on pace"),
        (f"{milestones_done}/{milestones}", "milestones done"),
        (rate, f"of {adherence['due']} habit, contact and review occurrences done"),
        (str(len(doc["overdue"])), "overdue goals and milestones"),
    ]
    self_parts = "".join(
        f'<div><h3>{esc(name)}</h3><ul class="chips">'
        + "".join(f"<li>{esc(v)}</li>" for v in values)
        + "</ul></div>"
        for name, values in plan.self_assessment.items()
        if values
    )
    return (
        '<header class="page">\n'
        f"<h1>{esc(plan.title)}</h1>\n"
        + (f'<p class="vision">{esc(plan.vision)}</p>\n' if plan.vision else "")
        + f'<p class="meta">Progress as of <strong>{esc(doc["as_of"])}</strong> · plan from '
        f"{esc(doc['plan']['start'])} to {esc(doc['plan']['end'])}</p>\n"
        + (
            f'<section class="self" aria-label="Self-assessment">{self_parts}</section>\n'
            if self_parts
            else ""
        )
        + '<div class="tiles">'
        + "".join(f'<div class="tile"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for v, k in tiles)
        + "</div>\n</header>"
    )


def _goals(plan: Plan, doc: dict, as_of: dt.date) -> str:
    cards = [_goal(g, doc, plan.start, as_of) for g in doc["goals"]]
    return '<section id="goals">\n<h2>Goals, by deadline</h2>\n' + "\n".join(cards) + "\n</section>"


def _goal(g: dict, doc: dict, plan_start: dt.date, as_of: dt.date) -> str:
    axis = Axis.for_goal(g, plan_start, as_of)
    sentence, tone = pace_sentence(g, doc)
    days_left = g["days_left"]
    left = (
        f"{days(days_left)} left"
        if days_left > 0
        else "due today"
        if days_left == 0
        else f"deadline passed {days(-days_left)} ago"
    )
    expected = f"{g['expected']:.0%} expected by now"
    items = "".join(_milestone(n, m) for n, m in enumerate(g["milestones"], 1))
    milestone_list = (
        f'<ol class="milestones">{items}</ol>'
        if items
        else '<p class="muted">No milestones: the goal counts as done when you mark '
        f"goal:{esc(g['id'])} done.</p>"
    )
    return (
        f'<article class="card goal" id="goal-{esc(g["id"])}">\n'
        f'<div class="card-head"><h3>{esc(g["title"])}</h3>'
        f'<span class="badge {esc(g["state"])}">{esc(STATE_LABELS[g["state"]])}</span></div>\n'
        f'<p class="meta">by {esc(g["by"])} ({esc(left)}) · {g["done"]}/{g["total"]} milestones '
        f"done · {esc(expected)}</p>\n"
        f'<p class="pace {esc(tone)}">{esc(sentence[0].upper() + sentence[1:])}</p>\n'
        "<figure><figcaption>Timeline: ✓ done, ▲ overdue, ○ upcoming</figcaption>\n"
        f'<div class="scroll">{timeline(g, axis)}</div></figure>\n'
        "<figure><figcaption>Burn-up: milestones done against the expected road</figcaption>\n"
        f'<div class="scroll">{burnup(g, axis)}</div>\n'
        '<ul class="legend"><li class="key-road">expected (the road)</li>'
        '<li class="key-done">done</li><li class="key-forecast">forecast at this pace</li>'
        '<li class="key-asof">as of</li><li class="key-deadline">deadline</li></ul></figure>\n'
        f"{milestone_list}\n</article>"
    )


def _milestone(n: int, m: dict) -> str:
    state = m["state"]
    if state == "done":
        note = f"done {m['done_on']} · due {m['due']}"
    elif state == "overdue":
        note = f"due {m['due']} · {days(m['days_late'])} late"
    else:
        note = f"due {m['due']}"
    return (
        f'<li value="{n}"><span class="mark {state}" aria-hidden="true">{MARKS[state]}</span>'
        f'<span class="state-text {state}">{state}</span> {esc(m["title"])} '
        f'<span class="when">{esc(note)}</span></li>'
    )


def _overdue(doc: dict) -> str:
    if not doc["overdue_items"]:
        return ""
    rows = [
        [
            (esc(o["title"]), ""),
            (esc(o["due"]), "d"),
            (esc(o["kind"]), ""),
            (esc(days(o["days_late"])) + " late", "n late"),
        ]
        for o in doc["overdue_items"]
    ]
    table = _table(("What", "Due", "Kind", "Late"), rows)
    return f'<section id="overdue">\n<h2>Overdue</h2>\n{table}\n</section>'


def _table(headers: tuple[str, ...], rows: list[list[tuple[str, str]]]) -> str:
    """A table of (markup, class) cells; each cell carries its column's name, so on a phone
    each row becomes a small card of labelled values."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{cls}" data-label="{esc(h)}">{cell}</td>'
            if cls
            else f'<td data-label="{esc(h)}">{cell}</td>'
            for h, (cell, cls) in zip(headers, row, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="table-wrap"><table class="stack"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _recurring(doc: dict, as_of: dt.date) -> str:
    recurring = doc["recurring"]
    if not recurring:
        return (
            '<section id="habits"><h2>Habits, contacts and reviews</h2>'
            '<p class="muted">The plan has no habits, contacts or reviews.</p></section>'
        )
    a = doc["adherence"]
    summary = (
        f"{a['done']} of {a['due']} occurrences due so far are done ({a['rate']:.0%}), "
        f"{a['missed']} missed."
        if a["due"]
        else "None due yet."
    )
    table = _table(
        ("What", "Every", "Done", "Rate", "Streak", "Best", "Last done", "Next"),
        [_recurring_row(r) for r in recurring],
    )
    years = []
    for year in heat_years(recurring, as_of):
        strips = "".join(
            f'<div class="heat-row"><div class="who">{esc(r["title"])}'
            f"<small>{esc(r['kind'])} · {esc(_rate(r))}</small></div>{svg}</div>"
            for r, svg in year.strips
        )
        years.append(
            f'<div class="heat-year"><h3>{esc(year.label)}</h3>'
            f'<div class="heat-row months"><div></div>{heat_months(year.first, year.last)}</div>'
            f"{strips}</div>"
        )
    return (
        '<section id="habits">\n<h2>Habits, contacts and reviews</h2>\n'
        f"<p>{esc(summary)}</p>\n{table}\n"
        '<h3 class="sub">Every occurrence</h3>'
        '<ul class="legend"><li class="key-cell-done">done</li>'
        '<li class="key-cell-missed">missed</li><li class="key-cell-upcoming">upcoming</li>'
        '<li class="key-asof">as of</li></ul>\n' + "\n".join(years) + "\n</section>"
    )


def _rate(r: dict) -> str:
    if not r["due"]:
        return f"starts {r['first']}"
    return f"{r['done']}/{r['due']} done, {r['rate']:.0%}, streak {r['streak']}"


def _recurring_row(r: dict) -> list[tuple[str, str]]:
    rate = f"{r['rate']:.0%}" if r["rate"] is not None else "–"
    return [
        (f'{esc(r["title"])} <span class="muted">({esc(r["kind"])})</span>', ""),
        (esc(r["every"]), ""),
        (f"{r['done']}/{r['due']}", "n"),
        (rate, "n"),
        (str(r["streak"]), "n"),
        (str(r["best_streak"]), "n"),
        (esc(r["last_done"] or "–"), "d"),
        (esc(r["next"] or "–"), "d"),
    ]


def _skills(doc: dict) -> str:
    if not doc["skill_gaps"]:
        return ""
    cards = []
    for s in doc["skill_gaps"]:
        meter = "".join(
            f'<i class="{"have" if level <= s["now"] else "need" if level <= s["need"] else ""}">'
            "</i>"
            for level in range(1, 6)
        )
        closing = "".join(
            f'<li><span class="mark {"done" if m["done"] else "upcoming"}" aria-hidden="true">'
            f'{"✓" if m["done"] else "○"}</span>{esc(m["title"])} <span class="muted">'
            f"{esc('done ' + m['done_on'] if m['done'] else 'due ' + m['due'])}</span></li>"
            for m in s["closing"]
        )
        cards.append(
            f'<div class="card skill"><h3>{esc(s["skill"])}</h3>'
            f'<p><span class="meter" role="img" aria-label="level {s["now"]} of 5, '
            f'need {s["need"]}">{meter}</span>{s["now"]} → {s["need"]}</p>'
            + (
                f'<p class="muted">{s["milestones_done"]} of {s["milestones_total"]} closing '
                f'milestones done</p><ul class="plain">{closing}</ul>'
                if closing
                else '<p class="late">No milestone closes this gap yet.</p>'
            )
            + "</div>"
        )
    return (
        '<section id="skills">\n<h2>Skill gaps</h2>\n<div class="skills">'
        + "".join(cards)
        + "</div>\n</section>"
    )


def _reviews(doc: dict) -> str:
    reviews = "".join(
        f"<li><strong>{esc(r['date'])}</strong> {esc(r['title'])}</li>" for r in doc["next_reviews"]
    )
    done = "".join(
        f"<li><strong>{esc(c['done_on'])}</strong> {esc(c['title'])}</li>"
        for c in doc["recently_done"]
    )
    parts = [
        f'<div class="card"><h3>{heading}</h3><ul class="plain">{entries}</ul></div>'
        for heading, entries in (("Next reviews", reviews), ("Recently done, well done", done))
        if entries
    ]
    if not parts:
        return ""
    return (
        '<section id="next">\n<h2>Next reviews and recent wins</h2>\n<div class="two">'
        + "".join(parts)
        + "</div>\n</section>"
    )
