import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadSettings } from '../../src/config/load.ts';
import { afterEach, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { Settings } from '../../src/config/schema.ts';
import { VirtualClock, systemClock, type Clock } from '../../src/daemon/clock.ts';
import type { CycleDeps, CycleResult } from '../../src/daemon/cycle.ts';
import { Daemon, type DaemonDeps } from '../../src/daemon/daemon.ts';
import { dailyTimes, dayRng } from '../../src/daemon/scheduler.ts';
import { OllamaProvider } from '../../src/llm/providers/ollama.ts';
import { cycleStats } from '../../src/state/cycles.ts';
import { EventStore } from '../../src/state/events.ts';
import { startFakeLlm } from '../support/fake-llm.ts';
import { memoryLogger, recordingNotifier, scriptedProvider, tempConfig, type TempConfig } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void>)();
});

async function config(yaml: string, repos?: string[]): Promise<TempConfig> {
  const c = await tempConfig(yaml, repos);
  cleanups.push(c.cleanup);
  return c;
}

interface CycleCall {
  start: number;
  end: number;
  settings: Settings;
}

/** A fake cycle: records when it ran, takes `workMs` on the clock, returns `outcome(n)`. */
function fakeCycle(clock: Clock, outcome: (n: number, deps: CycleDeps) => CycleResult | Promise<CycleResult>, workMs = 0) {
  const calls: CycleCall[] = [];
  const fn = async (deps: CycleDeps): Promise<CycleResult> => {
    const start = clock.now();
    if (workMs) await clock.sleep(workMs, deps.signal);
    const r = await outcome(calls.length + 1, deps);
    calls.push({ start, end: clock.now(), settings: deps.settings });
    return r;
  };
  return { fn, calls };
}

function daemonFor(c: TempConfig, over: Partial<DaemonDeps> & Pick<DaemonDeps, 'runCycle'>): Daemon {
  return new Daemon({
    settings: c.settings,
    reloadSettings: c.load,
    db: c.db,
    createProvider: () => scriptedProvider(() => true),
    notifier: recordingNotifier().notifier,
    seed: 11,
    ...over,
  });
}

const ok: CycleResult = { outcome: 'success', docType: 'function_doc', repo: 'alpha', target: 'f', push: 'pushed' };

