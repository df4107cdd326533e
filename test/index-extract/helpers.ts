/** Shared helpers of the extraction tests. */
import assert from 'node:assert/strict';
import { extractSource, type FileExtraction } from '../../src/index/extract.ts';
import type { CodeSymbol, LanguageId } from '../../src/index/types.ts';

/** Remove the common indentation of a template literal and its first newline. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const margin = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(margin)).join('\n');
}

export function extract(language: LanguageId, code: string): Promise<FileExtraction> {
  return extractSource(language, dedent(code));
}

/** The symbol with this display name; fails the test when absent. */
export function symbol(result: FileExtraction, displayName: string): CodeSymbol {
  const s = result.symbols.find((x) => x.displayName === displayName);
  assert.ok(s, `no symbol ${displayName}; have ${result.symbols.map((x) => x.displayName).join(', ')}`);
  return s;
}

/** Cyclomatic complexity of the one function in `code` named `name`. */
export async function cc(language: LanguageId, code: string, name = 'f'): Promise<number> {
  return symbol(await extract(language, code), name).metrics.cyclomatic;
}
