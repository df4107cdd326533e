/**
 * `codeworm verify PAGE.md [--repo PATH | --repo NAME=PATH] [--json]`: check a DevLog page against its code
 * (the rules are in src/llm/verify-page.ts). Exit codes: 0 clean (no ungrounded identifier, no
 * contradiction), 1 findings, 2 bad input (missing or unreadable file, not a page, a `File:`
 * outside the repository or a line range beyond its end).
 */
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { GroundingResult } from '../llm/grounding.ts';
import { VerifyInputError, verifyPage } from '../llm/verify-page.ts';
import { action, printJson, UserError } from './common.ts';

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}`, 2);
  }
}

/**
 * The repository directory of `--repo`: a path, or `NAME=PATH` as run-once and backfill take it
 * (the value as a whole wins when it is an existing directory, since a path may hold `=`). With a
 * name, the page must be about that repository (its `**Repository:**` field).
 * @throws UserError (exit 2) when the name is not the page's repository
 */
export async function repoDirOf(spec: string, markdown: string): Promise<string> {
  const eq = spec.indexOf('=');
  if (eq <= 0 || (await stat(spec).then((s) => s.isDirectory(), () => false))) return spec;
  const name = spec.slice(0, eq);
  const page = /^\*\*Repository:\*\*[ \t]*(.*)$/m.exec(markdown)?.[1]?.trim();
  if (page !== undefined && page !== name) throw new UserError(`--repo ${spec}: the page is about repository "${page}", not "${name}"`, 2);
  return spec.slice(eq + 1);
}

function printReport(page: string, result: GroundingResult): void {
  const out: string[] = [];
  if (result.contradictions.length === 0 && result.ungrounded.length === 0) {
    out.push(`${page}: clean — every identifier is in the code and no statement contradicts it`);
  } else {
    out.push(`${page}: ${result.contradictions.length} contradiction(s), ${result.ungrounded.length} ungrounded identifier(s)`);
    for (const c of result.contradictions) {
      out.push('', `contradiction: ${c.identifier}`, `  page says: ${c.claim}`, `  code says: ${c.identifier} ${c.fact}`);
    }
    if (result.ungrounded.length > 0) {
      out.push('', 'not in the code or its context:');
      for (const u of result.ungrounded) out.push(`  line ${u.line}: ${u.identifier}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('check a DevLog page against its code: ungrounded identifiers and contradicted claims (exit 0 clean, 1 findings, 2 bad input)')
    .argument('<page>', 'the Markdown page')
    .option('--repo <path>', 'take the code from this repository (the file and lines the page header names) and look up its commit hashes and locations; PATH or NAME=PATH as run-once takes it')
    .option('--json', 'print {"ungrounded": [...], "contradictions": [...]} and nothing else', false)
    .action(
      action(async (pagePath: string, opts: { repo?: string; json: boolean }) => {
        const markdown = await readText(pagePath, 'page');
        let outcome: Awaited<ReturnType<typeof verifyPage>>;
        try {
          outcome = await verifyPage(markdown, { repo: opts.repo === undefined ? undefined : await repoDirOf(opts.repo, markdown) });
        } catch (err) {
          if (err instanceof VerifyInputError) throw new UserError(`${pagePath}: ${err.message}`, 2);
          throw err;
        }
        for (const n of outcome.notes) process.stderr.write(`note: ${n}\n`);
        const { result } = outcome;
        if (opts.json) printJson({ ungrounded: result.ungrounded, contradictions: result.contradictions });
        else printReport(pagePath, result);
        if (result.contradictions.length > 0 || result.ungrounded.length > 0) process.exitCode = 1;
      }),
    );
}
