"""The sync engine: pull completions from every target, then push the plan's differences.

Targets only talk to their service; this module owns diffing, state, dry-run, the delete
guard and the retry policy. One failing target never stops the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields

from careersync.config import TargetConfig
from careersync.diff import Changes, Rules, diff
from careersync.errors import CareersyncError, TargetError
from careersync.schedule import Item
from careersync.secrets import redact
from careersync.state import Completion, Mapping, State
from careersync.target import Entry, Op, Remote, Target, expand_occurrences
from careersync.writes import Writer


@dataclass
class Report:
    """What one target's sync did (SPEC section 5's keys, then extras)."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    completed: int = 0
    error: str | None = None
    #: items not written: [{"uid", "reason"}] (the target's other writes went on)
    skipped: list[dict[str, str]] = field(default_factory=list)
    cleared: int = 0
    adopted: int = 0
    #: extra copies of an item removed (two machines created it at the same moment)
    duplicates: int = 0
    recreated: list[str] = field(default_factory=list)
    #: each write made (or, on dry-run, that would be made): [{"action", "uid", "title"}]
    changes: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: requests repeated after a transient failure
    retries: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


def content_hash(item: Item, done: dict[str, dt.date], options: dict) -> str:
    """Identifies everything a target renders for an item, so equal hashes mean no write."""
    return ContentHash(options)(item, done)


class ContentHash:
    """:func:`content_hash` for one target's options, which are encoded once.

    The document is the one ``dataclasses.asdict`` gave (stored hashes stay valid): its keys
    sorted, so ``done``, ``item`` and ``options`` are encoded apart and joined in that order.
    """

    def __init__(self, options: dict) -> None:
        self.tail = f', "options": {_ENCODE(options)}}}'

    def __call__(self, item: Item, done: dict[str, dt.date]) -> str:
        values = dict(zip(_HASHED, _hashed_values(item)))  # noqa: B905 (same length)
        marks = _ENCODE(sorted(done.items())) if done else "[]"
        blob = f'{{"done": {marks}, "item": {_ENCODE_FLAT(values)}{self.tail}'
        return hashlib.sha256(blob.encode()).hexdigest()[:32]


_ENCODE = json.JSONEncoder(sort_keys=True, default=str).encode
#: for a dict whose keys are already in order and whose values hold no dict: the same text
#: as ``_ENCODE`` without sorting (a third of a large first sync's hashing time)
_ENCODE_FLAT = json.JSONEncoder(default=str).encode
#: the fields a content hash covers, sorted (``dates`` is implied by rule and until)
_HASHED = tuple(sorted(f.name for f in fields(Item) if f.name != "dates"))
_hashed_values = operator.attrgetter(*_HASHED)


def completion_keys(items: Iterable[Item]) -> dict[str, Item]:
    """Every key a completion may have: one-off uids and each occurrence's ``uid@date``."""
    keys: dict[str, Item] = {}
    for item in items:
        if item.recurring:
            for day in item.dates:
                keys[f"{item.uid}@{day.isoformat()}"] = item
        else:
            keys[item.uid] = item
    return keys


