/**
 * What a function hands its work to inside the repository (issue 12, the reviewer's "when/why to
 * use" line and the trap of a callee): the calls of the function that resolve to the
 * repository's own functions, methods and classes, found with the same resolver that lists
 * callers (`findCallers`, run the other way: a callee is a symbol whose callers include this
 * call). And the consequence of a callee's lifecycle trap on this caller: a method of another
 * class that never sets the flag its loops wait on (`unsetFlags`) is said on the page of the
 * function that calls it, at the calling line.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CodeSymbol, RepoIndex } from '../index/types.ts';
import type { Target } from '../targets/types.ts';
import { findCallers } from './facts.ts';
import { classLifecycle, reachable, type ClassLifecycle, type UnsetFlag } from '../analysis/lifecycle.ts';
import type { StaticGotcha } from '../analysis/gotchas.ts';
import { cutCode } from '../core/code-text.ts';

/** `extra.callees`: one entry per call of the function that resolves to a repository symbol, in line order. */
export interface CalleeFact {
  /** The callee as written (`daemon.run_once`) and the calling line. */
  callee: string;
  line: number;
  /** The repository symbol (`CodeWormDaemon.run_once`), its file and first line; `class` for a construction. */
  symbol: string;
  file: string;
  startLine: number;
  kind: 'function' | 'class';
  className: string | null;
  name: string;
}

/**
 * The repository symbols a function target calls (`extra.callees`), at most `limit`. A name
 * that several symbols share resolves to each whose callers include the calling line. Empty
 * for targets that are not functions.
 */
export function repoCallees(target: Target, index: RepoIndex, limit = 12): CalleeFact[] {
  const sym = target.symbol;
  if (!sym || !target.functionName) return [];
  const names = new Set(sym.calls.map((c) => c.name));
  const out: CalleeFact[] = [];
  const cache = new Map<CodeSymbol, { file: string; line: number }[]>();
  for (const file of index.files) {
    for (const s of file.symbols) {
      if (!names.has(s.name) || s === sym) continue;
      const callers = cache.get(s) ?? findCallers(s, file.path, index);
      cache.set(s, callers);
      for (const c of sym.calls) {
        if (c.name !== s.name || !callers.some((x) => x.file === target.relPath && x.line === c.line)) continue;
        if (out.some((o) => o.line === c.line && o.symbol === s.displayName)) continue;
        out.push({ callee: c.callee, line: c.line, symbol: s.displayName, file: file.path, startLine: s.startLine, kind: s.kind === 'class' ? 'class' : 'function', className: s.kind === 'class' ? s.name : s.className, name: s.name });
      }
    }
  }
  return out.sort((a, b) => a.line - b.line).slice(0, limit);
}

/** The first line of a function's body (source from its `def` line at `startLine`) that calls `self.<name>(`. */
function selfCallLine(source: string, startLine: number, name: string): { line: number; text: string } | null {
  const re = new RegExp(`\\bself\\.${name}\\s*\\(`);
  const i = source.split('\n').findIndex((l, k) => k > 0 && re.test(l.replace(/#.*$/, '')));
  return i < 0 ? null : { line: startLine + i, text: source.split('\n')[i].trim() };
}

/** The method the entry calls first on its way to `target` (a direct `self.` call), by the class's call graph. */
function firstHop(model: Pick<ClassLifecycle, 'methods'>, entry: string, target: string): string | null {
  const own = model.methods.find((m) => m.name === entry)?.calls ?? [];
  return own.find((c) => c === target || reachable(model, c).has(target)) ?? null;
}

/** How the loop a flag keeps running is skipped: `` `while self.running:` in `_wait_for_ollama` (line 208) never runs its body: … ``. */
function skipped(u: UnsetFlag, where: (line: number) => string): string {
  return u.loops.map((l) => `\`${l.excerpt}\` in \`${l.in}\` (${where(l.line)}) ${/^while\b/.test(l.excerpt) ? `never runs its body${l.after ? `: \`${l.in}\` goes straight to \`${l.after.excerpt}\` (${where(l.after.line)}) instead of looping` : ', and the method ends'}` : 'is true at once'}`).join('; ');
}

/**
 * The trap of an entry method that never sets the flag its loops wait on (`unsetFlags`), said
 * on the entry's own page at its own line: the call (`self._ensure_ollama_ready()`, line 779)
 * through which it reaches the loop, then what the loop does instead. Falls back to the entry's
 * first line when no direct call is found.
 */
export function entryFlagGotcha(u: UnsetFlag, model: Pick<ClassLifecycle, 'methods'>, source: string, startLine: number): StaticGotcha {
  const loopIn = u.loops[0].in;
  const hop = loopIn === u.entry ? null : firstHop(model, u.entry, loopIn);
  const at = hop ? selfCallLine(source, startLine, hop) : null;
  const via = at && hop ? `\`${cutCode(at.text, 70)}\` reaches \`${loopIn}\`${hop !== loopIn ? ` through \`${hop}\`` : ''}, and there ` : '';
  return {
    kind: 'flag never set',
    severity: 'high',
    line: at?.line ?? u.entryLine,
    in: u.entry,
    excerpt: at?.text ?? u.loops[0].excerpt,
    note: `\`${u.entry}\` never sets \`${u.flag}\` to True (only ${u.setIn.map((s) => `\`${s.in}\` does, line ${s.line}`).join(', ')}): ${via}${skipped(u, (n) => `line ${n}`)}`,
  };
}

/**
 * The callee traps of a function page: for each call into a method of another class of the
 * repository (`extra.callees`) that is an entry never setting a flag its loops wait on, one
 * gotcha at the calling line, with the callee's lines as `file:line`. Python classes only
 * (the lifecycle reader parses Python); reads each callee's file once.
 */
export async function calleeFlagGotchas(target: Target, callees: CalleeFact[], root: string, index: RepoIndex): Promise<StaticGotcha[]> {
  const out: StaticGotcha[] = [];
  const models = new Map<string, ClassLifecycle | null>();
  for (const c of callees) {
    if (c.kind !== 'function' || !c.className || (c.className === target.className && c.file === target.relPath)) continue;
    const key = `${c.file}#${c.className}`;
    if (!models.has(key)) {
      const cls = index.files.find((f) => f.path === c.file)?.symbols.find((s) => s.kind === 'class' && s.name === c.className);
      let model: ClassLifecycle | null = null;
      if (cls) {
        try {
          const text = (await readFile(path.join(root, c.file), 'utf8')).split('\n').slice(cls.startLine - 1, cls.endLine).join('\n');
          model = classLifecycle(text, cls.startLine);
        } catch {
          model = null;
        }
      }
      models.set(key, model);
    }
    const model = models.get(key);
    for (const u of model?.unsetFlags.filter((x) => x.entry === c.name) ?? []) {
      const where = (n: number) => `\`${c.file}:${n}\``;
      out.push({
        kind: 'flag never set',
        severity: 'high',
        line: c.line,
        in: target.functionName ?? undefined,
        excerpt: c.callee,
        note: `it calls \`${c.symbol}\` here (${where(c.startLine)}), which never sets \`${u.flag}\` to True (only ${u.setIn.map((s) => `\`${s.in}\` does, ${where(s.line)}`).join(', ')}), so through this call ${skipped(u, where)}`,
      });
    }
  }
  return out;
}
