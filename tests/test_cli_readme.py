"""The README documents every command, every option and every setting (a test fails otherwise)."""
import argparse
import re

from letopis.cli import build_parser
from letopis.settings import SETTINGS

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return parser, sub.choices


def test_cli_readme_documents_every_command_with_an_example():
    _, commands = subcommands()
    for name in commands:
        assert f"### letopis {name}\n" in README, f"README has no section for `letopis {name}`"
        section = README.split(f"### letopis {name}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
        assert re.search(rf"^letopis {name}\b", section, re.M) or f"letopis {name} " in section, \
            f"README section for `letopis {name}` has no example"


def test_cli_readme_documents_every_option():
    parser, commands = subcommands()
    missing = []
    for name, p in [("letopis", parser), *commands.items()]:
        for action in p._actions:
            for opt in action.option_strings:
                if opt in ("-h", "--help"):
                    continue
                if not re.search(rf"`[^`]*{re.escape(opt)}(?![\w-])", README):
                    missing.append(f"{name} {opt}")
    assert not missing, f"options not in README.md: {missing}"


def test_cli_readme_documents_every_setting_and_its_variable():
    for s in SETTINGS:
        row = next((l for l in README.splitlines() if l.startswith(f"| `{s.name}` |")), None)
        assert row is not None, f"setting {s.name} is not in the README's settings table"
        assert f"`{s.env}`" in row
