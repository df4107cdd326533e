/**
 * module_doc: packages and directories (SPEC section 4): a directory with at least two source
 * files and an entry file — Python `__init__.py`, TS/JS `index.{ts,tsx,js,mjs,cjs,jsx}`, a Go
 * package directory (every directory of `.go` files is a package; its entry is the file named
 * after the directory, else `doc.go`, else the largest), Rust `mod.rs` / `lib.rs` / `main.rs`.
 * Context: the file listing, the entry file (read by the cycle) and the exported names.
 */
import path from 'node:path';
import { sha256 } from '../../core/hash.ts';
import type { CodeSymbol, FileRecord } from '../../index/types.ts';
import type { FinderInput, Target, TargetFinder } from '../types.ts';
import { fileComplexity, fileTarget } from '../common.ts';
import { isStructureFacts } from '../../analysis/structure.ts';
import { topLevelSymbols } from '../../llm/facts.ts';
import { LANGUAGES, languageById } from '../../languages/registry.ts';

/** Entry-file names of every language, in registry order (`__init__.py`, `index.ts`, …, `mod.rs`). */
const ENTRY_NAMES = LANGUAGES.flatMap((l) => l.entryFiles);
const ENTRY_SET = new Set(ENTRY_NAMES);

/** The entry file of a directory's files, or null when the directory is not a module. */
export function entryFile(dir: string, files: FileRecord[]): FileRecord | null {
  for (const name of ENTRY_NAMES) {
    const f = files.find((x) => path.posix.basename(x.path) === name);
    if (f) return f;
  }
  // Languages whose directories are modules by their own rule (Go packages).
  for (const l of LANGUAGES) {
    const f = l.entryOf?.(dir, files);
    if (f) return f;
  }
  return null;
}

/**
 * Whether a top-level symbol is public by its language's rule (the descriptor's `isPublic`:
 * Go a capitalised name, Rust a `pub` item, Python / JS / TS a name without a leading `_`).
 */
function isPublicByConvention(s: CodeSymbol, f: FileRecord): boolean {
  return languageById(f.language)?.isPublic(s) ?? !s.name.startsWith('_');
}

/**
 * Public names a module exposes, sorted. A file that declares its exports is taken at its word:
 * Python `__all__` (with the `__all__` of the submodules it adds up, as `asyncio/__init__.py`
 * does), TS/JS `export` lists (`export * from './x'` adds x's exports). Other files: their
 * top-level symbols public by the language's rule (Go capitalised, Rust `pub`, else no `_`).
 */
export function exportedNames(files: FileRecord[]): string[] {
  const out = new Set<string>();
  const byStem = new Map(files.map((f) => [path.posix.basename(f.path).replace(/\.[^.]+$/, ''), f]));
  const declared = (f: FileRecord, depth: number): string[] | null => {
    const st = f.facts?.structure;
    if (!isStructureFacts(st) || st.exports === null) return null;
    const names = [...st.exports];
    if (depth < 3) {
      for (const r of st.reexports ?? []) {
        const sub = byStem.get(r.split(/[./]/).filter(Boolean).pop() ?? r);
        if (sub && sub !== f) names.push(...(declared(sub, depth + 1) ?? conventional(sub)));
      }
    }
    return names;
  };
  const conventional = (f: FileRecord) => topLevelSymbols(f).filter((s) => isPublicByConvention(s, f)).map((s) => s.name);
  // The entry file's declaration is the module's: `__init__.py` with `__all__`, `index.ts` with its exports.
  const entry = files.find((f) => ENTRY_SET.has(path.posix.basename(f.path)));
  const fromEntry = entry ? declared(entry, 0) : null;
  if (fromEntry) return [...new Set(fromEntry)].sort();
  for (const f of files) for (const n of declared(f, 0) ?? conventional(f)) out.add(n);
  return [...out].sort();
}

export const finder: TargetFinder = {
  docType: 'module_doc',
  find(input: FinderInput): Target[] {
    const byDir = new Map<string, FileRecord[]>();
    for (const f of input.index.files) {
      const dir = path.posix.dirname(f.path);
      (byDir.get(dir) ?? byDir.set(dir, []).get(dir)!).push(f);
    }
    const targets: Target[] = [];
    for (const [dir, files] of byDir) {
      if (files.length < 2) continue;
      const entry = entryFile(dir, files);
      if (!entry) continue;
      const listing = files
        .map((f) => `${f.path} (${f.lines} lines, ${f.symbols.length} symbols)`)
        .sort();
      const exported = exportedNames(files);
      const name = dir === '.' ? path.basename(input.index.root) : dir;
      targets.push(
        fileTarget('module_doc', input, entry, {
          displayName: name,
          cyclomatic: files.reduce((n, f) => n + fileComplexity(f), 0),
          // A module changes when any of its files does.
          codeHash: sha256(`module_doc:${dir}:${files.map((f) => f.hash).sort().join(',')}`),
          score: files.length * 10 + exported.length + files.reduce((n, f) => n + f.nloc, 0) / 100,
          context: { directory: dir, listing, exported: exported.slice(0, 80), fileCount: files.length },
        }),
      );
    }
    return targets.sort((a, b) => b.score - a.score);
  },
};
