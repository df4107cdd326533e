/**
 * The static provider's "Lifecycle" lines and static gotchas (issue 12): start-up order, what
 * runs concurrently, how it stops — from `facts.extra.lifecycle` (src/llm/lifecycle-facts.ts) —
 * and the ranked `facts.extra.staticGotchas`. Pure functions over the facts; every sentence
 * names the line it comes from.
 */
import type { Facts } from '../types.ts';
import type { ClassLifecycle, LifecycleStep, Registration, TaskStart } from '../../analysis/lifecycle.ts';
import type { StaticGotcha } from '../../analysis/gotchas.ts';
import type { MethodLifecycle } from '../lifecycle-facts.ts';
import { code } from '../../core/code-text.ts';

function lineRange(ns: number[]): string {
  const u = [...new Set(ns)].sort((a, b) => a - b);
  if (u.length === 1) return `line ${u[0]}`;
  const contiguous = u.every((n, i) => i === 0 || n === u[i - 1] + 1);
  return contiguous ? `lines ${u[0]}-${u[u.length - 1]}` : `lines ${u.join(', ')}`;
}

/** "SIGTERM, SIGINT → `_handle_shutdown`; SIGHUP → `_handle_reload`" with where they are installed. */
function signalLines(m: Pick<ClassLifecycle, 'signals' | 'methods' | 'handlerEffects'>): string[] {
  if (m.signals.length === 0) return [];
  const byHandler = new Map<string, string[]>();
  for (const s of m.signals) byHandler.set(s.handler, [...(byHandler.get(s.handler) ?? []), s.signal]);
  const where = [...new Set(m.signals.map((s) => s.in))];
  const callers = where.flatMap((w) => m.methods.filter((x) => x.calls.includes(w)).map((x) => x.name));
  const mech = [...new Set(m.signals.map((s) => s.mechanism))].map((x) => code(x === 'signal.signal' ? 'signal.signal' : 'add_signal_handler')).join(' and ');
  const list = [...byHandler].map(([h, sigs]) => `${sigs.join(', ')} → ${code(h)}`).join('; ');
  return [`- Signals: ${where.map(code).join(', ')} installs handlers with ${mech} (${lineRange(m.signals.map((s) => s.line))})${callers.length > 0 ? `, called from ${[...new Set(callers)].map(code).join(', ')}` : ''}: ${list}.`];
}

function registrationText(r: Registration): string {
  const receiver = /^(.*)\.[A-Za-z_]\w*$/.exec(r.via)?.[1];
  if (r.kind === 'threadsafe') return `${code(r.in)} submits ${code(`${r.method}()`)} to the event loop with ${code('asyncio.run_coroutine_threadsafe')} (line ${r.line}): the call is made from a thread other than the loop's, and the coroutine runs on the loop${r.waits ? `; the calling thread waits for it with ${code(r.waits.excerpt)} (line ${r.waits.line})` : ''}.`;
  if (r.kind === 'executor') return `${code(r.in)} runs ${code(r.method)} in an executor thread with ${code(r.via)} (line ${r.line}).`;
  const thread = r.thread && r.receiverClass ? ` ${code(r.receiverClass)} works on a thread of its own (${code(r.thread.excerpt)} at \`${r.thread.file}:${r.thread.line}\`), so ${code(r.method)} is called from that thread, not from the event loop.` : '';
  return `${receiver ? code(receiver) : code(r.via)} calls ${code(r.method)} back: ${code(r.in)} hands it over with ${code(r.excerpt)} (line ${r.line}).${thread}`;
}

function taskText(t: TaskStart): string {
  const what = t.runs ? code(`${t.runs}()`) : code(t.excerpt);
  const kind = t.kind === 'thread' ? 'on its own thread' : 'as an asyncio task beside the code that started it';
  const stop = t.stoppedBy.length > 0 ? `; stopped by ${t.stoppedBy.map((s) => `${s.how === 'cancel' ? 'cancelling' : s.how === 'join' ? 'joining' : s.how === 'gather' ? 'gathering' : 'awaiting'} it in ${code(s.in)} (line ${s.line})`).join(', ')}` : t.storedAs ? `; nothing cancels or awaits ${code(t.storedAs)}` : '; its handle is not kept';
  return `${what} runs ${kind}, started in ${code(t.in)} (line ${t.line})${t.storedAs ? ` and kept in ${code(t.storedAs)}` : ''}${stop}.`;
}

/** An entry's start-up steps as a numbered sub-list, the steps of a method it calls under a "then, in `m`" line. */
function startupLines(e: ClassLifecycle['entries'][number], label = `Start-up through ${code(`${e.name}()`)} (line ${e.line}), in order:`): string[] {
  const steps = e.steps.filter((s) => !s.finally);
  if (steps.length < 2) return [];
  const out = [`- ${label}`];
  let n = 0;
  let current = e.name;
  for (const s of steps) {
    if (s.in !== current) {
      current = s.in;
      out.push(`  - then, in ${code(s.in)}:`);
    }
    out.push(`${s.in === e.name ? '  ' : '    '}${++n}. ${code(s.text)} (line ${s.line})`);
  }
  return out;
}

