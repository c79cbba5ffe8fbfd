"""Property: on plans with comments, blank lines and odd spacing anywhere, every edit changes
exactly the lines it should, and the edited file holds exactly the edited data."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careersync.plan_edit import PlanEdit
from careersync.plan_file import PlanFile

COMMENT_CHARS = "abcxyz 0123456789[]{}=\"'.,:+-#"
comments = st.text(COMMENT_CHARS, max_size=20).map(lambda t: f"# {t}".rstrip())
trailing = st.one_of(st.just(""), comments.map(lambda c: "   " + c))
indents = st.sampled_from(["", "  ", "\t"])
equals = st.sampled_from([" = ", "=", "  =  "])
by_values = st.sampled_from(['"+3m"', "2027-05-01", '"2027-06"', "'+2m'", '"2027-08-15"'])
new_dates = st.sampled_from(["+5m", "2027-11", "2028-02-29", "+40w", "2027-07-07"])


@dataclass
class Lines:
    """The plan's text, line by line, and where the interesting lines are."""

    lines: list[str] = field(default_factory=list)
    by_line: dict[str, int] = field(default_factory=dict)
    title_line: dict[str, int] = field(default_factory=dict)
    block: dict[str, tuple[int, int]] = field(default_factory=dict)
    skill_line: dict[str, int] = field(default_factory=dict)

    def add(self, *lines: str) -> int:
        self.lines.extend(lines)
        return len(self.lines) - 1


@st.composite
def plans(draw) -> Lines:
    out = Lines()
    out.add(*draw(st.lists(comments, max_size=2)))
    out.add(f"[plan]{draw(trailing)}", f'title = "P"{draw(trailing)}')
    out.add(f"start{draw(equals)}2027-01-04{draw(trailing)}", "")
    out.add(f"[skills]{draw(trailing)}")
    for name in ("sql", "python"):
        body = draw(
            st.sampled_from(["{ now = 1, need = 4 }", "{now=2,need=3}", "{ need = 4 }", "{need=5}"])
        )
        out.skill_line[name] = out.add(f"{name}{draw(equals)}{body}{draw(trailing)}")
    out.add("", "[goals.g]", 'title = "G"', f'by = "+3y"{draw(trailing)}', "")
    for n in range(draw(st.integers(1, 4))):
        mid = f"m{n}"
        first = len(out.lines)
        out.add(*draw(st.lists(comments, max_size=2)))
        out.add(f"[milestones.{mid}]{draw(trailing)}")
        indent = draw(indents)
        out.add(*(indent + c for c in draw(st.lists(comments, max_size=1))))
        out.title_line[mid] = out.add(f'{indent}title{draw(equals)}"M {n}"{draw(trailing)}')
        out.add(*(indent + c for c in draw(st.lists(comments, max_size=1))))
        if draw(st.booleans()):
            value = draw(by_values)
            out.by_line[mid] = out.add(f"{indent}by{draw(equals)}{value}{draw(trailing)}")
        if draw(st.booleans()):
            out.add(f'{indent}effort = "2h"{draw(trailing)}')
        out.block[mid] = (first, out.add("") + 1)
    out.add("[habits.h]", 'title = "H"', 'every = "week"')
    return out


def edit_of(tmp_path, lines: Lines) -> PlanEdit:
    path = tmp_path / "career.toml"
    path.write_text("\n".join(lines.lines) + "\n", encoding="utf-8")
    return PlanEdit(PlanFile.read(path, "career.toml"))


def diff_ops(before: str, after: str) -> list[tuple[str, int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    return [op for op in matcher.get_opcodes() if op[0] != "equal"]


def written(value: str, old: str | None) -> str:
    quoted_day = old is not None and old.startswith('"') and len(old) == 12
    if len(value) == 10 and value[4] == "-" and not quoted_day:
        return value
    return f'"{value}"'


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(lines=plans(), data=st.data())
def test_move_changes_only_the_by_line(tmp_path, lines, data):
    mid = data.draw(st.sampled_from(sorted(lines.title_line)))
    when = data.draw(new_dates)
    edit = edit_of(tmp_path, lines)
    before = edit.text
    edit.move(f"milestone:{mid}", when)
    after = edit.text.splitlines()
    if mid in lines.by_line:
        at = lines.by_line[mid]
        old = lines.lines[at]
        key, _, rest = old.partition("by")
        separator = rest[: len(rest) - len(rest.lstrip(" ="))]
        value = rest[len(separator) :].split(" ")[0]
        comment = rest[len(separator) + len(value) :]
        assert diff_ops(before, edit.text) == [("replace", at, at + 1, at, at + 1)]
        assert after[at] == f"{key}by{separator}{written(when, value)}{comment}"
    else:
        at = lines.title_line[mid] + 1
        indent = lines.lines[at - 1][: len(lines.lines[at - 1]) - len(lines.lines[at - 1].lstrip())]
        assert diff_ops(before, edit.text) == [("insert", at, at, at, at + 1)]
        assert after[at] == f"{indent}by = {written(when, None)}"
    expected = tomllib.loads(before)
    expected["milestones"][mid]["by"] = tomllib.loads(f"v = {written(when, None)}")["v"]
    if mid in lines.by_line and written(when, value).startswith('"'):
        expected["milestones"][mid]["by"] = when
    assert tomllib.loads(edit.text) == expected


@SETTINGS
@given(lines=plans(), data=st.data())
def test_drop_removes_exactly_the_block(tmp_path, lines, data):
    mid = data.draw(st.sampled_from(sorted(lines.block)))
    edit = edit_of(tmp_path, lines)
    before = edit.text
    edit.drop(f"milestone:{mid}")
    first, end = lines.block[mid]
    assert edit.text.splitlines() == lines.lines[:first] + lines.lines[end:]
    expected = tomllib.loads(before)
    del expected["milestones"][mid]
    assert tomllib.loads(edit.text) == {k: v for k, v in expected.items() if v != {}}


@SETTINGS
@given(lines=plans(), data=st.data())
def test_skill_changes_only_its_line(tmp_path, lines, data):
    name = data.draw(st.sampled_from(sorted(lines.skill_line)))
    level = data.draw(st.integers(0, 5))
    edit = edit_of(tmp_path, lines)
    before = edit.text
    edit.set_skill(name, level)
    at = lines.skill_line[name]
    expected = tomllib.loads(before)
    expected["skills"][name]["now"] = level
    assert tomllib.loads(edit.text) == expected
    ops = diff_ops(before, edit.text)
    if ops:
        assert ops == [("replace", at, at + 1, at, at + 1)]
        old, new = lines.lines[at], edit.text.splitlines()[at]
        comment = old[old.index("}") + 1 :]
        assert new.startswith(f"{name}") and new.endswith("}" + comment)
        assert "{" in new and new.count("now") == 1
