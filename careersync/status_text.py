"""The text view of ``status``: presents what :func:`careersync.progress.compute` worked out.

Lines are lists of (text, style) spans, so the same view prints plain (piped, ``NO_COLOR``) or with
colour and emphasis on a terminal. A terminal gets the escape codes rich would write for the
styles used here (a test holds the two to the same bytes), written directly: importing rich costs
``status`` about 15 ms, a quarter of its start-up. On Windows rich prints, as it knows how to make a
console show colour there.
"""

from __future__ import annotations

import os
from typing import TextIO

Span = tuple[str, str]
Line = list[Span]

STATE_STYLES = {
    "done": "bold green",
    "ahead": "green",
    "on-track": "cyan",
    "behind": "yellow",
    "overdue": "bold red",
}
TONE_STYLES = {"good": "green", "warn": "yellow", "bad": "red", "neutral": "dim"}
#: each word of a style as its ANSI SGR code
SGR = {"bold": 1, "dim": 2, "underline": 4, "red": 31, "green": 32, "yellow": 33, "cyan": 36}


def lines(doc: dict, width: int = 20) -> list[Line]:
    """Goals by deadline, overdue items, habits/contacts/reviews, the next 14 days, the next
    review, skill gaps and what was recently done."""
    out: list[Line] = [
        [("Status as of ", "bold"), (doc["as_of"], "bold"), (f": {doc['plan']['title']}", "")],
    ]
    if doc["goals"]:
        out += [[], [("Goals, by deadline:", "bold underline")]]
    for g in doc["goals"]:
        out += _goal(g, doc, width)
    if doc["overdue_items"]:
        out += [[], [("Overdue:", "bold red")]]
        out += [
            [
                (f"  {o['due']}  ", ""),
                (o["title"], "bold"),
                (f"  {days(o['days_late'])} late", "red"),
                (f"  [{o['uid']}]", "dim"),
            ]
            for o in doc["overdue_items"]
        ]
    if doc["recurring"]:
        out += [[], _adherence(doc["adherence"])]
        for r in doc["recurring"]:
            out += _recurring(r, width)
    if doc["upcoming"]:
        out += [[], [("Next 14 days:", "bold underline")]]
        out += [
            [
                (f"  {i['due']}  {i['title']}", ""),
                ("  ✓" if i["done"] else "", "green"),
                (f"  [{i['uid']}]", "dim"),
            ]
            for i in doc["upcoming"]
        ]
    if doc["next_review"]:
        out += [
            [],
            [
                ("Next review: ", "bold"),
                (doc["next_review"]["date"], "bold"),
                (f"  [{doc['next_review']['uid']}]", "dim"),
            ],
        ]
    if doc["skill_gaps"]:
        out += [[], [("Skill gaps:", "bold underline")]]
        for s in doc["skill_gaps"]:
            out += _skill_gap(s)
    if doc["recently_done"]:
        out += [[], [("Recently done, well done:", "bold green")]]
        out += [
            [(f"  {c['done_on']}  ", ""), (c["title"], "green"), (f"  [{c['uid']}]", "dim")]
            for c in doc["recently_done"]
        ]
    return out


def render(doc: dict, width: int = 20) -> str:
    """The view as plain text."""
    return "\n".join("".join(text for text, _ in line) for line in lines(doc, width))


def show(doc: dict, stream: TextIO) -> None:
    """Print the view: styled on a terminal unless ``NO_COLOR`` is set or the terminal is dumb,
    plain otherwise."""
    if not _styled(stream):
        stream.write(render(doc) + "\n")
    elif os.name == "nt":
        _show_with_rich(lines(doc), stream)
    else:
        stream.write("".join(ansi(line) + "\n" for line in lines(doc)))


def ansi(line: Line) -> str:
    """A line with its styles as ANSI escape codes, span by span as rich writes them."""
    out = []
    for text, style in line:
        if style and text:
            codes = ";".join(str(code) for code in sorted(SGR[word] for word in style.split()))
            out.append(f"\x1b[{codes}m{text}\x1b[0m")
        else:
            out.append(text)
    return "".join(out)


