/**
 * Facts for the plain summary at the top of file and class pages (issue 12, reviewer: a new
 * team member wants what the class is for, who starts it and the design choices the code
 * shows before the detail sections). Read from a class's source in the index, line based like
 * the lifecycle readers: the parts its constructor builds, the repository classes its methods
 * create, the attributes it uses as a cache, the loops that poll until something succeeds and
 * the waits whose length a method computes (backoff). Only what the lines show; nothing guessed.
 */
import type { CodeSymbol, FileRecord, RepoIndex } from '../index/types.ts';
import type { Target } from '../targets/types.ts';
import type { Facts } from './types.ts';
import { isStructureFacts } from '../analysis/structure.ts';
import { cutCode } from '../core/code-text.ts';
import { conditionsOver } from './providers/frequency.ts';
import { usedFromOutside, type FileFitFact } from './fit-facts.ts';

/** `extra.summary` of a class or file page (for a file: of its main class). */
export interface SummaryFact {
  className: string;
  /**
   * Instance attributes the constructor builds from a class (`self.scanner = RepoScanner(…)`,
   * `cls` `RepoScanner`) or a class's own method (`self.tree = ParserManager.parse(…)`, `cls`
   * `ParserManager.parse`).
   */
  parts: { attribute: string; cls: string; line: number }[];
  /** Public methods whose calls to several of the class's own methods all sit under `if`s (`extract_functions` → `_extract_python_functions`, …). */
  dispatches: { in: string; line: number; to: string[] }[];
  /** Repository classes (with 3 methods or more: not plain records) that methods other than the constructor create. */
  makes: { cls: string; in: string; line: number }[];
  /** Attributes used as a cache: checked with `in` and returned when present. */
  caches: { attribute: string; type: string | null; in: string; line: number }[];
  /** `while` loops that call a check until it succeeds (`if await client.health_check(): return True`), sleeping between tries. */
  polls: { in: string; line: number; check: string }[];
  /** Its public methods that other files call (`usedFromOutside`). */
  usedThrough: FileFitFact['usedThrough'];
  /** Sleeps whose length a method computes (`backoff = self.stats.get_backoff_seconds()` … `sleep(backoff)`), and how that grows. */
  waits: { in: string; line: number; delay: string; grows: { file: string; line: number; excerpt: string } | null }[];
}

