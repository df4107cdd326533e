/**
 * file_doc: files of ≥ 20 lines ranked by lines, function count, size and imports (SPEC
 * section 4). The page shows the whole file; the cycle reads it once a target is chosen, and
 * the dedup key is the file's content hash from the index.
 */
import { fileCandidates } from '../../index/score.ts';
import type { TargetFinder } from '../types.ts';
import { fileTarget } from '../common.ts';
import { topLevelSymbols } from '../../llm/facts.ts';

export const finder: TargetFinder = {
  docType: 'file_doc',
  find(input) {
    return fileCandidates(input.index).map(({ file, score }) => {
      const top = topLevelSymbols(file);
      return fileTarget('file_doc', input, file, {
        score,
        context: {
          // Counts that add up: top-level functions and classes are the symbols listed; methods apart.
          functionCount: top.filter((s) => s.kind !== 'class').length,
          classCount: top.filter((s) => s.kind === 'class').length,
          methodCount: file.symbols.filter((s) => s.kind === 'method').length,
          imports: file.imports.map((i) => i.module),
          symbols: top.map((s) => `${s.kind} ${s.displayName} (lines ${s.startLine}-${s.endLine})`),
        },
      });
    });
  },
};
