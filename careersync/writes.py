"""Applying one target's writes: retried per request, verified when their outcome is unknown,
and skipped one by one when a single item cannot be written (SPEC section 6).

A write whose answer was lost (a timeout, a 5xx after the service may have applied it) is never
repeated blindly: the target is asked for the item (:meth:`Target.find`) and the write is
repeated only when it did not take effect, so nothing is created twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from careersync.errors import AuthError, TargetError, TransientError
from careersync.retry import Retrier, Unreachable
from careersync.target import Op, Remote, Target


@dataclass(frozen=True)
class Outcome:
    """What became of one write: the remote id it produced, or why the item was skipped."""

    op: Op
    remote_id: str | None = None
    skipped: str | None = None
    #: the content hash now on the target (None: the one the engine asked for)
    hash: str | None = None


def keep_first(remotes: list[Remote]) -> Remote:
    """Of several remote items carrying one uid, the one to keep: a done one, else the
    oldest, else the lowest id, so every machine picks the same one."""
    return min(remotes, key=lambda r: (not r.done, r.created or "\uffff", r.remote_id))


class Writer:
    """Runs ``ops`` against ``target`` under its retrier."""

    def __init__(self, target: Target, retry: Retrier) -> None:
        self.target = target
        self.retry = retry

    def run(self, ops: list[Op]) -> Iterator[Outcome]:
        """Each write's outcome as it finishes (so the caller records it at once), at most
        ``target.max_workers`` at a time. A failure that stops the target (authorization
        refused, the service unreachable) lets the writes under way finish, then is raised."""
        workers = 1 if self.target.batched else max(1, self.target.max_workers)
        if workers == 1:
            for op in ops:
                yield self.write(op)
            return
        # here: a local target (one worker) never loads the thread pool and logging
        from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

        failure: BaseException | None = None
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = {pool.submit(self.write, op): op for op in ops[:workers]}
            queue = iter(ops[workers:])
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    pending.pop(future)
                    try:
                        outcome = future.result()
                    except Exception as exc:
                        failure = failure or exc
                        continue
                    yield outcome
                    if failure is None and (following := next(queue, None)) is not None:
                        pending[pool.submit(self.write, following)] = following
        if failure is not None:
            raise failure

    def write(self, op: Op) -> Outcome:
        """One write; an item-level refusal skips the item, anything that stops the target
        (authorization, unreachable) is raised."""
        try:
            return self._write(op)
        except (AuthError, Unreachable):
            raise
        except TargetError as exc:
            return Outcome(op, skipped=exc.message)

    def _write(self, op: Op) -> Outcome:
        for _ in range(self.retry.policy.attempts):
            try:
                return Outcome(op, self.retry(lambda: self.target.push(op), safe=False))
            except TransientError:
                done = self._verify(op)
                if done is not None:
                    return done
        raise Unreachable(f"{op.action} of {op.uid}: the outcome stayed unknown; try again later")

    def _verify(self, op: Op) -> Outcome | None:
        """After a write whose outcome is unknown: its outcome if it took effect, else None."""
        found = self.retry(lambda: self.target.find(op.uid))
        if op.action == "delete":
            return None if any(r.remote_id == op.remote_id for r in found) else Outcome(op)
        assert op.entry is not None
        if op.action == "create":
            if not found:
                return None
            kept = keep_first(found)
            return Outcome(op, kept.remote_id, hash=kept.hash)
        current = next((r for r in found if r.remote_id == op.remote_id), None)
        if current is not None and (
            current.hash == op.entry.hash or self.target.same(current, op.entry)
        ):
            return Outcome(op, current.remote_id)
        return None
