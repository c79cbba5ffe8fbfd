"""The user docs stay honest: every plan key, command, option, target option and environment
variable the code knows is documented, every link resolves, and the examples are valid."""

import re
import tomllib
from pathlib import Path

import click
import pytest

from careersync import plan as plan_module
from careersync.cli import cli
from careersync.model import REVIEW_CADENCES
from careersync.plugins import target_types

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def sections(path: Path, level: str) -> dict[str, str]:
    """Heading text -> the text under it, for headings of exactly ``level`` (e.g. "##")."""
    out: dict[str, str] = {}
    heading = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(rf"^{level} ", line):
            heading = line[len(level) + 1 :].strip()
            out[heading] = ""
        elif heading is not None and not re.match(rf"^#{{1,{len(level)}}} ", line):
            out[heading] += line + "\n"
    return out


# the plan format ---------------------------------------------------------------------------

PLAN_TABLES = {
    "`[plan]`": plan_module.PLAN_KEYS,
    "`[self]`": (),
    "`[skills]`": plan_module.SKILL_KEYS,
    "`[goals.<id>]`": plan_module.GOAL_KEYS,
    "`[milestones.<id>]`": plan_module.MILESTONE_KEYS,
    "`[habits.<id>]`": plan_module.RECURRING_KEYS,
    "`[contacts.<id>]`": plan_module.RECURRING_KEYS,
    "`[reviews]`": (*plan_module.REVIEW_KEYS, *REVIEW_CADENCES),
}


def test_every_plan_section_has_its_own_heading():
    headings = sections(DOCS / "plan.md", "##")
    for section in plan_module.SECTIONS:
        assert any(h.startswith(f"`[{section}") for h in headings), section
    assert set(PLAN_TABLES) <= set(headings)


@pytest.mark.parametrize("heading", PLAN_TABLES)
def test_every_plan_key_is_documented_in_its_table(heading):
    text = sections(DOCS / "plan.md", "##")[heading]
    for key in PLAN_TABLES[heading]:
        assert f"`{key}`" in text, f"{heading} does not document `{key}`"


def test_the_plan_reference_example_is_the_shipped_example():
    text = (DOCS / "plan.md").read_text(encoding="utf-8")
    block = text.split("## A complete commented example", 1)[1].split("```toml\n", 1)[1]
    documented = tomllib.loads(block.split("```", 1)[0])
    shipped = tomllib.loads((ROOT / "examples" / "career.toml").read_text(encoding="utf-8"))
    assert documented == shipped
    plan_module.parse(documented)


def test_date_and_recurrence_forms_are_documented():
    text = (DOCS / "plan.md").read_text(encoding="utf-8")
    for form in ('"+10d"', '"+2w"', '"+3m"', '"+1y"', '"2027-06"', "`2027-06-30`"):
        assert form in text
    for form in ("day", "weekday", "week", "2 weeks", "month", "quarter", "half-year", "year"):
        assert f'`"{form}"`' in text
    assert "RRULE:FREQ=" in text


# the command line --------------------------------------------------------------------------


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


@pytest.mark.parametrize(
    ("path", "command"), [pytest.param(p, c, id=" ".join(p)) for p, c in commands()]
)
def test_every_command_and_option_is_in_the_cli_reference(path, command):
    text = sections(DOCS / "cli.md", "##").get(f"`careersync {' '.join(path)}`")
    assert text is not None, f"docs/cli.md has no section for careersync {' '.join(path)}"
    for param in command.params:
        if param.name == "help":
            continue
        if isinstance(param, click.Argument):
            assert param.human_readable_name in text, (path, param.human_readable_name)
        else:
            assert any(f"`{opt}" in text for opt in param.opts), (path, param.opts)


def test_global_options_are_in_the_cli_reference():
    text = sections(DOCS / "cli.md", "##")["Global options and where files are found"]
    for param in cli.params:
        assert any(f"`{opt}" in text for opt in param.opts), param.opts


def test_every_environment_variable_is_documented():
    read = set()
    for path in [*ROOT.glob("careersync/*.py"), *ROOT.glob("plugins/*/*.py")]:
        read |= set(re.findall(r'"(CAREERSYNC_[A-Z_]+)"', path.read_text(encoding="utf-8")))
    assert {"CAREERSYNC_CONFIG", "CAREERSYNC_HOME"} <= read
    text = sections(DOCS / "cli.md", "##")["Environment variables"]
    for name in sorted(read | {"CAREERSYNC_<NAME>_TOKEN", "NO_COLOR"}):
        assert f"`{name}`" in text, name


def test_exit_codes_are_documented():
    text = sections(DOCS / "cli.md", "##")["Exit codes"]
    for code in ("0", "1", "2", "3"):
        assert f"| {code} |" in text


# targets -----------------------------------------------------------------------------------


@pytest.mark.parametrize("plugin", sorted(target_types()))
def test_every_target_option_is_documented(plugin):
    cls = target_types()[plugin]
    pages = sections(DOCS / "targets.md", "##")
    text = next((t for h, t in pages.items() if h.split(":")[0] == plugin), None)
    assert text is not None, f"docs/targets.md has no section for {plugin}"
    example = (ROOT / "careersync" / "config.example.toml").read_text(encoding="utf-8")
    for option in cls.options:
        assert f"| `{option.name}` |" in text, (plugin, option.name)
        assert re.search(rf"^{option.name} = ", example, re.M), (plugin, option.name)
    if cls.install:
        assert cls.install.split("pip install ")[1] in text


def test_every_target_names_its_token_variable():
    text = (DOCS / "targets.md").read_text(encoding="utf-8")
    table = text.split("| plugin | `CAREERSYNC_<NAME>_TOKEN` holds |", 1)[1].split("\n\n", 1)[0]
    for plugin in target_types():
        assert f"| `{plugin}` |" in table, plugin


# links -------------------------------------------------------------------------------------


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {slug(line.lstrip("#")) for line in lines if re.match(r"^#{1,6} ", line)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_resolves_inside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    assert "SPEC" not in text and "../shared" not in text
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        assert linked.is_file(), f"{page.name}: {target} does not exist"
        assert ROOT.resolve() in linked.parents, f"{page.name}: {target} is outside the repository"
        if anchor:
            assert anchor in anchors(linked), f"{page.name}: no heading for #{anchor} in {file}"
