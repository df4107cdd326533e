import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderBlockingMarkdown } from '../../src/analysis/blocking/index.ts';
import { analyze } from './helpers.ts';

const ROOT = path.join(import.meta.dirname, 'fixtures', 'ksi');

/** The fixture as repo-relative path → source (a daemon shaped like the one in seeds/004). */
async function fixtureFiles(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of (await readdir(ROOT, { recursive: true })) as string[]) {
    if (rel.endsWith('.py')) out[rel.split(path.sep).join('/')] = await readFile(path.join(ROOT, rel), 'utf8');
  }
  return out;
}

describe('a daemon shaped like seeds/004', () => {
  it('finds the sync helpers its async handlers call, and the direct subprocess call, nothing else', async () => {
    const r = await analyze(await fixtureFiles());
    assert.deepEqual(
      r.findings.map((f) => `${f.file}:${f.line}-${f.end_line} ${f.kind} ${f.call} [${f.chain.join(' > ')}]`).sort(),
      [
        'ksi_daemon/agent/agent_service.py:18-18 indirect identity_storage_path.parent.mkdir [handle_register > save_identities]',
        'ksi_daemon/agent/agent_service.py:19-20 indirect open [handle_register > save_identities]',
        'ksi_daemon/completion/token_tracker.py:10-11 indirect open [TokenTracker.track_completion > TokenTracker.record > TokenTracker._write_usage]',
        'ksi_daemon/config/config_service.py:9-13 indirect open [handle_set > write_config]',
        'ksi_daemon/core/discovery.py:6-10 direct subprocess.run [search_code]',
        'ksi_daemon/messaging/message_bus.py:14-15 indirect open [MessageBus.publish > MessageBus._log_message]',
      ],
    );
  });
  it('the Markdown report groups them by priority with the excerpt of each location', async () => {
    const files = await fixtureFiles();
    const md = renderBlockingMarkdown(await analyze(files), {
      repoName: 'ksi',
      now: new Date('2025-07-12T00:00:00Z'),
      sourceOf: (f, l, e) => files[f]?.split('\n').slice(l - 1, e).join('\n') ?? null,
    });
    const p1 = md.indexOf('### 1. Priority 1: High Severity');
    const p2 = md.indexOf('### 2. Priority 2: Medium Severity');
    assert.ok(p1 > 0 && p2 > p1, 'high before medium');
    assert.match(md.slice(p1, p2), /\*\*Location:\*\* `ksi_daemon\/core\/discovery\.py:6-10`/);
    assert.match(md.slice(p2), /\*\*Location:\*\* `ksi_daemon\/completion\/token_tracker\.py:10-11`/);
    // the bus logging is awaited by an event handler: hot, so high like the seed's 1.1
    assert.match(md.slice(p1, p2), /```python\nwith open\(log_file, 'a'\) as f:\n {4}f\.write\(json\.dumps\(message\) \+ '\\n'\)\n```/);
    assert.match(md, /\| `ksi_daemon\/completion` \| 1 \| 1 \| 0% \| ❌ Blocking \|/);
  });
});
