/**
 * Test support: files of the original CodeWorm (test/fixtures/cw, MIT) in a temp git repository
 * with two commits — `codeworm/daemon.py` as of ca3ce30, then as of 1c8540d, the commit that
 * added the Telegram alerts and the dead man's switch (with `codeworm/cli.py` and the console
 * script of pyproject.toml) — so pages about real code have a history.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitAll, git, writeFiles } from './git-repo.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'cw');

/** The console script of the original's pyproject.toml (its `[project.scripts]` table): `codeworm` runs `codeworm.cli:main`. */
const PYPROJECT = '[project]\nname = "codeworm"\n\n[project.scripts]\ncodeworm = "codeworm.cli:main"\n';

/** The fixture file `name` (test/fixtures/cw) as text. */
export async function cwFixture(name: string): Promise<string> {
  return readFile(path.join(FIXTURES, name), 'utf8');
}

/** Create the repository; returns its root. */
export async function cloneCw(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-orig-'));
  await git(dir, ['init', '-q', '-b', 'main']);
  await writeFiles(dir, {
    'codeworm/__init__.py': await cwFixture('codeworm_init.py'),
    'codeworm/core/__init__.py': '',
    'codeworm/core/state.py': await cwFixture('state.py'),
    'codeworm/scheduler/__init__.py': 'from codeworm.scheduler.scheduler import CodeWormScheduler\n',
    'codeworm/scheduler/scheduler.py': await cwFixture('scheduler.py'),
    'codeworm/daemon.py': await cwFixture('daemon.v1.py'),
  });
  await commitAll(dir, 'v1.0.2: add doc type system, Docker infrastructure, and web dashboard', new Date(Date.UTC(2026, 1, 18, 12)));
  await writeFiles(dir, { 'codeworm/daemon.py': await cwFixture('daemon.py'), 'codeworm/analysis/__init__.py': await cwFixture('analysis_init.py'), 'codeworm/analysis/analyzer.py': await cwFixture('analyzer.py'), 'codeworm/analysis/scoring.py': await cwFixture('scoring.py'), 'codeworm/analysis/targets.py': await cwFixture('targets.py'), 'codeworm/analysis/parser.py': await cwFixture('parser.py'), 'codeworm/cli.py': await cwFixture('cli.py'), 'pyproject.toml': PYPROJECT, 'dashboard/__init__.py': '', 'dashboard/backend/__init__.py': '', 'dashboard/backend/api.py': await cwFixture('dashboard_api.py'), 'dashboard/frontend/src/api/hooks/useWebSocket.ts': await cwFixture('useWebSocket.ts.txt') });
  await commitAll(dir, 'feat: add telegram notification on failures and dead man switch', new Date(Date.UTC(2026, 1, 28, 16)));
  return dir;
}