function stepText(s: LifecycleStep, entry: string): string {
  return `${s.in !== entry ? `in ${code(s.in)}: ` : ''}${code(s.text)} (line ${s.line})`;
}

/** How the flag loops end: who sets the flag to False and which loops then stop. */
function stopLines(m: Pick<ClassLifecycle, 'signals' | 'flags' | 'handlerEffects' | 'entries'>, onlyLoopsIn?: string): string[] {
  const out: string[] = [];
  const byHandler = new Map<string, string[]>();
  for (const s of m.signals) byHandler.set(s.handler, [...(byHandler.get(s.handler) ?? []), s.signal]);
  for (const [h, sigs] of onlyLoopsIn ? [] : byHandler) {
    const eff = m.handlerEffects[h] ?? [];
    out.push(eff.length > 0 ? `- ${sigs.join(', ')} → ${code(h)}: ${eff.slice(0, 4).map((e) => `${code(e.text)} (line ${e.line})`).join(', ')}.` : `- ${sigs.join(', ')} → ${code(h)}: it only logs, so the signal changes nothing else.`);
  }
  for (const f of m.flags) {
    const offs = f.sets.filter((s) => !s.value);
    const loops = f.loops.filter((l) => /^while\b/.test(l.excerpt) && (!onlyLoopsIn || l.in === onlyLoopsIn));
    if (offs.length === 0 || loops.length === 0) continue;
    const sigsOf = (h: string) => m.signals.filter((x) => x.handler === h).map((x) => x.signal);
    out.push(`- ${offs.map((o) => `${code(o.in)}${sigsOf(o.in).length > 0 ? ` (on ${sigsOf(o.in).join(', ')})` : ''} (line ${o.line})`).join(', ')} set${offs.length === 1 ? 's' : ''} ${code(`${f.name} = False`)}, which ends ${loops.map((l) => `${code(l.excerpt)} in ${code(l.in)} (line ${l.line})`).join(', ')}.`);
  }
  for (const e of m.entries) {
    const fin = e.steps.filter((s) => s.finally);
    if (fin.length > 0) out.push(`- ${code(e.name)} then runs, in its ${code('finally')} (also after an error): ${fin.map((s) => stepText(s, e.name)).join(', ')}.`);
  }
  return out;
}

/**
 * The lifecycle lines of a class page (appended to its Lifecycle section): signal handlers,
 * start-up order of each entry method, what runs concurrently, how it stops. [] without facts.
 */
export function classLifecycleLines(f: Facts): string[] {
  const m = f.extra.lifecycle as ClassLifecycle | undefined;
  if (!m || !Array.isArray(m.entries) || !Array.isArray(m.methods)) return [];
  const out: string[] = [''];
  out.push(...signalLines(m));
  for (const e of m.entries) out.push(...startupLines(e));
  const conc = [...m.registrations.map(registrationText), ...m.tasks.map(taskText)];
  if (conc.length > 0) out.push('', '**What runs concurrently**', '', ...conc.map((c) => `- ${c}`));
  const stop = stopLines(m);
  if (stop.length > 0) out.push('', '**How it stops**', '', ...stop);
  return out.length > 1 ? out : [];
}

