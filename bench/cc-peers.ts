/**
 * Running the standard complexity tools on files and comparing their figures with ours. Used by
 * `bench/cc-agreement.ts` (whole code bases) and by the extraction tests (small real samples).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { extractSource, languageForPath } from '../src/index/extract.ts';
import type { CodeSymbol } from '../src/index/types.ts';

const run = promisify(execFile);

/** One block a peer tool reports: file, 1-based line, kind, name, complexity. */
export interface PeerBlock {
  file: string;
  line: number;
  kind: 'class' | 'function';
  name: string;
  complexity: number;
}

/** Result of comparing a peer's blocks with our symbols. */
export interface Agreement {
  /** Blocks of the peer that we also report at the same file and line. */
  compared: number;
  agreed: number;
  /** Peer blocks (named ones for ESLint) we have no symbol for. */
  missing: PeerBlock[];
  /** Peer blocks counted by the peer. */
  peerTotal: number;
  disagreements: { block: PeerBlock; ours: number; symbol: CodeSymbol }[];
}

/** True when `radon` can be run. */
export async function hasRadon(): Promise<boolean> {
  try {
    await run('radon', ['--version']);
    return true;
  } catch {
    return false;
  }
}

interface RadonEntry {
  type: string;
  name: string;
  lineno: number;
  complexity: number;
  classname?: string;
}

/**
 * `radon cc -j --show-closures` over `files` (in batches), flattened to blocks. Files radon
 * cannot parse are left out (radon reports an error entry for them).
 */
export async function radonBlocks(files: string[]): Promise<{ blocks: PeerBlock[]; failed: string[] }> {
  const blocks: PeerBlock[] = [];
  const failed: string[] = [];
  for (let i = 0; i < files.length; i += 200) {
    const batch = files.slice(i, i + 200);
    const { stdout } = await run('radon', ['cc', '-j', '--show-closures', ...batch], { maxBuffer: 1 << 30 });
    const json = JSON.parse(stdout) as Record<string, RadonEntry[] | { error: string }>;
    for (const [file, entries] of Object.entries(json)) {
      if (!Array.isArray(entries)) {
        failed.push(file);
        continue;
      }
      const seen = new Set<string>();
      for (const e of entries) {
        const kind = e.type === 'class' ? 'class' : 'function';
        const key = `${kind}:${e.lineno}`;
        if (seen.has(key)) continue;
        seen.add(key);
        blocks.push({ file, line: e.lineno, kind, name: e.name, complexity: e.complexity });
      }
    }
  }
  return { blocks, failed };
}

/** Our symbols of each file (extracted with the language module for its path). */
export async function ourSymbols(files: string[]): Promise<Map<string, CodeSymbol[]>> {
  const out = new Map<string, CodeSymbol[]>();
  for (const file of files) {
    const language = languageForPath(file);
    if (!language) continue;
    const source = await readFile(file, 'utf8');
    out.set(file, (await extractSource(language, source)).symbols);
  }
  return out;
}

/**
 * Match peer blocks to our symbols by file, line and kind (classes with classes), and count
 * equal complexities. `named` restricts the "missing" list to blocks with a name.
 */
export function compare(blocks: PeerBlock[], ours: Map<string, CodeSymbol[]>, keyLine: (s: CodeSymbol) => number = (s) => s.startLine): Agreement {
  const index = new Map<string, CodeSymbol[]>();
  for (const [file, symbols] of ours) {
    for (const s of symbols) {
      const key = `${file}:${keyLine(s)}:${s.kind === 'class' ? 'class' : 'function'}`;
      const list = index.get(key);
      if (list) list.push(s);
      else index.set(key, [s]);
    }
  }
  const result: Agreement = { compared: 0, agreed: 0, missing: [], peerTotal: blocks.length, disagreements: [] };
  for (const b of blocks) {
    const candidates = index.get(`${b.file}:${b.line}:${b.kind}`);
    if (!candidates) {
      result.missing.push(b);
      continue;
    }
    const symbol = candidates.find((s) => s.name === b.name || s.displayName.endsWith(`.${b.name}`) || b.name.endsWith(s.name)) ?? candidates[0];
    result.compared++;
    if (symbol.metrics.cyclomatic === b.complexity) result.agreed++;
    else result.disagreements.push({ block: b, ours: symbol.metrics.cyclomatic, symbol });
  }
  return result;
}

