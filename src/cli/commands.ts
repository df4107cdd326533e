/**
 * The command list. Each command lives in its own file and exports `register(program)`;
 * adding a command is adding a file and one line here.
 */
import type { Command } from 'commander';
import { register as version } from './version.ts';
import { register as dashboard } from './dashboard.ts';
import { register as state } from './state.ts';
import { register as analyze } from './analyze.ts';
import { register as verify } from './verify.ts';

export const COMMANDS: ((program: Command) => void)[] = [version, dashboard, state, analyze, verify];
