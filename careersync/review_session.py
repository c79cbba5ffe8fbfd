"""The guided review (``careersync review`` on a terminal, SPEC section 7).

It walks the person through what happened since the last review, then asks what to do about
each overdue item and each skill gap, and takes notes. Nothing is written while it asks: the
answers become plan edits (checked as they are given), completions and a journal entry, which the
caller writes only once the person has seen the combined diff and agreed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from careersync import grammar
from careersync.errors import CareersyncError
from careersync.plan_edit import EditRefused, PlanEdit
from careersync.review import Review
from careersync.state import Completion

OVERDUE_CHOICES = ("done", "move", "drop", "keep")
#: the missed dates listed per habit, contact or review (the latest ones)
MISSED_SHOWN = 4


class Prompter(Protocol):
    """How the session talks: rich prompts on a terminal; tests may pass their own."""

    def say(self, text: str = "", style: str | None = None) -> None: ...

    def ask(self, question: str, default: str | None = None) -> str: ...

    def confirm(self, question: str, default: bool) -> bool: ...


class RichPrompter:
    """Questions and answers through rich (imported here: only the review needs it)."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(highlight=False, soft_wrap=True)

    def say(self, text: str = "", style: str | None = None) -> None:
        self.console.print(text, style=style, markup=False)

    def ask(self, question: str, default: str | None = None) -> str:
        from rich.markup import escape
        from rich.prompt import Prompt

        if default is None:
            return Prompt.ask(escape(question), console=self.console)
        return Prompt.ask(escape(question), console=self.console, default=default)

    def confirm(self, question: str, default: bool) -> bool:
        from rich.markup import escape
        from rich.prompt import Confirm

        return Confirm.ask(escape(question), console=self.console, default=default)


@dataclass
class Outcome:
    """What the review decided; written by the caller once the person agrees."""

    completions: list[Completion] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    notes: str = ""

    def empty(self, edit: PlanEdit) -> bool:
        return not (edit.changed or self.completions or self.notes.strip())


def run(review: Review, edit: PlanEdit, prompter: Prompter) -> Outcome:
    """Ask everything; return the outcome (the plan edits are made on ``edit``)."""
    outcome = Outcome()
    _celebrate(review, prompter)
    _missed(review, prompter)
    _overdue(review, edit, prompter, outcome)
    _skills(review, edit, prompter, outcome)
    _upcoming(review, prompter)
    outcome.notes = _notes(prompter)
    for uid in review.due_reviews:
        outcome.completions.append(Completion(uid, review.as_of, "manual"))
        outcome.decisions.append(f"Held {review.title(uid)} ({uid})")
    return outcome


def _celebrate(review: Review, io: Prompter) -> None:
    if review.last_review:
        io.say(
            f"Review as of {review.as_of}, since {review.since} "
            f"(your last review: {review.title(review.last_review)})"
        )
    else:
        io.say(f"Review as of {review.as_of}, since the plan started on {review.since}")
    for uid in review.due_reviews:
        io.say(f"This review counts as the {review.title(uid)} of {review.entries[uid].date}.")
    io.say()
    if review.done_since:
        io.say("Done since then - well done!")
        for c in review.done_since:
            entry = review.entries[c.key]
            when = f" ({entry.date})" if "@" in c.key else ""
            io.say(f"  ✓ {c.done_on}  {entry.title}{when}")
    else:
        io.say("Nothing was recorded done since then; the review is the moment to adapt.")
    streaks = [r for r in review.recurring if r.streak >= 2]
    if streaks:
        io.say("Streaks:")
        for r in streaks:
            io.say(f"  {r.title}: {r.streak} in a row (best {r.best_streak})")
    if review.goals_moved:
        io.say("Goals that moved:")
        for g in review.goals_moved:
            io.say(f"  {g.title}: {g.before:.0%} -> {g.after:.0%} of milestones done ({g.state})")
    io.say()


def _missed(review: Review, io: Prompter) -> None:
    missed = [r for r in review.recurring if r.missed]
    if not missed:
        if review.recurring:
            io.say("Nothing missed: every habit, contact and review since then happened.")
            io.say()
        return
    io.say("Missed since then:")
    for r in missed:
        days = ", ".join(d.isoformat() for d in r.missed[-MISSED_SHOWN:])
        if len(r.missed) > MISSED_SHOWN:
            days = f"{days} and {len(r.missed) - MISSED_SHOWN} before"
        io.say(f"  {r.title}: {r.done} of {r.due} done ({r.rate:.0%}); missed {days}")
    io.say()


def _overdue(review: Review, edit: PlanEdit, io: Prompter, outcome: Outcome) -> None:
    if not review.overdue:
        return
    io.say(f"Overdue ({len(review.overdue)}): for each, mark it done, move it, drop it or keep it.")
    for uid in review.overdue:
        entry = review.entries[uid]
        due = _due_now(edit, uid) if edit.changed else entry.date
        if due is None or due >= review.as_of:
            if due is not None:
                io.say(f"  {entry.title} [{uid}]: now due {due}, after what you moved")
            continue
        late = (review.as_of - due).days
        io.say(f"  {entry.title} [{uid}]: due {due}, {late} day{'s' * (late != 1)} late")
        choices = OVERDUE_CHOICES if entry.kind == "milestone" else ("done", "move", "keep")
        while not _decide(uid, entry.title, choices, review, edit, io, outcome):
            pass
    io.say()