describe('Daemon on a virtual clock', () => {
  test('a simulated week follows the human schedule: daily counts, avoided hours, gaps', async () => {
    const c = await config('schedule:\n  timezone: America/Los_Angeles\n  avoid_hours: [12, 13]\n  min_gap_minutes: 30\n');
    const t0 = DateTime.fromISO('2026-11-16T00:00:00', { zone: 'America/Los_Angeles' }).toMillis(); // a Monday
    const clock = new VirtualClock(t0);
    const cycle = fakeCycle(clock, () => ok);
    const d = daemonFor(c, { clock, runCycle: cycle.fn });
    void clock.sleep(7 * 86_400_000).then(() => d.stop('week over'));
    await d.run();

    const byDay = new Map<string, number[]>();
    for (const call of cycle.calls) {
      const day = DateTime.fromMillis(call.start, { zone: 'America/Los_Angeles' }).toISODate() as string;
      byDay.set(day, [...(byDay.get(day) ?? []), call.start]);
    }
    assert.equal(byDay.size, 7);
    for (const [day, starts] of byDay) {
      const weekday = DateTime.fromISO(day).weekday;
      const n = starts.length;
      if (weekday >= 6) assert.ok(n >= 3 && n <= 12, `${day}: ${n} cycles on a weekend day`);
      else assert.ok(n >= 12 && n <= 18, `${day}: ${n} cycles on a weekday`);
      // the daemon ran exactly the planned slots
      assert.deepEqual(starts, dailyTimes(day, c.settings.schedule, dayRng(11, day)).map((x) => x.getTime()));
    }
    const hours = cycle.calls.map((x) => DateTime.fromMillis(x.start, { zone: 'America/Los_Angeles' }).hour);
    assert.deepEqual(hours.filter((h) => [3, 4, 5, 12, 13].includes(h)), []);
    for (let i = 1; i < cycle.calls.length; i++) {
      assert.ok(cycle.calls[i].start - cycle.calls[i - 1].start >= 30 * 60_000, `cycles ${i - 1} and ${i} closer than 30 min`);
    }
    assert.equal(cycleStats(c.db).successful, cycle.calls.length);
  });

  test('continuous mode documents back to back', async () => {
    const c = await config('schedule:\n  mode: continuous\n  interval_seconds: 0\n');
    const clock = new VirtualClock(Date.parse('2026-11-18T10:00:00Z'));
    const d = daemonFor(c, {
      clock,
      runCycle: async (deps) => {
        const r = await inner.fn(deps);
        if (inner.calls.length === 5) d.stop('enough');
        return r;
      },
    });
    const inner = fakeCycle(clock, () => ok, 4000);
    await d.run();
    assert.equal(inner.calls.length, 5);
    assert.equal(inner.calls[0].start, Date.parse('2026-11-18T10:00:00Z'));
    for (let i = 1; i < 5; i++) assert.equal(inner.calls[i].start, inner.calls[i - 1].end);
  });

  test('consecutive failures back off 30 s, 60 s, 120 s, 240 s, then 300 s', async () => {
    const c = await config('schedule:\n  mode: continuous\n  interval_seconds: 0\n');
    const clock = new VirtualClock(Date.parse('2026-11-18T10:00:00Z'));
    const cycle = fakeCycle(clock, (n) => {
      if (n === 7) d.stop('enough');
      return { outcome: 'failed', reason: 'LLM timeout' };
    });
    const d = daemonFor(c, { clock, runCycle: cycle.fn });
    await d.run();
    const gaps = cycle.calls.slice(1).map((x, i) => (x.start - cycle.calls[i].start) / 1000);
    assert.deepEqual(gaps, [30, 60, 120, 240, 300, 300]);
  });

  test('LLM down at start: waits 10 s doubling, one log line per attempt with the retry time, alerts, then starts', async () => {
    const c = await config('schedule:\n  mode: continuous\ntelegram:\n  alert_after_failures: 3\n');
    const t0 = Date.parse('2026-11-18T10:00:00Z');
    const clock = new VirtualClock(t0);
    const provider = scriptedProvider(() => provider.checks > 5);
    const { notifier, alerts } = recordingNotifier();
    const log = memoryLogger();
    const cycle = fakeCycle(clock, () => {
      d.stop('enough');
      return ok;
    });
    const d = daemonFor(c, { clock, runCycle: cycle.fn, createProvider: () => provider, notifier, logger: log.logger });
    await d.run();
    // checks 1–5 fail (waits 10+20+40+80+160 s), the 6th answers
    assert.equal(cycle.calls[0].start - t0, (10 + 20 + 40 + 80 + 160) * 1000);
    const waits = log.lines().filter((l) => String(l.msg).startsWith('LLM not available'));
    assert.equal(waits.length, 5);
    assert.deepEqual(
      waits.map((l) => l.retryInS),
      [10, 20, 40, 80, 160],
    );
    assert.equal(waits[0].retryAt, new Date(t0 + 10_000).toISOString());
    assert.deepEqual(
      alerts.map((a) => a.kind),
      ['llm_unavailable', 'llm_recovered'],
    );
  });

  test("the dead man's switch fires when work has been due 45 minutes without a result", async () => {
    const c = await config('schedule:\n  mode: continuous\n');
    const clock = new VirtualClock(Date.parse('2026-11-18T10:00:00Z'));
    const { notifier, alerts } = recordingNotifier();
    // one cycle that takes an hour (a wedged generation), then the daemon stops
    const cycle = fakeCycle(
      clock,
      () => {
        d.stop('enough');
        return ok;
      },
      60 * 60_000,
    );
    const d = daemonFor(c, { clock, runCycle: cycle.fn, notifier });
    await d.run();
    assert.deepEqual(
      alerts.map((a) => a.kind),
      ['dead_mans_switch'],
    );
    assert.match(alerts[0].message, /for 45 minutes/);
  });

  test('statistics and events are persisted: cycles table and events table', async () => {
    const c = await config('schedule:\n  mode: continuous\n');
    const clock = new VirtualClock(Date.parse('2026-11-18T10:00:00Z'));
    const outcomes: CycleResult[] = [ok, { outcome: 'failed', reason: 'boom' }, { outcome: 'skipped', reason: 'nothing to document' }];
    const cycle = fakeCycle(clock, (n) => {
      if (n === 3) d.stop('enough');
      return outcomes[n - 1];
    });
    const d = daemonFor(c, { clock, runCycle: cycle.fn });
    await d.run();
    const s = cycleStats(c.db);
    assert.deepEqual(
      { total: s.total, successful: s.successful, failed: s.failed, skipped: s.skipped, consecutiveFailures: s.consecutiveFailures },
      { total: 3, successful: 1, failed: 1, skipped: 1, consecutiveFailures: 1 },
    );
    assert.equal(s.successRate, 33.3);
    assert.equal(s.lastFailureReason, 'boom');
    const types = new EventStore(c.db).since(0, 1000).map((e) => e.type);
    for (const t of ['daemon_started', 'next_cycle', 'documentation_committed', 'cycle_failed', 'cycle_skipped', 'stats', 'daemon_stopping']) {
      assert.ok(types.includes(t as never), `event ${t} not stored`);
    }
    const stats = new EventStore(c.db).latest(1, ['stats'])[0];
    assert.equal(stats.data.total, 3);
  });

  test('dry run: cycles get dryRun, nothing is recorded, continuous mode is paced to 30 s', async () => {
    const c = await config('schedule:\n  mode: continuous\n');
    const clock = new VirtualClock(Date.parse('2026-11-18T10:00:00Z'));
    const printed: CycleResult[] = [];
    const flags: (boolean | undefined)[] = [];
    const cycle = fakeCycle(clock, (n) => {
      if (n === 3) d.stop('enough');
      return { ...ok, page: '# page', commitMessage: 'Document f' };
    });
    const d = daemonFor(c, {
      clock,
      dryRun: true,
      onDryRun: (r) => printed.push(r),
      runCycle: (deps, opts) => {
        flags.push(opts.dryRun);
        return cycle.fn(deps);
      },
    });
    await d.run();
    assert.deepEqual(flags, [true, true, true]);
    assert.equal(printed.length, 3);
    assert.deepEqual(cycle.calls.slice(1).map((x, i) => (x.start - cycle.calls[i].end) / 1000), [30, 30]);
    assert.equal((c.db.prepare('SELECT COUNT(*) AS n FROM cycles').get() as { n: number }).n, 0);
    assert.equal((c.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n, 0);
    assert.equal(d.stats().successful, 3);
  });

  test('an outcome event the cycle published itself is not published twice', async () => {
    const c = await config('schedule:\n  mode: continuous\n');
    const clock = new VirtualClock(Date.parse('2026-11-18T10:00:00Z'));
    const cycle = fakeCycle(clock, (_n, deps) => {
      deps.bus.publish('documentation_committed', { repo: 'alpha' });
      d.stop('enough');
      return ok;
    });
    const d = daemonFor(c, { clock, runCycle: cycle.fn });
    await d.run();
    const committed = new EventStore(c.db).since(0, 1000).filter((e) => e.type === 'documentation_committed');
    assert.equal(committed.length, 1);
  });

  test('alerts: N consecutive failures, a rejected push, a wedged git, no candidates for N cycles', async () => {
    const c = await config('schedule:\n  mode: continuous\ntelegram:\n  alert_after_failures: 2\n');
    const clock = new VirtualClock(Date.parse('2026-11-18T10:00:00Z'));
    const { notifier, alerts } = recordingNotifier();
    const script: CycleResult[] = [
      { outcome: 'failed', reason: 'LLM timeout' },
      { outcome: 'failed', reason: 'LLM timeout' },
      { ...ok, push: 'rejected', pushMessage: 'GH013: push declined due to secret scanning' },
      { outcome: 'failed', reason: "fatal: Unable to create '/devlog/.git/index.lock': File exists" },
      { outcome: 'skipped', reason: 'nothing left' },
      { outcome: 'skipped', reason: 'nothing left' },
    ];
    const cycle = fakeCycle(clock, (n) => {
      if (n === script.length) d.stop('enough');
      return script[n - 1];
    });
    const d = daemonFor(c, { clock, runCycle: cycle.fn, notifier });
    await d.run();
    assert.deepEqual(
      alerts.map((a) => a.kind),
      ['consecutive_failures', 'push_rejected', 'git_wedged', 'no_candidates'],
    );
    assert.match(alerts[1].message, /GH013/);
  });

  test('a configuration reload picks up new repositories; a broken one keeps the old', async () => {
    const c = await config('schedule:\n  mode: continuous\n', ['alpha']);
    const log = memoryLogger();
    const clock = systemClock;
    const cycle = fakeCycle(clock, async (n) => {
      if (n === 1) {
        await c.writeRepos(['alpha', 'beta']);
        assert.equal(await d.reload(), true);
      }
      if (n === 2) {
        await c.writeRaw('repos.yaml', 'repositories: [ {name: broken\n');
        assert.equal(await d.reload(), false);
      }
      if (n === 3) d.stop('enough');
      return ok;
    });
    const d = daemonFor(c, { clock, runCycle: cycle.fn, logger: log.logger });
    await d.run();
    const seen = cycle.calls.map((x) => x.settings.repositories.map((r) => r.name).join(','));
    assert.deepEqual(seen, ['alpha', 'alpha,beta', 'alpha,beta']);
    assert.match(log.text(), /configuration reload failed, keeping the previous configuration: .*repos\.yaml: invalid YAML/);
  });

  test('a reload refuses a truncated or deleted config and a moved DevLog or data dir; the old configuration stays', async () => {
    const c = await config('schedule:\n  mode: continuous\n', ['alpha']);
    const log = memoryLogger();
    const strictLoad = () => loadSettings(c.dir, { env: {}, reload: true });
    const d = daemonFor(c, { clock: systemClock, runCycle: async () => ok, logger: log.logger, reloadSettings: strictLoad });
    const original = d.currentSettings;
    // config.yaml that lost its devlog: section (defaults would send pages elsewhere)
    await c.writeRaw('config.yaml', 'data_dir: data\nschedule:\n  mode: continuous\n');
    assert.equal(await d.reload(), false);
    assert.match(log.text(), /key \\"devlog\.repo_path\\" missing; a reload needs it stated/);
    // a deleted config.yaml
    await rm(path.join(c.dir, 'config.yaml'));
    assert.equal(await d.reload(), false);
    assert.match(log.text(), /config\.yaml: missing; a reload needs the whole configuration/);
    // a repos.yaml without its repositories key
    await c.writeRaw('config.yaml', 'data_dir: data\ndevlog:\n  repo_path: devlog\nschedule:\n  mode: continuous\n');
    await c.writeRaw('repos.yaml', 'other: 1\n');
    assert.equal(await d.reload(), false);
    assert.match(log.text(), /key \\"repositories\\" missing/);
    // stated but moved: a restart's business
    await c.writeRepos(['alpha']);
    await c.writeRaw('config.yaml', 'data_dir: data\ndevlog:\n  repo_path: elsewhere\nschedule:\n  mode: continuous\n');
    assert.equal(await d.reload(), false);
    assert.match(log.text(), /devlog\.repo_path changed from .*devlog to .*elsewhere; that takes a restart/);
    await c.writeRaw('config.yaml', 'data_dir: data2\ndevlog:\n  repo_path: devlog\nschedule:\n  mode: continuous\n');
    assert.equal(await d.reload(), false);
    assert.match(log.text(), /data_dir changed from/);
    assert.equal(d.currentSettings, original);
    // the whole file, same places: accepted
    await c.writeRaw('config.yaml', 'data_dir: data\ndevlog:\n  repo_path: devlog\nschedule:\n  mode: continuous\n  interval_seconds: 7\n');
    assert.equal(await d.reload(), true);
    assert.equal(d.currentSettings.schedule.interval_seconds, 7);
  });

  test('continuous mode with nothing to document backs off 30 s doubling (said once), and alerts once per cause', async () => {
    const c = await config('schedule:\n  mode: continuous\n  interval_seconds: 0\ntelegram:\n  alert_after_failures: 2\n');
    const clock = new VirtualClock(Date.parse('2026-11-18T10:00:00Z'));
    const log = memoryLogger();
    const { notifier, alerts } = recordingNotifier();
    const cycle = fakeCycle(clock, (n) => {
      if (n === 8) d.stop('enough');
      return n === 6 ? ok : { outcome: 'skipped', reason: 'nothing left to document' };
    });
    const d = daemonFor(c, { clock, runCycle: cycle.fn, notifier, logger: log.logger });
    await d.run();
    const gaps = cycle.calls.slice(1).map((x, i) => (x.start - cycle.calls[i].start) / 1000);
    // skips 1-5 wait 30, 60, 120, 240, 480 s; a success (6) goes back to back; skip 7 starts over at 30 s
    assert.deepEqual(gaps, [30, 60, 120, 240, 480, 0, 30]);
    assert.equal(log.text().match(/continuous mode slows down/g)?.length, 2, 'said once per idle spell');
    assert.deepEqual(alerts.map((a) => a.kind), ['no_candidates'], 'one alert for the idle spell, not one every 2 cycles');
  });

  test('a failure with the same cause alerts once until a success; a new cause alerts again', async () => {
    const c = await config('schedule:\n  mode: continuous\n  interval_seconds: 0\ntelegram:\n  alert_after_failures: 2\n');
    const clock = new VirtualClock(Date.parse('2026-11-18T10:00:00Z'));
    const { notifier, alerts } = recordingNotifier();
    const wedge = (pid: number): CycleResult => ({ outcome: 'failed', reason: `the DevLog is in the middle of a merge (pid ${pid})`, gitWedged: true });
    const script: CycleResult[] = [wedge(1), wedge(2), wedge(3), wedge(4), ok, wedge(5), { outcome: 'failed', reason: 'LLM timeout' }, { outcome: 'failed', reason: 'LLM timeout' }];
    const cycle = fakeCycle(clock, (n) => {
      if (n === script.length) d.stop('enough');
      return script[n - 1];
    });
    const d = daemonFor(c, { clock, runCycle: cycle.fn, notifier, waits: { cycleBackoffMs: () => 0 } });
    await d.run();
    assert.deepEqual(
      alerts.map((a) => a.kind),
      // wedge 1: wedge alert; wedge 2: 2 failures; wedges 3-4: same cause, silent; success clears;
      // wedge 5 alerts again; LLM timeout ×2: a new cause of 2 failures
      ['git_wedged', 'consecutive_failures', 'git_wedged', 'consecutive_failures'],
    );
    assert.match(alerts[3].message, /LLM timeout/);
  });

  test('a reload with a new schedule re-plans at once', async () => {
    const c = await config('schedule:\n  enabled: false\n');
    const cycle = fakeCycle(systemClock, () => {
      d.stop('enough');
      return ok;
    });
    const d = daemonFor(c, { clock: systemClock, runCycle: cycle.fn });
    const running = d.run();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(cycle.calls.length, 0);
    await c.writeRaw('config.yaml', 'data_dir: data\ndevlog:\n  repo_path: devlog\nschedule:\n  mode: continuous\n');
    await d.reload();
    await running;
    assert.equal(cycle.calls.length, 1);
  });
});

describe('Daemon stopping', () => {
  test('stop during a cycle aborts it through its signal; the cycle row says abandoned', async () => {
    const c = await config('schedule:\n  mode: continuous\n');
    const d = daemonFor(c, {
      clock: systemClock,
      runCycle: (deps) =>
        new Promise<CycleResult>((resolve) => {
          deps.signal.addEventListener('abort', () => resolve({ outcome: 'abandoned', reason: 'stopping' }));
        }),
    });
    const t0 = Date.now();
    const running = d.run();
    setTimeout(() => d.stop('test'), 100);
    await running;
    assert.ok(Date.now() - t0 < 2000);
    const rows = c.db.prepare('SELECT outcome FROM cycles').all() as { outcome: string }[];
    assert.deepEqual(rows, [{ outcome: 'abandoned' }]);
  });

  test('a cycle that ignores its abort signal is left after the grace period', async () => {
    const c = await config('schedule:\n  mode: continuous\n');
    const d = daemonFor(c, { clock: systemClock, stopGraceMs: 200, runCycle: () => new Promise<CycleResult>(() => undefined) });
    const running = d.run();
    setTimeout(() => d.stop('test'), 50);
    const t0 = Date.now();
    await running;
    assert.ok(Date.now() - t0 < 1500, `took ${Date.now() - t0} ms`);
    assert.equal((c.db.prepare('SELECT outcome FROM cycles').get() as { outcome: string }).outcome, 'abandoned');
  });

  test('stop while waiting for the LLM returns without running a cycle', async () => {
    const c = await config('schedule:\n  mode: continuous\n');
    let cycles = 0;
    const d = daemonFor(c, {
      clock: systemClock,
      createProvider: () => scriptedProvider(() => false),
      runCycle: async () => {
        cycles++;
        return ok;
      },
    });
    const running = d.run();
    setTimeout(() => d.stop('test'), 100);
    await running;
    assert.equal(cycles, 0);
  });

  test('dangling cycles of a killed process are closed as abandoned at start', async () => {
    const c = await config('schedule:\n  enabled: false\n');
    c.db.prepare(`INSERT INTO cycles (started_at) VALUES ('2026-11-18T10:00:00Z')`).run();
    const d = daemonFor(c, { clock: systemClock, runCycle: async () => ok });
    const running = d.run();
    setTimeout(() => d.stop('test'), 50);
    await running;
    assert.equal(cycleStats(c.db).abandoned, 1);
  });
});

test('LLM down then up on a real loopback server: waits without a busy loop, then documents by itself', async () => {
  const llm = await startFakeLlm({ mode: 'down' });
  cleanups.push(() => llm.close());
  const c = await config(`schedule:\n  mode: continuous\nollama:\n  host: ${llm.url}\n  model: qwen2.5:7b\n`);
  const cycle = fakeCycle(systemClock, () => {
    d.stop('enough');
    return ok;
  });
  const d = daemonFor(c, {
    clock: systemClock,
    createProvider: (s) => OllamaProvider.fromSettings(s, { retry: { attempts: 1, delaysMs: [10] } }),
    runCycle: cycle.fn,
    waits: { llmWaitMs: () => 100 },
  });
  const t0 = Date.now();
  const running = d.run();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(cycle.calls.length, 0);
  await llm.setMode('ok');
  await running;
  assert.equal(cycle.calls.length, 1);
  const elapsed = Date.now() - t0;
  // one health probe per 100 ms wait at most (plus the final successful one)
  const probes = llm.requests.filter((r) => r.method === 'GET').length;
  assert.ok(probes <= (elapsed / 100) * 2 + 4, `${probes} requests in ${elapsed} ms`);
});
