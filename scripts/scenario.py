"""ape run scenario: YAML scenario suites (see carbonchain.scenario).

    ape run scenario run scenarios/ -k crash          # validate all, play the matching ones
    ape run scenario new my-story                     # a commented template in scenarios/
    ape run scenario steps                            # every action and expectation
    ape run scenario schema                           # rewrite scenarios/schema.json
"""

import sys

import click

from carbonchain.core.cli import console, network_option
from carbonchain.core.errors import one_line_errors


@click.group()
def cli():
    """Scenario suites: stories as YAML data, played on a local chain with a verdict and a report."""


@cli.command()
@click.argument("targets", nargs=-1)
@click.option("-k", "keyword", default=None, help="Only scenarios whose name, title or tag contains this.")
@click.option("--out", default="reports/scenarios", show_default=True, help="Folder for report.html and junit.xml.")
@click.option("--plain", is_flag=True, help="Send every transaction through Ape one by one (slower; for comparison).")
@click.option("-v", "--verbose", is_flag=True, help="Print every expectation as it is checked.")
@network_option
def run(targets, keyword, out, plain, verbose, network):
    """Validates every file first (nothing runs if one is wrong), then plays each scenario isolated
    (all of them, slow ones included: only the test run leaves those out)."""
    from carbonchain.scenario.cli import run_command

    with one_line_errors():
        ok = run_command(list(targets) or ["scenarios"], keyword=keyword, out=out, fast=not plain,
                         network=network, verbose=verbose, include_slow=True)
    sys.exit(0 if ok else 1)


@cli.command()
@click.argument("name")
@click.option("--folder", default="scenarios", show_default=True)
def new(name, folder):
    """Writes a commented template scenarios/NAME.yaml."""
    from carbonchain.scenario.template import new_scenario

    with one_line_errors():
        console.print(f"wrote {new_scenario(name, folder)}")


@cli.command()
def steps():
    """Lists every action and expectation the domains contribute, with their fields."""
    from carbonchain.scenario.cli import print_steps

    print_steps()


@cli.command()
@click.option("--check", is_flag=True, help="Exit 1 if scenarios/schema.json is out of date instead of writing it.")
def schema(check):
    """Rewrites scenarios/schema.json from the registered steps."""
    from carbonchain.scenario.model import schema_path, schema_text

    text, path = schema_text(), schema_path()
    if check:
        same = path.exists() and path.read_text() == text
        console.print(f"{path}: {'up to date' if same else 'out of date (run ape run scenario schema)'}")
        sys.exit(0 if same else 1)
    path.write_text(text)
    console.print(f"wrote {path}")


@cli.command()
@click.option("--out", default="benchmarks/scenarios.md", show_default=True)
@click.option("--networks", default="ethereum:local:test,ethereum:local:foundry", show_default=True)
@click.option("-k", "keyword", default=None)
def bench(out, networks, keyword):
    """Wall time and tx/s of the library, fast runner and a plain Ape loop, per network."""
    from carbonchain.scenario.bench import run_bench

    with one_line_errors():
        console.print(f"wrote {run_bench(out, networks.split(','), keyword=keyword, log=console.print)}")