def _due_now(edit: PlanEdit, uid: str) -> dt.date | None:
    """An item's date in the plan as edited so far (an undated milestone follows the ones
    before it), or None when it was dropped."""
    from careersync.schedule import items

    return next((i.date for i in items(edit.plan()) if i.uid == uid), None)


def _decide(
    uid: str,
    title: str,
    choices: tuple[str, ...],
    review: Review,
    edit: PlanEdit,
    io: Prompter,
    outcome: Outcome,
) -> bool:
    """One answer for one overdue item; False to ask again."""
    answer = io.ask(f"  {', '.join(choices[:-1])} or {choices[-1]}?", "keep").strip().lower()
    choice = next((c for c in choices if answer and c.startswith(answer)), None)
    if choice is None:
        io.say(f"  Please answer one of: {', '.join(choices)}.")
        return False
    if choice == "done":
        day = _day(io, "  Done on which day?", review)
        outcome.completions.append(Completion(uid, day, "manual"))
        outcome.decisions.append(f"Done: {title} ({uid}) on {day}")
    elif choice == "move":
        when = io.ask('  New date (2027-06-30, "2027-06" or "+3m")').strip()
        if not when:
            return False
        if not _try(io, lambda: edit.move(uid, when)):
            return False
        new = _due_now(edit, uid)
        shown = when if when == str(new) else f"{when} ({new})"
        outcome.decisions.append(f"Moved {title} ({uid}) to {shown}")
    elif choice == "drop":
        if not _try(io, lambda: edit.drop(uid)):
            return False
        outcome.decisions.append(f"Dropped {title} ({uid})")
    return True


def _day(io: Prompter, question: str, review: Review) -> dt.date:
    while True:
        text = io.ask(question, review.as_of.isoformat())
        try:
            day = grammar.parse_date(text.strip(), review.plan_start)
        except ValueError as exc:
            io.say(f"  {exc}")
            continue
        if day > review.as_of:
            io.say(f"  {day} is after the day of this review ({review.as_of}).")
            continue
        return day


def _try(io: Prompter, edit) -> bool:
    """Make one plan edit; show why it is refused (the plan stays as it was)."""
    try:
        edit()
    except EditRefused as exc:
        io.say("  Refused: that would leave the plan invalid:")
        for line in exc.details:
            io.say(f"    {line}")
        return False
    except CareersyncError as exc:
        io.say(f"  {exc}")
        return False
    return True


def _skills(review: Review, edit: PlanEdit, io: Prompter, outcome: Outcome) -> None:
    if not review.skills:
        return
    io.say("Skill levels, 0 to 5 (Enter keeps the level):")
    for s in review.skills:
        io.say(
            f"  {s.skill}: now {s.now}, need {s.need}; "
            f"{s.milestones_done} of {s.milestones_total} milestones raising it done"
        )
        while True:
            answer = io.ask(f"  {s.skill} level now", str(s.now)).strip()
            if answer.isdigit() and 0 <= int(answer) <= 5:
                break
            io.say("  A level is a whole number from 0 to 5.")
        level = int(answer)
        if level != s.now and _try(io, lambda s=s, level=level: edit.set_skill(s.skill, level)):
            outcome.decisions.append(f"Skill {s.skill}: {s.now} -> {level} (need {s.need})")
    io.say()


def _upcoming(review: Review, io: Prompter) -> None:
    if not review.upcoming:
        return
    if review.next_review:
        io.say(f"Until the next review ({review.next_review.date}):")
    else:
        io.say("Still to come (no review is scheduled after this one):")
    for uid in review.upcoming:
        entry = review.entries[uid]
        io.say(f"  {entry.date}  {entry.title}")
    io.say()


def _notes(io: Prompter) -> str:
    io.say("Notes for your journal: what you learned, what to change (an empty line ends).")
    lines = []
    while line := io.ask("  note"):
        lines.append(line)
    return "\n".join(lines)


def show(outcome: Outcome, edit: PlanEdit, journal_name: str, io: Prompter) -> None:
    """Everything saving would write: the combined diff, the completions, the journal entry."""
    diff = edit.diff()
    if diff:
        io.say(f"Changes to {edit.file.label}:")
        for line in diff.splitlines():
            colour = {"+": "green", "-": "red", "@": "cyan"}.get(line[:1])
            io.say(line, None if line.startswith(("+++", "---")) else colour)
    else:
        io.say(f"No change to {edit.file.label}.")
    for c in outcome.completions:
        io.say(f"Record done: {c.key} on {c.done_on}")
    if outcome.notes.strip() or outcome.decisions:
        what = "your notes and what you decided" if outcome.notes.strip() else "what you decided"
        io.say(f"Add {what} to {journal_name}.")


def save(outcome: Outcome, edit: PlanEdit, record, journal_path: Path, day: dt.date) -> None:
    """Write the plan first (refused, with nothing written, if it is read-only or changed on
    disk since the review read it), then the completions, then the journal."""
    from careersync import journal

    if edit.changed:
        edit.save()
    else:
        edit.file.check_unchanged()
    record(outcome.completions)
    if outcome.notes.strip() or outcome.decisions:
        journal.append(journal_path, journal.entry(day, outcome.notes, outcome.decisions))
