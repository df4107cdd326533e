/**
 * `codeworm schedule-preview [--days N] [--seed S] [--from YYYY-MM-DD] [--json]`: the commit
 * times the human-like scheduler plans (SPEC section 10). Without `--seed` it uses the
 * daemon's own seed (`schedule.seed`, else one stable per installation), so the preview shows
 * what `run` will do. An infeasible schedule exits 2 with the arithmetic.
 */
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { checkFeasible, defaultSeed, previewSchedule, type PreviewTime } from '../daemon/scheduler.ts';
import { ConfigError } from '../config/load.ts';
import { action, printJson, settingsFor, UserError } from './common.ts';

interface PreviewOptions {
  days: string;
  seed?: string;
  from?: string;
  json: boolean;
}

/** `--seed 42` is the number 42 (as `schedule.seed: 42` would be); anything else a string. */
function parseSeed(s: string): number | string {
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

export function register(program: Command): void {
  program
    .command('schedule-preview')
    .description('print the commit times the human-like schedule plans for the next days')
    .option('--days <n>', 'number of days, starting today (1-366)', '7')
    .option('--seed <seed>', 'random seed (default: schedule.seed, else the daemon\'s per-installation seed)')
    .option('--from <date>', 'first day, YYYY-MM-DD in schedule.timezone (default: today)')
    .option('--json', 'print {"times": [{"time", "hour", "is_weekend"}]} only', false)
    .action(
      action(async (opts: PreviewOptions, cmd: Command) => {
        const days = Number(opts.days);
        if (!Number.isInteger(days) || days < 1 || days > 366) throw new UserError(`--days ${opts.days}: expected a whole number from 1 to 366`, 2);
        const settings = await settingsFor(cmd, { checkRepoPaths: false });
        const schedule = settings.schedule;
        const infeasible = checkFeasible(schedule);
        if (infeasible) throw new ConfigError(infeasible);
        if (opts.from && !DateTime.fromISO(opts.from, { zone: schedule.timezone }).isValid) {
          throw new UserError(`--from ${opts.from}: expected a date as YYYY-MM-DD`, 2);
        }
        const seed = opts.seed !== undefined ? parseSeed(opts.seed) : defaultSeed(settings);
        const times = previewSchedule(schedule, { days, seed, fromISO: opts.from });
        if (opts.json) {
          printJson({ times });
          return;
        }
        printHuman(times, schedule.timezone, schedule.mode, days);
      }),
    );
}

function printHuman(times: PreviewTime[], zone: string, mode: string, days: number): void {
  const out = process.stdout;
  if (mode === 'continuous') out.write('note: schedule.mode is continuous; `run` documents back to back, not at these times\n');
  out.write(`${times.length} commit times over ${days} day(s), ${zone}\n`);
  const byDay = new Map<string, PreviewTime[]>();
  for (const t of times) {
    const day = t.time.slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), t]);
  }
  for (const [day, list] of byDay) {
    const label = DateTime.fromISO(day).toFormat('ccc');
    out.write(`${day} ${label}${list[0].is_weekend ? ' (weekend)' : ''}: ${list.length} — ${list.map((t) => t.time.slice(11, 16)).join(' ')}\n`);
  }
}
