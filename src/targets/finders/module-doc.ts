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

const ENTRY_NAMES = ['__init__.py', 'index.ts', 'index.tsx', 'index.js', 'index.mjs', 'index.cjs', 'index.jsx', 'mod.rs', 'lib.rs', 'main.rs'];

/** The entry file of a directory's files, or null when the directory is not a module. */
export function entryFile(dir: string, files: FileRecord[]): FileRecord | null {
  for (const name of ENTRY_NAMES) {
    const f = files.find((x) => path.posix.basename(x.path) === name);
    if (f) return f;
  }
  const goFiles = files.filter((f) => f.language === 'go' && !f.path.endsWith('_test.go'));
  if (goFiles.length > 0) {
    const dirName = path.posix.basename(dir === '.' ? '' : dir);
    return (
      goFiles.find((f) => path.posix.basename(f.path) === `${dirName}.go`) ??
      goFiles.find((f) => path.posix.basename(f.path) === 'doc.go') ??
      [...goFiles].sort((a, b) => b.lines - a.lines)[0]
    );
  }
  return null;
}

/** Public names a module exposes: top-level symbols not starting with `_` (Go: capitalised). */
export function exportedNames(files: FileRecord[]): string[] {
  const isPublic = (s: CodeSymbol, f: FileRecord) =>
    s.parent === null &&
    (s.kind === 'class' || s.className === null) &&
    (f.language === 'go' ? /^[A-Z]/.test(s.name) : !s.name.startsWith('_'));
  const out = new Set<string>();
  for (const f of files) for (const s of f.symbols) if (isPublic(s, f)) out.add(s.name);
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
