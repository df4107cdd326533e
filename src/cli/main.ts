#!/usr/bin/env node
/**
 * `codeworm` entry point: global options and one module per command (`src/cli/<command>.ts`,
 * each exporting `register(program)`).
 */
import { Command } from 'commander';
import { VERSION } from '../core/version.ts';
import { reportError } from './common.ts';
import { COMMANDS } from './commands.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('codeworm')
    .description('Autonomous documentation daemon: grows a git DevLog of pages about your code')
    .version(VERSION, '-V, --version')
    .option('-c, --config <dir>', 'configuration directory (config.yaml, repos.yaml, prompts.yaml)', './config')
    .option('--debug', 'verbose logs and stack traces', false)
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander's own usage errors are bad input: exit 2
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) process.exit(0);
      process.exit(2);
    });
  for (const register of COMMANDS) register(program);
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => reportError(err, process.argv.includes('--debug')));
