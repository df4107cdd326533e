/**
 * Throughput of `backfill` over 1, 2 and 3 LLM hosts (issue 16: "60 pages in at most 25 s with
 * three hosts; one host: at least 60 s"). Each host is an Ollama-protocol fake server that takes
 * DELAY_MS per generation request; a page costs two requests (body and commit message), so
 * 500 ms is 1 s of LLM time per page. The repository is synthetic: PAGES small Python functions.
 * Prints pages, seconds, pages per minute and the speed-up over one host.
 * Run: node --import tsx bench/hosts-bench.ts [PAGES=60] [DELAY_MS=500] [MAX_HOSTS=3]
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '../src/config/load.ts';
import { EventBus } from '../src/core/events.ts';
import { runBatch } from '../src/daemon/batch.ts';
import { CodeIndex } from '../src/index/indexer.ts';
import { HostPool, hostSpecsFromSettings } from '../src/llm/hosts.ts';
import { openStateDb } from '../src/state/db.ts';
import { makeRepo } from '../test/support/git-repo.ts';
import { startFakeLlm } from '../test/support/fake-llm.ts';

const pages = Number(process.argv[2] ?? 60);
const delayMs = Number(process.argv[3] ?? 500);
const maxHosts = Number(process.argv[4] ?? 3);

/** PAGES functions of cyclomatic complexity 7, ten per file. */
const files: Record<string, string> = {};
for (let i = 0; i < pages; i++) {
  const f = `pkg/mod${Math.floor(i / 10)}.py`;
  files[f] =
    (files[f] ?? '') +
    `def compute_${i}(items, limit, scale):\n    total = 0\n    for x in items:\n        if x is None:\n            continue\n        if x > limit:\n            for k in range(scale):\n                if k % 2:\n                    total += x * ${i + 1}\n                else:\n                    total -= k\n        elif x < 0:\n            total -= 1\n        else:\n            total += scale\n    return total\n\n\n`;
}
const repo = await makeRepo(files);
const servers = await Promise.all(Array.from({ length: maxHosts }, () => startFakeLlm({ mode: 'slow', modeOptions: { delayMs } })));
const results: { hosts: number; published: number; seconds: number; requests: number }[] = [];
try {
  for (let n = 1; n <= maxHosts; n++) {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-hosts-bench-'));
    const hostList = servers
      .slice(0, n)
      .map((s) => `    - { url: "${s.url}" }\n`)
      .join('');
    await writeFile(
      path.join(dir, 'config.yaml'),
      `data_dir: ${dir}/data\ndevlog:\n  repo_path: ${dir}/devlog\n  author_name: Bench\n  author_email: bench@example.com\nanalyzer:\n  min_complexity: 1\n  min_lines: 1\nllm:\n  hosts:\n${hostList}`,
    );
    await writeFile(path.join(dir, 'repos.yaml'), `repositories:\n  - name: bench\n    path: ${repo}\n`);
    const settings = await loadSettings(dir);
    const db = openStateDb(settings.data_dir);
    const index = new CodeIndex({ store: null });
    await index.get(repo, { analyzer: settings.analyzer }); // indexing is not what is measured
    const pool = new HostPool(hostSpecsFromSettings(settings));
    servers.forEach((s) => s.clearRequests());
    const res = await runBatch({ settings, db, pool, bus: new EventBus(), signal: new AbortController().signal, index }, { count: pages, docType: 'function_doc' });
    await pool.close();
    await index.close();
    db.close();
    const requests = servers.reduce((k, s) => k + s.generateRequests().length, 0);
    results.push({ hosts: n, published: res.published, seconds: res.durationMs / 1000, requests });
    const failed = res.results.filter((r) => r.outcome !== 'success');
    console.log(
      `${n} host(s): ${res.published} pages in ${(res.durationMs / 1000).toFixed(1)} s (${((res.published * 60_000) / res.durationMs).toFixed(1)} per minute), ${(requests / Math.max(1, res.published)).toFixed(2)} LLM requests per page${res.skipped ? `; stopped: ${res.skipped}` : ""}${failed.length ? `; ${failed.length} not published: ${failed[0].reason}` : ''}`,
    );
  }
} finally {
  await Promise.all(servers.map((s) => s.close()));
}
const one = results[0];
for (const r of results.slice(1)) console.log(`speed-up ${r.hosts} hosts / 1 host: ${(one.seconds / r.seconds).toFixed(2)}×`);
