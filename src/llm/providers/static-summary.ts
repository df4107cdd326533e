/**
 * The plain summary at the top of file and class pages (issue 12, reviewer: before the detail
 * sections a new team member wants, in a few sentences, what the file or class is for, who
 * starts or uses it, and the design choices its code shows). Each sentence restates facts the
 * page already computed — `fileFit` and `startedBy`/`creators` (who creates and calls it), the
 * class lifecycle (event loop, threads, callbacks, tasks, shutdown flag) and `summary` (parts
 * built in the constructor, caches, polling loops, computed waits) —, with names quoted from the
 * code so `verify` grounds them. At most 5 sentences; none when fewer than 2 can be grounded.
 */
import type { Facts } from '../types.ts';
import type { ClassLifecycle } from '../../analysis/lifecycle.ts';
import type { FileFitFact } from '../fit-facts.ts';
import type { CallSiteFact } from '../doc-facts.ts';
import type { SummaryFact } from '../summary-facts.ts';
import { docSummary } from './static-code.ts';
import { and, code } from './static-fit.ts';

const uniq = <T>(xs: T[]) => [...new Set(xs)];
const article = (w: string) => (/^[AEIOU]/.test(w) ? 'an' : 'a');

/** The lifecycle's run: the event loop an entry creates, the thread that calls back, what it submits, the tasks beside it. */
function lifecycleSentences(lc: ClassLifecycle | undefined): string[] {
  if (!lc) return [];
  const out: string[] = [];
  const parts: string[] = [];
  for (const e of lc.entries) {
    const loop = e.steps.find((s) => /\bnew_event_loop\(\)|\basyncio\.run\(/.test(s.text));
    if (loop) {
      parts.push(`${code(`${e.name}()`)} (line ${e.line}) runs the work on an asyncio event loop it creates (${code(loop.text)}, line ${loop.line})`);
      break;
    }
  }
  for (const r of lc.registrations) {
    // the thread's maker as the code names it (`BackgroundScheduler`), the detail sections quote the line
    const maker = r.thread ? /([A-Z]\w*)\s*\(/.exec(r.thread.excerpt)?.[1] : undefined;
    if (r.kind === 'callback' && r.thread) parts.push(`${code(r.receiverClass ?? r.via)} calls ${code(r.method)} back from a thread of its own (${maker ? `${code(maker)}, ` : ''}\`${r.thread.file}:${r.thread.line}\`)`);
    else if (r.kind === 'threadsafe') parts.push(`${code(r.in)} hands ${code(r.method)} to the loop with ${code(r.via)} (line ${r.line})`);
    else if (r.kind === 'thread') parts.push(`${code(r.in)} runs ${code(r.method)} on a thread (line ${r.line})`);
  }
  const tasks = lc.tasks.filter((t) => t.runs).map((t) => `${code(t.runs!)} runs beside it as ${t.kind === 'thread' ? 'a thread' : 'an asyncio task'} (line ${t.line})`);
  parts.push(...tasks.slice(0, 2));
  if (parts.length > 0) out.push(`${parts.join('; ')}.`);
  for (const flag of lc.flags) {
    const off = flag.sets.find((s) => !s.value && lc.signals.some((g) => g.handler === s.in));
    const loops = flag.loops.filter((l) => /^\s*while\b/.test(l.excerpt));
    if (!off || loops.length === 0) continue;
    const sigs = lc.signals.filter((g) => g.handler === off.in).map((g) => g.signal);
    out.push(`${and(sigs)} stop it: ${code(off.in)} sets ${code(flag.name)} to False (line ${off.line}), which ends its ${loops.length === 1 ? 'loop' : `${loops.length} loops`} ${code(loops[0].excerpt.trim())}.`);
    break;
  }
  return out;
}

/** Polling loops and computed waits (backoff), one sentence each, at most two. */
function waitSentences(s: SummaryFact | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  const grows = (w: SummaryFact['waits'][number]) => (w.grows ? `, which grows ${/\*\*|<</.test(w.grows.excerpt) ? 'exponentially' : 'with each call'}: ${code(w.grows.excerpt)} (\`${w.grows.file}:${w.grows.line}\`)` : '');
  const used = new Set<SummaryFact['waits'][number]>();
  for (const p of s.polls.slice(0, 1)) {
    const w = s.waits.find((x) => x.in === p.in);
    if (w) used.add(w);
    out.push(`${code(p.in)} polls ${code(p.check)} in a loop (line ${p.line}) until it succeeds${w ? `, waiting ${code(w.delay)} seconds between tries (line ${w.line})${grows(w)}` : ''}.`);
  }
  const rest = s.waits.filter((w) => !used.has(w));
  if (rest.length > 0) {
    const w = rest[0];
    out.push(`${code(w.in)} ${/backoff/i.test(w.delay) ? 'backs off: it ' : ''}sleeps for ${code(w.delay)} seconds (line ${w.line})${grows(w)}.`);
  }
  return out.slice(0, 2);
}

/** The parts its constructor builds; the classes its methods create; its caches. */
function designSentences(s: SummaryFact | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  if (s.parts.length > 0) {
    const lines = s.parts.map((p) => p.line);
    const at = Math.min(...lines) === Math.max(...lines) ? `line ${lines[0]}` : `lines ${Math.min(...lines)}-${Math.max(...lines)}`;
    out.push(`Its constructor builds its parts: ${and(s.parts.map((p) => (p.cls.includes('.') ? `${code(p.attribute)} from ${code(`${p.cls}()`)}` : `${code(p.cls)} (${code(p.attribute)})`)), 6)} (${at}).`);
  }
  for (const d of s.dispatches.slice(0, 1)) out.push(`${code(d.in)} (line ${d.line}) calls, under its \`if\` branches, ${and(d.to.map(code), 5)}.`);
  const makes = s.makes.slice(0, 2).map((m) => `${code(m.in)} creates ${article(m.cls)} ${code(m.cls)} (line ${m.line})`);
  const caches = s.caches.slice(0, 1).map((c) => `${code(c.in)} keeps results in ${code(c.attribute)}${c.type ? ` (${code(c.type)})` : ''} and returns the stored one when the key is already there (line ${c.line})`);
  const both = [...makes, ...caches];
  if (both.length > 0) out.push(`${both.join('; ')}.`);
  return out;
}

/**
 * "`find_candidates` (from `a` in `x.py`, `b` and `c` in `y.py`) and `close_repos` (from `d` in
 * `y.py`)": the two most called, by whom, in which file (the file grounds the caller's name).
 */
function usedText(u: FileFitFact['usedThrough']): string {
  const from = (sites: FileFitFact['usedThrough'][number]['sites']) => {
    const files = uniq(sites.map((c) => c.file));
    return and(files.map((f) => `${and(uniq(sites.filter((c) => c.file === f).map((c) => code(c.caller))), 3)} in \`${f}\``), 3);
  };
  return and(u.slice(0, 2).map((x) => `${code(x.name)} (from ${from(x.sites)})`), 2);
}

/** "`a` (`f:1`, for the `x` command)": who creates the class, entry points first. */
function creatorsSentence(subject: string, startedBy: { creator: string; file: string; line: number; by: string[] }[], creators: CallSiteFact[]): string | null {
  const short = (by: string) => by.replace(/\s*\(.*$/, '');
  const seen = new Set(startedBy.map((s) => `${s.file}:${s.line}`));
  const items = [
    ...startedBy.map((s) => `${code(s.creator)} (\`${s.file}:${s.line}\`, run by ${short(s.by[0] ?? '')})`),
    ...creators.filter((c) => !seen.has(`${c.file}:${c.line}`)).map((c) => {
      const handed = c.attributeUses?.handedTo?.[0];
      return `${code(c.caller)} (\`${c.file}:${c.line}\`${c.attributeUses ? `, kept in ${code(c.attributeUses.attribute)}${handed ? ` and handed on to ${code(handed.className)}` : ''}` : ''})`;
    }),
  ];
  return items.length > 0 ? `${subject} is created by ${and(items, 4)}.` : null;
}

/**
 * The summary paragraph of a class page (`**In short:**` and 2–5 sentences), or [] when fewer
 * than 2 sentences can be grounded.
 */
export function classSummaryLines(f: Facts): string[] {
  const startedBy = Array.isArray(f.extra.startedBy) ? (f.extra.startedBy as { creator: string; file: string; line: number; by: string[] }[]) : [];
  const creators = Array.isArray(f.extra.creators) ? (f.extra.creators as CallSiteFact[]) : [];
  const s = f.extra.summary as SummaryFact | undefined;
  const lc = f.extra.lifecycle as ClassLifecycle | undefined;
  const who = creatorsSentence('It', startedBy, creators);
  const used = s && s.usedThrough.length > 0 ? `Other files call ${usedText(s.usedThrough)}.` : null;
  return paragraph([...(who ? [who] : []), ...(used ? [used] : []), ...lifecycleSentences(lc), ...waitSentences(s), ...designSentences(s)]);
}

/**
 * The summary paragraph of a file page: its main class and what it is for, who creates and
 * calls it, then the class's run and design (as on its class page), or [] when fewer than 2
 * sentences can be grounded.
 */
export function fileSummaryLines(f: Facts): string[] {
  const fit = f.extra.fileFit as FileFitFact | undefined;
  if (!fit) return [];
  const out: string[] = [];
  const symbols = Array.isArray(f.extra.symbols) ? (f.extra.symbols as { name: string; kind: string; doc?: string }[]) : [];
  const m = fit.mainClass;
  const eps = Array.isArray(f.extra.entryPoints) ? (f.extra.entryPoints as string[]) : [];
  if (m) {
    const doc = docSummary(symbols.find((x) => x.name === m.name && x.kind === 'class')?.doc ?? null);
    const others = symbols.filter((x) => x.name !== m.name && !x.name.startsWith('_') && !x.name.includes('.')).map((x) => code(x.name));
    out.push(`Its core is the class ${code(m.name)} (line ${m.line})${doc ? `: “${doc.replace(/\.$/, '')}”` : ''}${others.length > 0 ? `; beside it ${others.length === 1 ? 'is' : 'are'} ${and(others, 3)}` : ''}.`);
  }
  const role: string[] = [];
  if (eps.length > 0) role.push(`it is run directly as ${eps[0].replace(/\s*\(.*$/, '')}`);
  if (m && m.creators.length > 0) role.push(`${code(m.name)} is created by ${and(uniq(m.creators.map((c) => code(c.caller))), 4)}`);
  if (fit.usedThrough.length > 0) role.push(`other files call ${usedText(fit.usedThrough)}`);
  if (role.length > 0) out.push(`${role.join('; ').charAt(0).toUpperCase()}${role.join('; ').slice(1)}.`);
  const lcs = Array.isArray(f.extra.fileLifecycle) ? (f.extra.fileLifecycle as ClassLifecycle[]) : [];
  const s = f.extra.summary as SummaryFact | undefined;
  out.push(...lifecycleSentences(lcs.find((l) => l.className === m?.name)), ...waitSentences(s), ...designSentences(s));
  return paragraph(out);
}

function paragraph(sentences: string[]): string[] {
  const s = sentences.filter(Boolean).slice(0, 5);
  return s.length < 2 ? [] : [`**In short:** ${s.join(' ')}`, ''];
}
