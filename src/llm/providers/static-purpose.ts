/**
 * A purpose for a function or class without a docstring (issue 12, the blind review beside the
 * seeds: "a function with no docstring gets an empty or weak purpose"), derived from what the
 * code shows and nothing else: the attributes it changes, the side effects of its calls (file
 * system, network, subprocess, database, process state), the calls that do its work, what it
 * returns and what it raises. Every name is quoted from the code, so `verify` grounds it.
 */
import type { Facts } from '../types.ts';
import { cutCode, raisedExceptions, returnValues, sideEffects } from './static-code.ts';
import { conditionsOver, loopPace, type LoopPace } from './frequency.ts';
import { and, callList, code } from '../../core/code-text.ts';

export { callList };


/** A list a page section shows in full, said in a sentence: named when short, else counted with where to find it. */
function counted(items: string[], max: number, word: string, where: string): string {
  return items.length <= max ? and(items.map(code)) : `${items.length} ${word} (listed under ${where})`;
}

/** Calls that say nothing about what a function is for (conversions, checks, logging). */
const TRIVIAL = /^(?:len|str|int|isinstance|print|super|range|list|dict|set|tuple|bool|float|getattr|hasattr|format|repr|sorted|enumerate|zip|min|max|type|round|any|all|next|iter|(?:self\.)?(?:logger|log|logging|_log|_logger)\.\w+|console\.\w+|(?:[\w.]+|"[^"]*"|'[^']*')\.(?:get|items|keys|values|strip|lower|upper|split|splitlines|join|startswith|endswith|format|isoformat|copy)|Path|str\.\w+|(?:datetime\.)?datetime\.(?:now|utcnow|today)|.+\.total_seconds|date\.today|time\.(?:time|monotonic|perf_counter)|Date\.now)$/;

const EFFECT_WORDS: Record<string, string> = {
  'file system': 'works on files',
  network: 'makes network calls',
  subprocess: 'runs processes',
  database: 'uses the database',
  'process state': 'changes process state',
};

/**
 * What the body does to `self`/`this`: attributes incremented, assigned, added to, cleared —
 * each once, in source order, `__init__`-style assignment included (the caller decides).
 */
function attributeChanges(source: string): { inc: string[]; set: string[]; grow: string[]; clear: string[] } {
  const out = { inc: [] as string[], set: [] as string[], grow: [] as string[], clear: [] as string[] };
  const add = (list: string[], name: string) => {
    if (!Object.values(out).some((l) => l.includes(name))) list.push(name);
  };
  for (const raw of source.split('\n').slice(1)) {
    const l = raw.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$|\/\/.*$/, '');
    for (const m of l.matchAll(/\b((?:self|this)\.[A-Za-z_$][\w$]*)\s*(\+=|-=|=(?!=))/g)) add(m[2] === '=' ? out.set : out.inc, m[1]);
    for (const m of l.matchAll(/\b((?:self|this)\.[A-Za-z_$][\w$]*)\.(append|extend|add|update|push|setdefault|insert|clear|pop|remove|discard)\s*\(/g)) add(/^(?:clear|pop|remove|discard)$/.test(m[2]) ? out.clear : out.grow, m[1]);
  }
  return out;
}

/**
 * One sentence (without the leading label) of what a function does, from its code; null when
 * the code shows nothing to say (no call that does work, no change, no value returned).
 */
export function derivedFunctionPurpose(source: string, name: string, startLine: number, language: string, calls: Facts['calls']): string | null {
  const parts: string[] = [];
  const ch = attributeChanges(source);
  if (ch.inc.length > 0) parts.push(`increments ${and(ch.inc.map(code))}`);
  if (ch.set.length > 0) parts.push(`sets ${and(ch.set.map(code))}`);
  if (ch.grow.length > 0) parts.push(`adds to ${and(ch.grow.map(code))}`);
  if (ch.clear.length > 0) parts.push(`empties ${and(ch.clear.map(code))}`);
  // reading the environment changes nothing
  const effects = sideEffects(calls).map((e) => ({ ...e, calls: e.calls.filter((c) => !/\benviron\.(?:get|copy|items|keys|values)$/.test(c.callee)) })).filter((e) => e.kind in EFFECT_WORDS && e.calls.length > 0);
  for (const e of effects) parts.push(`${EFFECT_WORDS[e.kind]} (${and(e.calls.map((c) => code(c.callee)))})`);
  const shown = new Set(effects.flatMap((e) => e.calls.map((c) => c.callee)));
  const changed = [...ch.grow, ...ch.clear];
  // a loop paced by a sleep: the function is a periodic check (a watchdog, a poller)
  const paced = pacedLoop(source, startLine);
  if (paced) parts.push(`repeats ${code(paced.header)}, waiting ${code(paced.pace.call)} between rounds`);
  const work: { callee: string; awaited: boolean; when: string }[] = [];
  for (const c of calls) {
    const callee = c.callee.replace(/^await\s+/, '');
    if (TRIVIAL.test(callee) || shown.has(callee) || changed.some((x) => callee.startsWith(`${x}.`)) || work.some((w) => w.callee === callee)) continue;
    if (paced && SLEEP_CALL.test(callee)) continue;
    // the caller's own `if`s around the call: it does that work only then
    const when = conditionsOver(source, startLine, startLine, c.line).map((g) => code(cutCode(g.condition, 60))).join(' and ');
    work.push({ callee, awaited: c.awaited, when });
  }
  const verb = (ws: typeof work) => (ws.every((w) => w.awaited) ? 'awaits' : 'calls');
  const always = work.filter((w) => !w.when);
  if (always.length > 0) parts.push(`${verb(always)} ${callList(always.map((w) => w.callee))}`);
  const conds = [...new Set(work.filter((w) => w.when).map((w) => w.when))];
  for (const when of conds.slice(0, 2)) {
    const ws = work.filter((w) => w.when === when);
    parts.push(`when ${when}, ${verb(ws)} ${callList(ws.map((w) => w.callee))}`);
  }
  const values = returnValues(source, name, startLine, language).filter((v) => v.value !== '(nothing)');
  if (values.length > 0) parts.push(`returns ${values.length > 3 ? `one of ${values.length} values, such as ${values.slice(0, 2).map((v) => code(shortValue(v.value))).join(' or ')}` : values.map((v) => code(shortValue(v.value))).join(' or ')}`);
  const raises = raisedExceptions(source, name, startLine, language).filter((r) => r.name !== '(re-raise)');
  if (raises.length > 0) parts.push(`raises ${and(raises.map((r) => code(r.name)))}`);
  if (parts.length === 0) return null;
  return `${parts.join('; ')}.`;
}

const SLEEP_CALL = /(?:^|\.)(?:sleep|setTimeout)$/;

/** The first loop of the function's body that sleeps between iterations, with the sleep; null without one. */
function pacedLoop(source: string, startLine: number): { header: string; pace: LoopPace } | null {
  const lines = source.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const t = lines[i].trim();
    if (!/^(?:async\s+for|for|while)\b/.test(t)) continue;
    const pace = loopPace(source, startLine, startLine + i);
    if (pace) return { header: cutCode(t.replace(/\s*[:{]\s*$/, ''), 60), pace };
  }
  return null;
}

/** A returned expression short enough for a sentence: whole, or `f(…)`, or `{…}`, never cut inside brackets. */
function shortValue(v: string): string {
  const t = v.replace(/…$/, '');
  if (v === t && t.length <= 60) return t;
  const call = /^((?:await\s+)?(?:new\s+)?[\w.]+)\s*\(/.exec(t);
  if (call) return `${call[1]}(…)`;
  const open = /^[{[(]/.exec(t)?.[0];
  if (open) return `${open}…${{ '{': '}', '[': ']', '(': ')' }[open]}`;
  return cutCode(t, 40);
}

/** One sentence of what a class holds and offers, from its attributes and methods; null without either. */
export function derivedClassPurpose(attributes: { name: string }[], methods: { name: string }[], collaborators: string[]): string | null {
  const pub = methods.filter((m) => !/^_/.test(m.name));
  const parts: string[] = [];
  if (attributes.length > 0) parts.push(`holds ${counted(attributes.map((a) => a.name), 5, 'attributes', 'State')}`);
  if (pub.length > 0) parts.push(`offers ${counted(pub.map((m) => m.name), 5, 'public methods', 'Public interface')}`);
  if (collaborators.length > 0) parts.push(`works with ${counted(collaborators, 4, 'classes', 'Collaborators')}`);
  if (parts.length === 0) return null;
  return `${parts.join('; ')}.`;
}
