/**
 * A dashboard test world: a config directory, a real SQLite state database and a DevLog folder
 * with real page files, all in a temp directory.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '../../src/config/load.ts';
import type { Settings } from '../../src/config/schema.ts';
import { openStateDb, type Db } from '../../src/state/db.ts';

export interface PageSpec {
  id?: string;
  repo?: string;
  file?: string;
  functionName?: string | null;
  className?: string | null;
  docType?: string;
  /** documented_at as stored (ISO-8601 local time). */
  at?: string;
  /** Markdown body; a default page is written when absent. */
  body?: string;
  /** snippet_path stored in the row; defaults to a file written under the DevLog. */
  snippetPath?: string;
  language?: string | null;
  commit?: string;
}

export interface World {
  root: string;
  devlog: string;
  dataDir: string;
  settings: Settings;
  db: Db;
  addPage(spec?: PageSpec): Promise<string>;
  cleanup(): Promise<void>;
}

/** ISO-8601 local time without zone, like the Python original's `datetime.now().isoformat()`. */
export function localIso(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * The dashboard tests' "now": a fixed local time (Friday 3 July 2026, 15:00), so no test
 * depends on the hour, the date or the time zone it runs in. Pass it to `startDashboard` as
 * `now` (or a {@link runningClock} from it).
 */
// (its year of history starts on a Saturday, 28 June 2025: a partial first week and month)
export const FIXED_NOW = new Date(2026, 6, 3, 15, 0, 0);

/** A clock that starts at `start` and advances with real time (for live, threaded tests). */
export function runningClock(start: Date = FIXED_NOW): () => Date {
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

/** `hour`:00 local time, `n` calendar days before {@link FIXED_NOW}'s date. */
export function daysAgo(n: number, hour = 12): Date {
  const d = FIXED_NOW;
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - n, hour, 0, 0);
}

export async function makeWorld(opts: { token?: string; repos?: string[] } = {}): Promise<World> {
  const root = await mkdtemp(path.join(tmpdir(), 'cw-dash-'));
  const devlog = path.join(root, 'devlog');
  const dataDir = path.join(root, 'data');
  const configDir = path.join(root, 'config');
  await mkdir(devlog, { recursive: true });
  await mkdir(configDir, { recursive: true });
  const repos = opts.repos ?? ['alpha', 'beta'];
  for (const r of repos) await mkdir(path.join(root, 'repos', r), { recursive: true });
  await writeFile(
    path.join(configDir, 'config.yaml'),
    `data_dir: ${dataDir}\ndevlog:\n  repo_path: ${devlog}\ndashboard:\n  token: "${opts.token ?? ''}"\n`,
  );
  await writeFile(
    path.join(configDir, 'repos.yaml'),
    `repositories:\n${repos.map((r) => `  - name: ${r}\n    path: ${path.join(root, 'repos', r)}\n`).join('')}`,
  );
  const settings = await loadSettings(configDir, { env: {} });
  const db = openStateDb(dataDir);
  let n = 0;
  const addPage = async (spec: PageSpec = {}): Promise<string> => {
    n += 1;
    const id = spec.id ?? randomUUID();
    const repo = spec.repo ?? 'alpha';
    const file = spec.file ?? `/src/${repo}/module_${n}.py`;
    const docType = spec.docType ?? 'function_doc';
    const fn = spec.functionName === undefined ? `function_${n}` : spec.functionName;
    let snippetPath = spec.snippetPath;
    if (snippetPath === undefined) {
      snippetPath = `snippets/python/2026-01-01_function-${n}.md`;
      await mkdir(path.dirname(path.join(devlog, snippetPath)), { recursive: true });
      const body =
        spec.body ??
        `# ${fn}\n\n**Type:** Documentation\n**Repository:** ${repo}\n\n---\n\n## Documentation\n\nPage number ${n} explains \`${fn}\`.\n`;
      await writeFile(path.join(devlog, snippetPath), body);
    }
    db.prepare(
      `INSERT INTO documented_snippets (id, source_repo, source_file, function_name, class_name, code_hash, documented_at, snippet_path, git_commit, doc_type)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, repo, file, fn, spec.className ?? null, `hash-${id}`, spec.at ?? localIso(FIXED_NOW), snippetPath, spec.commit ?? 'abc1234', docType);
    if (spec.language !== undefined) {
      db.prepare('INSERT INTO snippet_meta (snippet_id, language, display_name) VALUES (?, ?, ?)').run(id, spec.language, null);
    }
    return id;
  };
  return {
    root,
    devlog,
    dataDir,
    settings,
    db,
    addPage,
    async cleanup() {
      db.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
