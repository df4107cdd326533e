/**
 * `codeworm verify PAGE.md [--repo PATH] [--json]`: check a DevLog page against its code.
 *
 * The code is the page's Source Code block, or with `--repo` lines a-b (from the header) of
 * the repository file the header names. Exit codes: 0 clean (no ungrounded identifier, no
 * contradiction), 1 findings, 2 bad input (missing or unreadable file, not a page, unknown
 * language, a `File:` outside the repository).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { LanguageId } from '../index/types.ts';
import { PageParseError, parsePage } from '../devlog/render.ts';
import { checkGrounding, type GroundingResult } from '../llm/grounding.ts';
import { action, printJson, UserError } from './common.ts';

const LANGUAGE_ALIASES: Record<string, LanguageId> = {
  python: 'python',
  py: 'python',
  typescript: 'typescript',
  ts: 'typescript',
  tsx: 'tsx',
  javascript: 'javascript',
  js: 'javascript',
  jsx: 'javascript',
  go: 'go',
  golang: 'go',
  rust: 'rust',
  rs: 'rust',
};

const EXTENSIONS: Record<string, LanguageId> = { '.py': 'python', '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'tsx', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript', '.go': 'go', '.rs': 'rust' };

/** Language of a page: its `Language:` field, else its `File:` extension. */
function pageLanguage(language: string, file: string): LanguageId | null {
  return LANGUAGE_ALIASES[language.trim().toLowerCase()] ?? EXTENSIONS[path.extname(file).toLowerCase()] ?? null;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}`, 2);
  }
}

/** Lines a-b (1-based, inclusive) of the repository file the page names. */
async function sourceFromRepo(repo: string, file: string, lines: { start: number; end: number }): Promise<string> {
  const root = path.resolve(repo);
  const abs = path.resolve(root, file);
  if (abs !== root && !abs.startsWith(root + path.sep)) throw new UserError(`the page's file ${file} lies outside the repository ${root}`, 2);
  const text = await readText(abs, 'source file');
  const all = text.split('\n');
  if (lines.start > all.length) throw new UserError(`the page says lines ${lines.start}-${lines.end}, but ${file} has ${all.length} lines`, 2);
  return all.slice(lines.start - 1, lines.end).join('\n');
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
    .option('--repo <path>', 'take the code from this repository (the file and lines the page header names) instead of the Source Code block')
    .option('--json', 'print {"ungrounded": [...], "contradictions": [...]} and nothing else', false)
    .action(
      action(async (pagePath: string, opts: { repo?: string; json: boolean }) => {
        const markdown = await readText(pagePath, 'page');
        let page: ReturnType<typeof parsePage>;
        try {
          page = parsePage(markdown);
        } catch (err) {
          if (err instanceof PageParseError) throw new UserError(`${pagePath} is not a CodeWorm page: ${err.message}`, 2);
          throw err;
        }
        const language = pageLanguage(page.language, page.file);
        if (!language) throw new UserError(`${pagePath}: unknown language "${page.language}" (supported: python, typescript, tsx, javascript, go, rust)`, 2);
        const source = opts.repo ? await sourceFromRepo(opts.repo, page.file, page.lines) : page.source;
        if (!opts.repo && page.omittedLines > 0) {
          process.stderr.write(`note: the page shows a cut source (${page.omittedLines} lines left out); pass --repo PATH to check against the whole code\n`);
        }

        const result = await checkGrounding({ markdown, source, language });
        if (opts.json) printJson({ ungrounded: result.ungrounded, contradictions: result.contradictions });
        else printReport(pagePath, result);
        if (result.contradictions.length > 0 || result.ungrounded.length > 0) process.exitCode = 1;
      }),
    );
}
