/**
 * Click and Typer commands (issue 12, blind review): a parameter whose default the framework
 * gives (an option without `required=True`, a flag, a repeated option, `typer.Option(3)`) shows
 * that default, not "required"; the context `@click.pass_context` passes is said to be Click's.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, staticPage, targetFor, type Fixture } from './support.ts';
import { clickName } from '../../src/llm/providers/cli-options.ts';

// the shapes of the original CodeWorm's cli.py (`run-once`), and a Typer app
const CLI_PY = `import click
from pathlib import Path


@click.group()
def cli():
    """CodeWorm"""


@cli.command("run-once")
@click.option(
    "--devlog",
    type = click.Path(path_type = Path),
    help = "Path to DevLog repository (overrides config)",
)
@click.option(
    "--repo",
    type = (str,
            str),
    multiple = True,
    help = "Add repo as NAME PATH pairs (overrides config)",
)
@click.option(
    "--dry-run",
    is_flag = True,
    help = "Generate docs but don't commit (for testing)",
)
@click.option("--limit", "-n", default = 3, show_default = True)
@click.option("--model", required = True)
@click.option("--verbose/--quiet", help = "Talk more")
@click.argument("target")
@click.pass_context
def run_once(
    ctx: click.Context,
    devlog: Path | None,
    repo: tuple,
    dry_run: bool,
    limit: int,
    model: str,
    verbose: bool,
    target: str,
) -> None:
    """
    Run a single documentation cycle then exit
    """
    print(ctx.obj, devlog, repo, dry_run, limit, model, verbose, target)
`;

const APP_PY = `import typer

app = typer.Typer()


@app.command()
def scan(
    path: str = typer.Argument(...),
    depth: int = typer.Option(3, help = "How deep"),
    name: str = typer.Option(..., "--name"),
    label: str = typer.Option(default = "x"),
    plain: int = 5,
) -> None:
    """Scan a tree"""
    print(path, depth, name, label, plain)
`;

let fx: Fixture;
before(async () => {
  fx = await fixture({ 'cli.py': CLI_PY, 'app.py': APP_PY });
});

const row = (body: string, name: string) => body.split('\n').find((l) => l.startsWith(`| \`${name}\` |`)) ?? '';

test('Click names a parameter by its declaration as Click does', () => {
  assert.equal(clickName(['--dry-run']), 'dry_run');
  assert.equal(clickName(['-n', '--limit']), 'limit');
  assert.equal(clickName(['--verbose/--quiet']), 'verbose');
  assert.equal(clickName(['--out', 'dest']), 'dest');
  assert.equal(clickName(['-X']), 'x');
});

test('Click options show their default (given, None, a flag\'s False, an empty tuple), required ones say so, the context is Click\'s', async () => {
  const { body, ungrounded, contradictions } = await staticPage(fx, await targetFor(fx, 'function_doc', 'run_once'));
  assert.match(row(body, 'devlog'), /\| `None` \(option `--devlog`; Click's default for an option without one\) \|/);
  assert.match(row(body, 'repo'), /\| `\(\)` \(option `--repo`; Click collects repeated options into a tuple/);
  assert.match(row(body, 'dry_run'), /\| `False` \(option `--dry-run`; Click's default for a flag\) \|/);
  assert.match(row(body, 'limit'), /\| `3` \(option `--limit`\) \|/);
  assert.match(row(body, 'model'), /\| required \(option `--model`\) \|/);
  assert.match(row(body, 'verbose'), /\| `False` \(option `--verbose\/--quiet`?/);
  assert.match(row(body, 'target'), /\| required \(argument\) \|/);
  assert.match(row(body, 'ctx'), /passed by Click \(`@click.pass_context`\)/);
  for (const n of ['devlog', 'repo', 'dry_run', 'limit', 'verbose', 'ctx']) assert.doesNotMatch(row(body, n), /\| required/, n);
  assert.equal(contradictions, 0);
  assert.ok(ungrounded.length <= 1, ungrounded.join(', '));
});

test('Typer options show the default typer.Option declares; ... and a bare Argument are required', async () => {
  const { body } = await staticPage(fx, await targetFor(fx, 'function_doc', 'scan'));
  assert.match(row(body, 'depth'), /\| `3` \(`typer.Option`\) \|/);
  assert.match(row(body, 'label'), /\| `"x"` \(`typer.Option`\) \|/);
  assert.match(row(body, 'path'), /\| required \(`typer.Argument`\) \|/);
  assert.match(row(body, 'name'), /\| required \(`typer.Option`\) \|/);
  assert.match(row(body, 'plain'), /\| `5` \|/);
});

test('a union type in the parameter table does not split its row', async () => {
  const { body } = await staticPage(fx, await targetFor(fx, 'function_doc', 'run_once'));
  assert.match(row(body, 'devlog'), /^\| `devlog` \| `Path \\\| None` \| `None`/);
});
