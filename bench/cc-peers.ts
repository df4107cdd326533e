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
