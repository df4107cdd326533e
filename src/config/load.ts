/**
 * Loading the configuration directory: `config.yaml`, `repos.yaml`, `prompts.yaml`, with
 * `CODEWORM_` environment overrides (`__` nests: `CODEWORM_OLLAMA__MODEL=qwen2.5:7b`) and
 * `~` / `$VAR` expansion in paths. Compatible with the Python CodeWorm's files (SPEC section 5).
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { ZodError, ZodTypeAny } from 'zod';
import {
  ConfigSchema,
  DEFAULT_TYPE_WEIGHTS,
  PromptsFileSchema,
  ReposFileSchema,
  type DocType,
  type Settings,
} from './schema.ts';

/** A configuration problem a user can fix; the CLI prints `message` and exits with code 2. */
export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Expand a leading `~` and `$VAR` / `${VAR}` references.
 * Unknown variables are left as written so the error names them.
 */
export function expandPath(p: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = p.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a?: string, b?: string) => env[a ?? b ?? ''] ?? whole);
  if (out === '~' || out.startsWith('~/')) out = path.join(homedir(), out.slice(1));
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list (${JSON.stringify(value).slice(0, 60)})`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, keyPath: (string | number)[]): unknown {
  let cur: unknown = root;
  for (const k of keyPath) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

function formatZodError(file: string, raw: unknown, err: ZodError): string {
  const lines = err.issues.map((issue) => {
    const key = issue.path.join('.') || '(top level)';
    const found = valueAt(raw, issue.path);
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? `${key}.` : '';
      return `${file}: unknown key ${issue.keys.map((k) => `"${where}${k}"`).join(', ')}; expected one of the documented keys`;
    }
    return `${file}: key "${key}": ${issue.message}; found ${describe(found)}`;
  });
  return lines.join('\n');
}

async function readYaml(file: string, required = false): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      if (required) throw new ConfigError(`${file}: missing; a reload needs the whole configuration (the previous one stays in force)`);
      return {};
    }
    throw new ConfigError(`${file}: cannot be read (${(err as Error).message})`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    const where = pos ? `line ${pos.line}, column ${pos.col}` : 'unknown position';
    throw new ConfigError(`${file}: invalid YAML at ${where}: ${e.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${file}: expected a mapping at the top level; found ${describe(value)}`);
  }
  return value;
}

/** Parse an environment value: YAML scalars so `true`, `42`, `[9, 10]` get their types. */
function parseEnvValue(v: string): unknown {
  try {
    const doc = parseDocument(v);
    if (doc.errors.length === 0) return doc.toJS();
  } catch {
    // fall through: the raw string is the value
  }
  return v;
}

/**
 * Apply `CODEWORM_A__B=value` overrides onto a raw config object (mutates and returns it).
 * Keys are lower-cased; `__` separates nesting levels.
 */
export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('CODEWORM_') || value === undefined) continue;
    const keys = name.slice('CODEWORM_'.length).toLowerCase().split('__').filter(Boolean);
    if (keys.length === 0) continue;
    let cur = raw;
    for (const k of keys.slice(0, -1)) {
      const next = cur[k];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
      cur = cur[k] as Record<string, unknown>;
    }
    cur[keys[keys.length - 1]] = parseEnvValue(value);
  }
  return raw;
}

function validate<S extends ZodTypeAny>(schema: S, file: string, raw: unknown): S['_output'] {
  const res = schema.safeParse(raw);
  if (!res.success) throw new ConfigError(formatZodError(file, raw, res.error));
  return res.data;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Check that every enabled repository path exists and is a directory (default true). */
  checkRepoPaths?: boolean;
  /**
   * A reload (SIGHUP): `config.yaml` and `repos.yaml` must exist, and `data_dir`,
   * `devlog.repo_path` and `repositories` must be stated, not filled in by defaults, so a
   * truncated or deleted file is refused instead of sending the daemon elsewhere.
   */
  reload?: boolean;
}

/**
 * Directories CodeWorm must never write to or crawl: the root, the system's own trees and the
 * kernel's pseudo-file systems (anything under `/proc`, `/sys`, `/dev` too).
 */
const SYSTEM_DIRS = ['/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/run', '/sbin', '/sys', '/usr', '/var', '/snap'];
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

/**
 * Why `p` (absolute) must not be used as a data directory, DevLog or repository, or null.
 * Source: issue 11 (`path: "/"` filled the cache with 393 MB; `data_dir: /proc/nope` spun).
 */
export function systemPathProblem(p: string): string | null {
  const abs = path.resolve(p);
  if (SYSTEM_DIRS.includes(abs)) return `${abs} is ${abs === '/' ? 'the file system root' : 'a system directory'}`;
  if (abs === homedir()) return `${abs} is your whole home directory`;
  for (const fs of PSEUDO_FS) if (abs.startsWith(`${fs}/`)) return `${abs} is inside ${fs}, a kernel pseudo-file system`;
  return null;
}

/**
 * Load and validate a configuration directory. A missing directory or missing files mean
 * defaults (so `codeworm analyze` works without any config).
 * @throws ConfigError naming the file, the key, what was expected and what was found.
 */
export async function loadSettings(configDir: string, opts: LoadOptions = {}): Promise<Settings> {
  const env = opts.env ?? process.env;
  const dir = path.resolve(expandPath(configDir, env));
  const configFile = path.join(dir, 'config.yaml');
  const reposFile = path.join(dir, 'repos.yaml');
  const promptsFile = path.join(dir, 'prompts.yaml');

  const rawConfig = applyEnvOverrides((await readYaml(configFile, opts.reload)) as Record<string, unknown>, env);
  if (opts.reload) {
    const devlog = rawConfig.devlog as Record<string, unknown> | undefined;
    if (rawConfig.data_dir === undefined) throw new ConfigError(`${configFile}: key "data_dir" missing; a reload needs it stated (the previous configuration stays in force)`);
    if (devlog?.repo_path === undefined) throw new ConfigError(`${configFile}: key "devlog.repo_path" missing; a reload needs it stated (the previous configuration stays in force)`);
  }
  const config = validate(ConfigSchema, configFile, rawConfig);
  const reposRaw = await readYaml(reposFile, opts.reload);
  if (opts.reload && (reposRaw as Record<string, unknown>).repositories === undefined) {
    throw new ConfigError(`${reposFile}: key "repositories" missing; a reload needs it stated (the previous configuration stays in force)`);
  }
  const repos = validate(ReposFileSchema, reposFile, reposRaw);
  const prompts = validate(PromptsFileSchema, promptsFile, await readYaml(promptsFile));

  const resolveFromDir = (p: string) => path.resolve(dir, expandPath(p, env));
  config.data_dir = resolveFromDir(config.data_dir);
  config.devlog.repo_path = resolveFromDir(config.devlog.repo_path);
  for (const [key, value] of [['data_dir', config.data_dir], ['devlog.repo_path', config.devlog.repo_path]] as const) {
    const problem = systemPathProblem(value);
    if (problem) throw new ConfigError(`${configFile}: key "${key}": ${problem}; choose a directory of its own`);
  }

  const repositories = repos.repositories.map((r) => ({ ...r, path: resolveFromDir(r.path) }));
  const seen = new Set<string>();
  for (const [i, r] of repositories.entries()) {
    if (seen.has(r.name)) {
      throw new ConfigError(`${reposFile}: key "repositories.${i}.name": duplicate repository name; found "${r.name}" twice`);
    }
    seen.add(r.name);
    const problem = r.enabled ? systemPathProblem(r.path) : null;
    if (problem) {
      throw new ConfigError(`${reposFile}: key "repositories.${i}.path": ${problem}, not a source repository (repository "${r.name}")`);
    }
    if (opts.checkRepoPaths === false || !r.enabled) continue;
    const st = await stat(r.path).catch(() => null);
    if (!st || !st.isDirectory()) {
      throw new ConfigError(
        `${reposFile}: key "repositories.${i}.path": expected an existing directory; found ${
          st ? 'a file' : 'nothing'
        } at ${r.path} (repository "${r.name}")`,
      );
    }
  }

  const typeWeights = { ...DEFAULT_TYPE_WEIGHTS, ...(config.documentation.type_weights as Partial<Record<DocType, number>>) };
  return { ...config, configDir: dir, repositories, prompts, typeWeights };
}