/** One function ESLint's `complexity` rule reports (head location, as the rule reports it). */
export interface EslintBlock {
  file: string;
  line: number;
  column: number;
  /** Name from the message (`'render'`, `#private`, `constructor`), or null when anonymous. */
  name: string | null;
  complexity: number;
}

/**
 * ESLint's core `complexity` rule (classic variant, the default) with threshold 0 so every
 * function reports its figure; TypeScript through typescript-eslint's parser. Class field
 * initialisers and static blocks are dropped: they are code paths, not functions.
 */
export async function eslintBlocks(files: string[]): Promise<EslintBlock[]> {
  const { Linter } = await import('eslint');
  const tseslint = (await import('typescript-eslint')).default;
  const linter = new Linter({ configType: 'flat' });
  const blocks: EslintBlock[] = [];
  for (const file of files) {
    const code = await readFile(file, 'utf8');
    const ts = /\.[cm]?tsx?$/.test(file);
    const config = [
      {
        files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'],
        languageOptions: {
          ecmaVersion: 'latest' as const,
          sourceType: (file.endsWith('.cjs') ? 'commonjs' : 'module') as 'module' | 'commonjs',
          ...(ts ? { parser: tseslint.parser } : {}),
          parserOptions: { ecmaFeatures: { jsx: /x$/.test(file) } },
        },
        rules: { complexity: ['error', 0] as ['error', number] },
      },
    ];
    // A neutral name: ESLint ignores node_modules paths by default.
    const filename = `input${file.slice(file.lastIndexOf('.'))}`;
    let messages = linter.verify(code, config, { filename });
    if (!ts && messages.some((m) => m.fatal)) {
      config[0].languageOptions.sourceType = 'commonjs';
      messages = linter.verify(code, config, { filename });
    }
    for (const m of messages) {
      const match = /^(.*) has a complexity of (\d+)\./.exec(m.message);
      if (!match) continue;
      const label = match[1];
      if (/^Class (field initializer|static block)$/i.test(label)) continue;
      const quoted = /'(.*)'$/.exec(label) ?? /(#\S+)$/.exec(label);
      const name = quoted ? quoted[1] : /^Constructor$/i.test(label) ? 'constructor' : null;
      blocks.push({ file, line: m.line, column: m.column, name, complexity: Number(match[2]) });
    }
  }
  return blocks;
}

/** Agreement with ESLint plus coverage of its named functions. */
export interface EslintAgreement {
  /** Our symbols matched to an ESLint report (both report the function). */
  compared: number;
  agreed: number;
  disagreements: { symbol: CodeSymbol; file: string; ours: number; eslint: number }[];
  /** ESLint reports with a name, and how many of them we have a symbol for. */
  named: number;
  namedFound: number;
  namedMissing: EslintBlock[];
}

/**
 * Match our function/method symbols to ESLint reports: a named report by name within a few
 * lines of our start line (decorators may precede it); otherwise the first report at or after
 * our start line, on our first lines (the rule reports an arrow at its `=>`).
 */
export function compareEslint(blocks: EslintBlock[], ours: Map<string, CodeSymbol[]>): EslintAgreement {
  const byFile = new Map<string, EslintBlock[]>();
  for (const b of blocks) {
    const list = byFile.get(b.file);
    if (list) list.push(b);
    else byFile.set(b.file, [b]);
  }
  const result: EslintAgreement = { compared: 0, agreed: 0, disagreements: [], named: 0, namedFound: 0, namedMissing: [] };
  const used = new Set<EslintBlock>();
  for (const [file, symbols] of ours) {
    const reports = (byFile.get(file) ?? []).slice().sort((a, b) => a.line - b.line || a.column - b.column);
    for (const s of symbols) {
      if (s.kind === 'class') continue;
      const bare = s.name.replace(/^#/, '');
      let hit = reports.find((r) => !used.has(r) && r.name !== null && r.name.replace(/^#/, '') === bare && r.line >= s.startLine - 6 && r.line <= s.startLine + 1);
      hit ??= reports.find((r) => !used.has(r) && r.line >= s.startLine && r.line <= Math.min(s.endLine, s.startLine + 2));
      if (!hit) continue;
      used.add(hit);
      result.compared++;
      if (hit.complexity === s.metrics.cyclomatic) result.agreed++;
      else result.disagreements.push({ symbol: s, file, ours: s.metrics.cyclomatic, eslint: hit.complexity });
    }
  }
  for (const b of blocks) {
    if (b.name === null) continue;
    result.named++;
    if (used.has(b)) result.namedFound++;
    else result.namedMissing.push(b);
  }
  return result;
}
