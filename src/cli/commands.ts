/**
 * The command list. Each command lives in its own file and exports `register(program)`;
 * adding a command is adding a file and one line here.
 */
import type { Command } from 'commander';
import { register as version } from './version.ts';
import { register as dashboard } from './dashboard.ts';
import { register as state } from './state.ts';
import { register as analyze } from './analyze.ts';
import { register as blocking } from './blocking.ts';
import { register as verify } from './verify.ts';
import { register as init } from './init.ts';
import { register as runOnce } from './run-once.ts';
import { register as stats } from './stats.ts';
import { register as doctor } from './doctor.ts';
import { register as run } from './run.ts';
import { register as schedulePreview } from './schedule-preview.ts';
import { register as backfill } from './backfill.ts';
import { register as migrate } from './migrate.ts';
import { register as worker } from './fleet.ts';

export const COMMANDS: ((program: Command) => void)[] = [version, dashboard, state, analyze, blocking, verify, init, runOnce, stats, doctor, run, schedulePreview, backfill, migrate, worker];
