import { extractSource } from '../../src/index/extract.ts';
import type { LanguageId } from '../../src/index/types.ts';
import type { FileExtraction } from '../../src/index/extract.ts';
import type { CodeSymbol } from '../../src/index/types.ts';

/** Extract `source` and index its symbols by display name. */
export async function extract(language: LanguageId, source: string): Promise<FileExtraction & { by: (name: string) => CodeSymbol }> {
  const r = await extractSource(language, source);
  const by = (name: string): CodeSymbol => {
    const s = r.symbols.find((x) => x.displayName === name);
    if (!s) throw new Error(`no symbol ${name} among ${r.symbols.map((x) => x.displayName).join(', ')}`);
    return s;
  };
  return Object.assign(r, { by });
}