const indent = (l: string) => l.length - l.trimStart().length;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The method `name` of the repository (the target's file first) and the line that returns a power of two or a shift, if any. */
function growth(name: string, file: FileRecord, index: RepoIndex): SummaryFact['waits'][number]['grows'] {
  for (const f of [file, ...index.files.filter((x) => x !== file)]) {
    const m = f.symbols.find((s) => s.kind !== 'class' && s.name === name);
    if (!m) continue;
    const lines = m.source.split('\n');
    const i = lines.findIndex((l) => /^\s*return\b.*(?:\*\*|<<)/.test(l));
    return i < 0 ? null : { file: f.path, line: m.startLine + i, excerpt: cutCode(lines[i].trim(), 90) };
  }
  return null;
}

function methodsOf(cls: CodeSymbol, file: FileRecord): CodeSymbol[] {
  return file.symbols.filter((s) => s.kind !== 'class' && s.className === cls.name && s.displayName === `${cls.name}.${s.name}` && s.startLine >= cls.startLine && s.endLine <= cls.endLine);
}

/** The summary facts of class `cls` of `file` (see `SummaryFact`). Cost: one pass over the class's lines. */
export function summaryFactsOf(cls: CodeSymbol, file: FileRecord, index: RepoIndex): SummaryFact {
  const methods = methodsOf(cls, file);
  const out: SummaryFact = { className: cls.name, parts: [], dispatches: [], makes: [], caches: [], polls: [], waits: [], usedThrough: usedFromOutside(methods.filter((m) => !m.name.startsWith('_')), file.path, index) };
  const ctor = methods.find((m) => m.name === '__init__' || m.name === 'constructor');
  const st = file.facts?.structure;
  const attrs = isStructureFacts(st) ? (st.classes[cls.name] ?? []) : [];
  for (const a of attrs) {
    const built = /^(?:new\s+)?([A-Z]\w*(?:\.[a-z_]\w*)?)\s*\(/.exec(a.value ?? '');
    if (a.kind === 'instance' && built && ctor && a.line >= ctor.startLine && a.line <= ctor.endLine) out.parts.push({ attribute: `self.${a.name}`, cls: built[1], line: a.line });
  }
  const classes = new Map<string, CodeSymbol>();
  for (const f of index.files) for (const s of f.symbols) if (s.kind === 'class' && (s.methodCount ?? 0) >= 3 && !classes.has(s.name)) classes.set(s.name, s);
  for (const m of methods) {
    if (m === ctor) continue;
    for (const c of m.calls) if (c.callee === c.name && classes.has(c.name) && c.name !== cls.name && !out.makes.some((x) => x.cls === c.name && x.in === m.name)) out.makes.push({ cls: c.name, in: m.name, line: c.line });
    // a dispatch: every call to the class's own methods sits under an `if`, and there are several
    const own = m.calls.filter((c) => /^(?:self|this)\.\w+$/.test(c.callee) && methods.some((x) => x.name === c.name && x !== m));
    if (!m.name.startsWith('_') && own.length >= 2 && own.every((c) => conditionsOver(m.source, m.startLine, m.startLine, c.line).length > 0)) out.dispatches.push({ in: m.name, line: m.startLine, to: [...new Set(own.map((c) => c.name))] });
    const lines = m.source.split('\n');
    const at = (i: number) => m.startLine + i;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      // a cache: `if key in self.x:` then `return self.x[key]`
      const cache = /^\s*if\s+(.+?)\s+in\s+self\.(\w+)\s*:/.exec(l);
      if (cache && /^\s*return\s+self\.\w+\[/.test(lines[i + 1] ?? '') && (lines[i + 1] ?? '').includes(`self.${cache[2]}[`) && !out.caches.some((x) => x.attribute === `self.${cache[2]}`)) {
        const a = attrs.find((x) => x.name === cache[2]);
        out.caches.push({ attribute: `self.${cache[2]}`, type: a?.type ?? null, in: m.name, line: at(i) });
      }
      // a poll: `while …:` whose body returns or breaks when a call succeeds, and sleeps
      if (/^\s*while\b/.test(l)) {
        const body: number[] = [];
        for (let j = i + 1; j < lines.length && (lines[j].trim() === '' || indent(lines[j]) > indent(l)); j++) body.push(j);
        const sleeps = body.some((j) => /\bsleep\s*\(/.test(lines[j]));
        for (const j of body) {
          const check = /^\s*if\s+(?:await\s+)?([\w.]+\([^)]*\))\s*:/.exec(lines[j]);
          if (!check || !sleeps) continue;
          const inner = body.filter((k) => k > j && indent(lines[k]) > indent(lines[j]));
          if (inner.some((k) => /^\s*(?:return\s+True\b|break\b)/.test(lines[k]))) {
            out.polls.push({ in: m.name, line: at(i), check: check[1] });
            break;
          }
        }
      }
      // a computed wait: `sleep(name)` or `for _ in range(name):` around `sleep(1)`, `name = <call>` before it
      const slept = /\bsleep\s*\(\s*([A-Za-z_]\w*)\s*\)/.exec(l)?.[1] ?? (/^\s*for\s+\w+\s+in\s+range\(\s*([A-Za-z_]\w*)\s*\)\s*:/.exec(l) && lines.slice(i + 1, i + 4).some((x) => /\bsleep\s*\(/.test(x)) ? /range\(\s*(\w+)/.exec(l)![1] : undefined);
      if (!slept) continue;
      for (let j = i - 1; j >= 0; j--) {
        const as = new RegExp(`^\\s*${esc(slept)}\\s*=\\s*(?:await\\s+)?([\\w.]+)\\(`).exec(lines[j]);
        if (!as) continue;
        const name = as[1].split('.').pop()!;
        const grows = growth(name, file, index);
        if (grows || /backoff|retry|delay|wait/i.test(name)) out.waits.push({ in: m.name, line: at(i), delay: `${as[1]}()`, grows });
        break;
      }
    }
  }
  return out;
}

/** Fill `facts.extra.summary` for a class target, or a file target with a main class (`extra.fileFit`). */
export function addSummaryFacts(target: Target, facts: Facts, index: RepoIndex): void {
  const file = index.files.find((f) => f.path === target.relPath);
  if (!file) return;
  const fit = facts.extra.fileFit as FileFitFact | undefined;
  const cls = target.symbol?.kind === 'class' ? target.symbol : !target.symbol && fit?.mainClass ? file.symbols.find((s) => s.kind === 'class' && s.name === fit.mainClass!.name && s.startLine === fit.mainClass!.line) : undefined;
  if (cls) facts.extra.summary = summaryFactsOf(cls, file, index);
}
