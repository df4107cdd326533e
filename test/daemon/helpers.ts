/** Shared pieces of the daemon tests: real config dirs, a scripted provider, recording alerts. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadSettings } from '../../src/config/load.ts';
import type { Settings } from '../../src/config/schema.ts';
import { createLogger, type Logger } from '../../src/core/logger.ts';
import type { HealthStatus, LlmProvider } from '../../src/llm/types.ts';
import { Notifier } from '../../src/notify/notifier.ts';
import type { Alert } from '../../src/notify/types.ts';
import { openStateDb, type Db } from '../../src/state/db.ts';

export interface TempConfig {
  dir: string;
  settings: Settings;
  db: Db;
  writeRepos(names: string[]): Promise<void>;
  writeRaw(file: string, text: string): Promise<void>;
  load(): Promise<Settings>;
  cleanup(): Promise<void>;
}

/** A config dir in a temp folder with `config.yaml` (given YAML) and repos `names`. */
export async function tempConfig(configYaml: string, names: string[] = ['alpha']): Promise<TempConfig> {
  const dir = await mkdtemp(path.join(tmpdir(), 'codeworm-daemon-'));
  await writeFile(path.join(dir, 'config.yaml'), `data_dir: data\ndevlog:\n  repo_path: devlog\n${configYaml}`);
  const writeRepos = async (list: string[]): Promise<void> => {
    for (const n of list) await mkdir(path.join(dir, 'repos', n), { recursive: true });
    await writeFile(
      path.join(dir, 'repos.yaml'),
      `repositories:\n${list.map((n) => `  - name: ${n}\n    path: repos/${n}\n    weight: 5\n`).join('')}`,
    );
  };
  await writeRepos(names);
  const load = () => loadSettings(dir, { env: {} });
  const settings = await load();
  const db = openStateDb(settings.data_dir);
  return {
    dir,
    settings,
    db,
    writeRepos,
    writeRaw: (file, text) => writeFile(path.join(dir, file), text),
    load,
    cleanup: async () => {
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A provider whose health follows `healthy()`; generation is not used by fake cycles. */
export function scriptedProvider(healthy: () => boolean): LlmProvider & { checks: number } {
  const p = {
    name: 'ollama' as const,
    model: 'fake-model',
    checks: 0,
    async health(): Promise<HealthStatus> {
      p.checks++;
      const ok = healthy();
      return { ok, url: 'http://fake-llm', detail: ok ? 'ok' : 'connection refused', modelPresent: ok ? true : null };
    },
    async prewarm() {},
    async generate(): Promise<never> {
      throw new Error('fake provider: not used');
    },
  };
  return p;
}

/** A notifier whose only channel records alerts (no rate limit to speak of). */
export function recordingNotifier(): { notifier: Notifier; alerts: Alert[] } {
  const alerts: Alert[] = [];
  const notifier = new Notifier({
    channels: [{ name: 'record', send: async (a: Alert) => void alerts.push(a) }],
    ratePerSecond: 1e6,
    burst: 1e6,
  });
  return { notifier, alerts };
}

/** A logger writing JSON lines into memory. */
export function memoryLogger(): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      out += chunk.toString();
      done();
    },
  });
  return {
    logger: createLogger({ stream, debug: true }),
    text: () => out,
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