class Engine:
    def __init__(
        self,
        items: list[Item],
        state: State,
        *,
        today: dt.date,
        dry_run: bool = False,
        force: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.items = items
        self.state = state
        self.today = today
        self.dry_run = dry_run
        self.force = force
        self.progress = progress or (lambda name, done, total: None)
        self.keys = completion_keys(items)
        self.completions = state.completions()
        #: each target's mappings as its pull read them (the pull changes completions only)
        self.mappings: dict[str, dict[str, Mapping]] = {}

    # pull --------------------------------------------------------------------------------

    def pull(self, name: str, target: Target, report: Report) -> list[Remote]:
        """Read the target and apply what it says is done (or no longer done) to the state."""
        remotes = target.context.retry(target.pull)
        mappings = self.mappings[name] = self.state.mappings(name)
        shown: dict[str, set[str]] = defaultdict(set)
        present = {remote.uid for remote in remotes if not remote.partial}
        for remote in remotes:
            if not remote.done:
                continue  # most items: nothing done there, nothing to look up
            own = _own_marks(mappings, remote.uid)
            for key, day in remote.done.items():
                shown[remote.uid].add(key)
                if key in self.completions or key in own or key not in self.keys:
                    continue
                completion = Completion(key, day or self.today, name)
                self.completions[key] = completion
                report.completed += 1
                if not self.dry_run:
                    self.state.add_completion(completion)
        for key, completion in list(self.completions.items()):
            carrier = _carrier(key, present)
            if completion.source != name or carrier is None or key in shown[carrier]:
                continue
            del self.completions[key]
            report.cleared += 1
            if not self.dry_run:
                self.state.clear_completion(key)
        return remotes

    # diff --------------------------------------------------------------------------------

    def desired(
        self,
        cfg: TargetConfig,
        options: dict,
        occurrences_shown: bool = True,
        horizon: int | None = None,
    ) -> list[Entry]:
        done_by_item: dict[str, dict[str, dt.date]] = defaultdict(dict)
        for key, completion in self.completions.items():
            done_by_item[key.split("@", 1)[0]][key] = completion.done_on
            if "@" in key:  # an occurrence sent as an item of its own (occurrence_horizon)
                done_by_item[key][key] = completion.done_on
        out = []
        hashed = ContentHash(options)
        items = (
            self.items if horizon is None else expand_occurrences(self.items, self.today, horizon)
        )
        for item in items:
            if item.kind not in cfg.include:
                continue
            done = done_by_item.get(item.uid, {})
            shown = done if occurrences_shown else {k: v for k, v in done.items() if "@" not in k}
            out.append(Entry(item, done, hashed(item, shown)))
        return out

    # push --------------------------------------------------------------------------------

    def push(self, name: str, target: Target, plan: Changes, total: int, report: Report) -> None:
        deletes = plan.deletes
        if deletes and not self.force and (len(deletes) == total or len(deletes) * 2 > total):
            shown = ", ".join(op.uid for op in deletes[:10])
            more = f" and {len(deletes) - 10} more" if len(deletes) > 10 else ""
            raise TargetError(
                f"would delete {len(deletes)} of its {total} items ({shown}{more}); nothing was "
                "written. If the plan really dropped them, run `careersync sync --force`"
            )
        report.unchanged = plan.unchanged
        report.recreated = plan.recreated
        report.adopted = len(plan.adopt)
        if self.dry_run:
            for op in plan.ops:
                _count(report, op, plan)
            return
        self.state.put_mappings(name, plan.adopt, plan.forget)
        recorded: list[Mapping] = []
        dropped: list[str] = []
        kept = {o.uid for o in plan.ops if o.action != "delete"}
        done_ops: list[Op] = []
        writer = Writer(target, target.context.retry)
        for number, outcome in enumerate(writer.run(plan.ops), start=1):
            op = outcome.op
            if outcome.skipped is not None:
                report.skipped.append({"uid": op.uid, "reason": outcome.skipped})
            elif op.action == "delete":
                if op.uid not in kept:
                    dropped.append(op.uid)
            else:
                assert op.entry is not None
                written = outcome.hash or op.entry.hash
                marks = frozenset(op.entry.done)
                recorded.append(Mapping(op.uid, str(outcome.remote_id), written, marks))
            if outcome.skipped is None:
                done_ops.append(op)
            if not target.batched:
                self.state.put_mappings(name, recorded, dropped)
                recorded, dropped = [], []
            self.progress(name, number, len(plan.ops))
        target.context.retry(target.commit, safe=False)
        if target.batched:
            self.state.put_mappings(name, recorded, dropped)
        for op in done_ops:
            _count(report, op, plan)

    def sync_target(
        self,
        name: str,
        target: Target,
        cfg: TargetConfig,
        options: dict,
        remotes: list[Remote],
        report: Report,
    ) -> None:
        shown = target.shows_occurrences_done
        horizon = target.occurrence_horizon()
        entries = self.desired(cfg, target.rendering(options), shown, horizon)
        rules = Rules(target.shows_done, shown, target.same)
        plan = diff(self.mappings[name], entries, remotes, rules)
        self.push(name, target, plan, len(remotes), report)


def _carrier(key: str, present: set[str]) -> str | None:
    """The remote item that shows whether ``key`` is done: the occurrence's own item on a
    target that sends one per occurrence, else the item (series) it belongs to."""
    if key in present:
        return key
    parent = key.split("@", 1)[0]
    return parent if parent in present else None


def _own_marks(mappings: dict[str, Mapping], uid: str) -> frozenset[str]:
    """The done marks careersync itself wrote on the item ``uid`` (or on its series)."""
    marks = mappings[uid].done_marks if uid in mappings else frozenset()
    parent = uid.split("@", 1)[0]
    if parent != uid and parent in mappings:
        marks |= mappings[parent].done_marks
    return marks


_COUNTER = {"create": "created", "update": "updated", "delete": "deleted"}


def _count(report: Report, op: Op, plan: Changes) -> None:
    if op.remote_id in plan.duplicates:
        report.duplicates += 1
        return
    setattr(report, _COUNTER[op.action], getattr(report, _COUNTER[op.action]) + 1)
    title = op.entry.item.title if op.entry is not None else ""
    report.changes.append({"action": op.action, "uid": op.uid, "title": title})


def run(
    items: list[Item],
    targets: list[tuple[TargetConfig, Target | CareersyncError, dict]],
    state: State,
    *,
    today: dt.date,
    dry_run: bool = False,
    force: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    secrets: Callable[[str], str | None] = lambda name: None,
) -> dict[str, Report]:
    """Sync every target: pull all first, then push each. Errors are reported per target."""
    engine = Engine(items, state, today=today, dry_run=dry_run, force=force, progress=progress)
    reports = {cfg.name: Report() for cfg, _, _ in targets}
    pulled: dict[str, list[Remote]] = {}
    for cfg, target, _ in targets:
        if isinstance(target, CareersyncError):
            reports[cfg.name].error = str(target)
            continue
        try:
            pulled[cfg.name] = engine.pull(cfg.name, target, reports[cfg.name])
        except Exception as exc:
            reports[cfg.name].error = describe_failure(exc, secrets(cfg.name))
    for cfg, target, options in targets:
        if cfg.name not in pulled or isinstance(target, CareersyncError):
            continue
        try:
            engine.sync_target(cfg.name, target, cfg, options, pulled[cfg.name], reports[cfg.name])
        except Exception as exc:
            reports[cfg.name].error = describe_failure(exc, secrets(cfg.name))
    for cfg, target, _ in targets:
        report = reports[cfg.name]
        secret = secrets(cfg.name)
        report.skipped = [{**s, "reason": redact(s["reason"], secret)} for s in report.skipped]
        if not isinstance(target, CareersyncError):
            report.retries = target.context.retry.retries
            report.warnings = [redact(w, secret) for w in target.context.notes]
    return reports


def describe_failure(exc: Exception, secret: str | None) -> str:
    """A target's failure as one line for the user, with any token redacted."""
    if isinstance(exc, CareersyncError):
        return redact(str(exc), secret)
    return redact(f"unexpected {type(exc).__name__}: {exc}", secret)