def _show_with_rich(view: list[Line], stream: TextIO) -> None:
    """The styled view printed by rich, which turns a Windows console's colour on."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, highlight=False, soft_wrap=True)
    for line in view:
        console.print(Text.assemble(*line))


def _styled(stream: TextIO) -> bool:
    """Whether to style: on a terminal, as rich decides (not under ``NO_COLOR``, nor on a
    terminal that declares it takes no escape codes)."""
    return (
        stream.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")
    )


def _goal(g: dict, doc: dict, width: int) -> list[Line]:
    style = STATE_STYLES[g["state"]]
    sentence, tone = pace_sentence(g, doc)
    filled = round(g["progress"] * width)
    return [
        [("  ", ""), (g["title"], "bold"), (f"  (by {g['by']})", "")],
        [
            ("    ", ""),
            ("█" * filled, style),
            ("░" * (width - filled), "dim"),
            (f" {g['done']}/{g['total']} done, {g['expected']:.0%} expected by now: ", ""),
            (g["state"], style),
        ],
        [("    ", ""), (sentence, TONE_STYLES[tone])],
    ]


def pace_sentence(g: dict, doc: dict) -> tuple[str, str]:
    """One plain sentence on where the pace so far leads, and its tone (good, warn, bad,
    neutral), for a goal of ``doc``."""
    if g["forecast"]:
        spare = g["days_to_spare"]
        where = (
            "on the deadline"
            if spare == 0
            else f"{days(spare)} before the deadline"
            if spare > 0
            else f"{days(-spare)} after the deadline"
        )
        return f"at this pace: {g['forecast']}, {where}", "good" if spare >= 0 else "bad"
    if g["total"] == 0:
        if g["state"] == "done":
            return "done", "good"
        return f"no milestones: mark goal:{g['id']} done when it is", "neutral"
    if g["done"] == g["total"]:
        return f"all {g['total']} milestones done", "good"
    if doc["as_of"] <= doc["plan"]["start"]:
        return f"the plan starts {doc['plan']['start']}: no pace to go on yet", "neutral"
    return "no milestone done yet, so no pace to forecast from", "warn"


def _adherence(a: dict) -> Line:
    head: Line = [("Habits, contacts and reviews:", "bold underline")]
    if not a["due"]:
        return [*head, (" none due yet", "")]
    return [
        *head,
        (f" {a['done']}/{a['due']} done ({a['rate']:.0%})", ""),
        (f", {a['missed']} missed" if a["missed"] else "", "red"),
    ]


def _recurring(r: dict, width: int) -> list[Line]:
    head: Line = [
        ("  ", ""),
        (r["title"], "bold"),
        (f"  ({r['kind']}, every {r['every']})", "dim"),
        (f"  [{r['uid']}]", "dim"),
    ]
    if not r["due"]:
        return [head, [(f"    starts {r['first']}", "")]]
    rate = r["rate"]
    filled = round(rate * width)
    style = "green" if rate >= 0.8 else "yellow" if rate >= 0.5 else "red"
    last = f", last done {r['last_done']}" if r["last_done"] else ", never done yet"
    return [
        head,
        [
            ("    ", ""),
            ("█" * filled, style),
            ("░" * (width - filled), "dim"),
            (f" {r['done']}/{r['due']} done ({rate:.0%})", ""),
            (f", streak {r['streak']}", "bold" if r["streak"] else ""),
            (f", best {r['best_streak']}{last}", ""),
        ],
    ]


def _skill_gap(s: dict) -> list[Line]:
    head: Line = [("  ", ""), (s["skill"], "bold"), (f": {s['now']} -> {s['need']}", "")]
    if not s["closing"]:
        return [[*head, ("  (no milestone closes it yet)", "yellow")]]
    head.append((f"  ({s['milestones_done']}/{s['milestones_total']} milestones done)", ""))
    return [
        head,
        *(
            [
                ("    ", ""),
                ("✓ " if m["done"] else "○ ", "green" if m["done"] else "dim"),
                (m["title"], "green" if m["done"] else ""),
                (f"  done {m['done_on']}" if m["done"] else f"  due {m['due']}", "dim"),
                (f"  [{m['uid']}]", "dim"),
            ]
            for m in s["closing"]
        ),
    ]


def days(n: int) -> str:
    """``n`` days, in words (1 day, 2 days)."""
    return f"{n} day" if n == 1 else f"{n} days"