/** The Lifecycle section of a method page: who registers or starts it, what it registers or starts, how its loops end. [] without facts. */
export function methodLifecycleSection(f: Facts): string[] {
  const m = f.extra.lifecycle as MethodLifecycle | undefined;
  if (!m || typeof m.method !== 'string' || !Array.isArray(m.registeredBy)) return [];
  const out: string[] = [];
  for (const r of m.registeredBy) out.push(`- ${registrationText(r)}`);
  if (m.signals.length > 0) {
    out.push(`- It is the handler of ${m.signals.map((s) => s.signal).join(', ')}, installed by ${code(m.signals[0].in)} with ${code(m.signals[0].mechanism)} (${lineRange(m.signals.map((s) => s.line))}): the process calls it when ${m.signals.length === 1 ? 'that signal arrives' : 'one of them arrives'}.`);
    const eff = m.handlerEffects[m.method] ?? [];
    out.push(eff.length > 0 ? `- What it does then: ${eff.slice(0, 4).map((e) => `${code(e.text)} (line ${e.line})`).join(', ')}.` : '- It only logs: the signal changes nothing else.');
  }
  if (m.installsSignals.length > 0) out.push(...signalLines({ signals: m.installsSignals, methods: [], handlerEffects: m.handlerEffects }));
  for (const t of m.startedAs) out.push(`- ${taskText(t)}`);
  for (const r of m.registers) out.push(`- ${registrationText(r)}`);
  for (const t of m.starts) out.push(`- ${taskText(t)}`);
  for (const e of m.entries) {
    if (e.name === m.method) continue;
    const via = e.steps.find((s) => s.text.includes(`self.${m.method}(`));
    if (via) out.push(`- ${code(`${e.name}()`)} (line ${e.line}) runs it: ${stepText(via, e.name)}.`);
  }
  const own = m.entries.find((e) => e.name === m.method);
  if (own) {
    out.push(...startupLines(own, own.steps.some((s) => s.in === own.name && /^self\.\w+\s*=\s*True$/.test(s.text)) ? 'Start-up order:' : 'What it runs, in order:'));
    // how what it started ends: the flag loops among its steps, the handlers that clear the flag, its finally
    const ran = new Set(own.steps.map((s) => s.in));
    const flags = m.flags.map((fl) => ({ ...fl, loops: fl.loops.filter((l) => ran.has(l.in) && own.steps.some((s) => s.line === l.line)) })).filter((fl) => fl.loops.length > 0);
    const sigs = (m.allSignals ?? []).filter((s) => flags.some((fl) => fl.sets.some((x) => !x.value && x.in === s.handler)));
    out.push(...stopLines({ signals: sigs, flags, handlerEffects: m.handlerEffects, entries: [own] }).filter((l) => !/ → /.test(l)));
  }
  if (m.loops.length > 0) {
    const reaching = m.entries.filter((e) => e.name !== m.method && e.steps.some((s) => s.text.includes(`self.${m.method}(`)));
    const stop = stopLines({ signals: m.allSignals ?? [], flags: m.flags.filter((fl) => m.loops.some((l) => l.flag.name === fl.name)), handlerEffects: m.handlerEffects, entries: reaching }, m.method);
    out.push(...stop);
  }
  // the lines cited lie outside the function: say which file they are in
  const file = typeof f.extra.file === 'string' ? f.extra.file : null;
  const where = file ? `From the code of ${code(m.className)} in \`${file}\`:` : null;
  return out.length > 0 ? ['### Lifecycle', '', ...(where ? [where, ''] : []), ...out, ''] : [];
}

/**
 * A file page's Lifecycle section: one line per class with lifecycle work — its signals, its
 * entry methods, what runs beside it. [] without facts.
 */
export function fileLifecycleSection(f: Facts): string[] {
  const ms = f.extra.fileLifecycle as ClassLifecycle[] | undefined;
  if (!Array.isArray(ms) || ms.length === 0) return [];
  const out: string[] = ['### Lifecycle', ''];
  for (const m of ms) {
    const parts: string[] = [];
    if (m.entries.length > 0) parts.push(`entered through ${m.entries.map((e) => `${code(`${e.name}()`)} (line ${e.line})`).join(', ')}`);
    const byHandler = new Map<string, string[]>();
    for (const s of m.signals) byHandler.set(s.handler, [...(byHandler.get(s.handler) ?? []), s.signal]);
    if (byHandler.size > 0) parts.push(`handles ${[...byHandler].map(([h, sigs]) => `${sigs.join(', ')} with ${code(h)}`).join(' and ')}`);
    for (const t of m.tasks) if (t.runs) parts.push(`runs ${code(`${t.runs}()`)} as ${t.kind === 'thread' ? 'a thread' : 'an asyncio task'} (line ${t.line})`);
    for (const r of m.registrations) if (r.kind === 'callback') parts.push(`is called back through ${code(r.method)}, handed to ${code(r.via)} (line ${r.line})`);
    if (parts.length > 0) out.push(`- ${code(m.className)} ${parts.join('; ')}.`);
  }
  out.push('');
  return out.length > 3 ? out : [];
}

/** The ranked static gotchas of the page as `{ line, text }` list items (merged with the other gotchas by the caller). */
export function staticGotchaItems(f: Facts): { line: number; severity: string; text: string }[] {
  const g = f.extra.staticGotchas as StaticGotcha[] | undefined;
  if (!Array.isArray(g)) return [];
  return g.map((x) => ({ line: x.line, severity: x.severity, text: `- **${x.kind}** at line ${x.line}${x.in ? ` (${code(x.in)})` : ''}: ${x.note}.` }));
}

/** Names of constants nothing reads (the class page marks them in its State table). */
export function unusedConstantNames(f: Facts): Set<string> {
  return new Set(Array.isArray(f.extra.unusedConstants) ? (f.extra.unusedConstants as string[]) : []);
}

/**
 * The role of a context manager handed to a web framework as its lifespan
 * (`FastAPI(lifespan = lifespan)`, Starlette, Quart, Litestar): the code before `yield` runs
 * once at application start-up, the code after it once at shutdown. Null when no reference
 * passes `name` as `lifespan=`.
 */
export function lifespanRole(name: string, refs: { file: string; line: number; excerpt: string | null }[]): string | null {
  const ref = refs.find((r) => r.excerpt && new RegExp(`\\blifespan\\s*=\\s*${name}\\b`).test(r.excerpt));
  if (!ref) return null;
  return `Passed as \`lifespan=\` at \`${ref.file}:${ref.line}\` (${code(ref.excerpt!)}), it is the application's lifespan: the part before \`yield\` runs once at start-up, the part after it once at shutdown, and the application serves requests in between.`;
}
