/**
 * A file page's "Where it fits" (issue 12, blind review beside seed 003, whose file page won on
 * its narrative): what the file is for in the repository — its place in the project's imports,
 * how it is started, its main class and that class's lifecycle —, how a call or a cycle flows
 * through it, and what to be careful about when changing it. Every sentence restates a fact of
 * the index (importers, imports, entry points, `fileFit`, `fileLifecycle`); names are quoted
 * from the code, so `verify` grounds them.
 */
import type { Facts } from '../types.ts';
import type { ClassLifecycle } from '../../analysis/lifecycle.ts';
import type { FileFitFact } from '../fit-facts.ts';
import { cutCode } from '../../core/code-text.ts';
import { code } from '../../core/code-text.ts';

export { code };

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a, b and c", the first `max` items, then "and N more". */
export function and(items: string[], max = 4): string {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : (shown[0] ?? '');
}

const lineList = (ns: number[]) => (ns.length === 1 ? `line ${ns[0]}` : `lines ${ns.join(', ')}`);

interface Importer {
  file: string;
  line: number;
  lines?: number[];
  names: string[];
}

/**
 * Every site of a list, the first `full` with their line of code, the rest (up to 8 more) by
 * caller and place, then a count: "`a.py:1` (`x = A()`), `b.py:2` (`A()`) and 2 more: `f` at
 * `c.py:3`, `g` at `c.py:9`".
 */
function sitesText(sites: { caller: string; file: string; line: number; excerpt?: string | null }[], full: number): string {
  const head = sites.slice(0, full).map((c) => `\`${c.file}:${c.line}\`${c.excerpt ? ` (${code(c.excerpt)})` : ''}`);
  const rest = sites.slice(full);
  if (rest.length === 0) return and(head, full);
  const named = rest.slice(0, 8).map((c) => `${code(c.caller)} at \`${c.file}:${c.line}\``);
  return `${head.join(', ')} and ${rest.length} more: ${named.join(', ')}${rest.length > 8 ? `, and ${rest.length - 8} others` : ''}`;
}

/** Where the file sits in the project's imports, and how it is started. */
function roleLines(f: Facts, own: string[]): string[] {
  const importers = Array.isArray(f.extra.importers) ? (f.extra.importers as Importer[]) : null;
  const eps = Array.isArray(f.extra.entryPoints) ? (f.extra.entryPoints as string[]) : [];
  if (!importers) return [];
  const imp = importers.length;
  const uses = own.length > 0 ? `${plural(own.length, 'project module')} (${and(own.map(code))})` : 'no project module';
  const by = and(importers.map((i) => `\`${i.file}\``), 3);
  const out: string[] = [];
  if (imp === 0) out.push(eps.length > 0 ? `No file of the repository imports it: it is a starting point, run as ${eps[0]}. It uses ${uses}.` : `No file of the repository imports it and nothing declares it as an entry point; it uses ${uses}.`);
  else {
    if (own.length >= 2 * imp && own.length >= 3) out.push(`It sits near the top of the project's imports: it uses ${uses}, and ${plural(imp, 'file')} import${imp === 1 ? 's' : ''} it (${by}).`);
    else if (imp >= 2 * own.length && imp >= 3) out.push(`It sits near the bottom of the project's imports: ${plural(imp, 'file')} import it (${by}), and it uses ${uses}, so a change here reaches more code than it depends on.`);
    else out.push(`It sits in the middle of the project's imports: it uses ${uses}, and ${plural(imp, 'file')} import${imp === 1 ? 's' : ''} it (${by}).`);
    if (eps.length > 0) out.push(`It is also run directly: ${eps[0]}.`);
  }
  return out;
}

/** The main class: where it is created, how it starts and how it stops. */
function mainClassLines(fit: FileFitFact, lc: ClassLifecycle | undefined): string[] {
  const m = fit.mainClass;
  if (!m) return [];
  const out: string[] = [];
  out.push(`Its main class is ${code(m.name)} (line ${m.line}, ${plural(m.methods, 'method')})${m.creators.length > 0 ? `, created at ${sitesText(m.creators, 2)}` : ''}.`);
  if (!lc) return out;
  const start = lc.entries.map((e) => `${code(`${e.name}()`)} (line ${e.line})`);
  const stops: string[] = [];
  for (const flag of lc.flags) {
    const off = flag.sets.find((s) => !s.value && lc.signals.some((g) => g.handler === s.in));
    if (!off) continue;
    const sigs = lc.signals.filter((g) => g.handler === off.in).map((g) => g.signal);
    const loops = flag.loops.filter((l) => /^\s*while\b/.test(l.excerpt));
    stops.push(`it stops when ${code(off.in)} (on ${sigs.join(', ')}) sets ${code(flag.name)} to False (line ${off.line})${loops.length > 0 ? `, which ends ${and(loops.map((l) => `${code(l.excerpt)} in ${code(l.in)} (line ${l.line})`), 2)}` : ''}`);
  }
  if (start.length > 0 || stops.length > 0) {
    const s = [start.length > 0 ? `It starts in ${start.join(' or ')}` : '', ...stops].filter(Boolean).join('; ');
    out.push(`${s.charAt(0).toUpperCase()}${s.slice(1)}.`);
  }
  return out;
}

/** "`a` and `b`, in that order, and under its `if`s `c`": the calls every run makes, then the conditional ones. */
function calls(callees: FileFitFact['calls'][number]['callees']): string {
  const always = callees.filter((k) => !k.conditional).map((k) => code(k.name));
  const some = callees.filter((k) => k.conditional).map((k) => code(k.name));
  const first = always.length > 0 ? `${and(always, 6)}${always.length > 1 ? ', in that order' : ''}` : '';
  if (some.length === 0) return first;
  return first ? `${first}, and under its \`if\` branches ${and(some, 6)}` : `, under its \`if\` branches, ${and(some, 6)}`;
}

/** How other files use it: the functions and methods they call, with where. */
function usedThroughLines(fit: FileFitFact): string[] {
  const u = fit.usedThrough ?? [];
  if (u.length === 0) return [];
  const site = (c: FileFitFact['usedThrough'][number]['sites'][number]) => `${code(c.caller)} at \`${c.file}:${c.line}\``;
  const one = (x: FileFitFact['usedThrough'][number]) => `${code(x.name)} (${x.count === 1 ? `from ${site(x.sites[0])}` : `${x.count} call sites: ${and(x.sites.map(site), 8)}${x.count > x.sites.length ? ` and ${x.count - x.sites.length} more` : ''}`})`;
  const out = [`Other files call into it through ${and(u.map(one), 4)}.`];
  const byName = u.flatMap((x) => x.sites.filter((c) => c.inferred));
  if (byName.length > 0) out.push(`The call${byName.length === 1 ? '' : 's'} at ${and(byName.map((c) => `\`${c.file}:${c.line}\``), 4)} ${byName.length === 1 ? 'goes' : 'go'} through a receiver whose type the code does not declare: the receiver's name, or a method name that no other class of the repository defines, ties ${byName.length === 1 ? 'it' : 'them'} to this file.`);
  return out;
}

/** How a cycle or a call flows through the file, in a few sentences. */
function flowLines(fit: FileFitFact, lc: ClassLifecycle | undefined): string[] {
  const callsOf = (name: string) => fit.calls.find((c) => c.name === name || c.name.endsWith(`.${name}`));
  const said = (c: FileFitFact['calls'][number]) => `${code(c.name.split('.').pop()!)} (line ${c.line}) calls${calls(c.callees).startsWith(',') ? '' : ' '}${calls(c.callees)}`;
  const out: string[] = [];
  if (lc && lc.entries.length > 0) {
    const entry = callsOf(lc.entries[0].name);
    if (entry) out.push(`${said(entry)}.`);
    let last: string | null = null;
    for (const r of lc.registrations) {
      if (r.kind === 'callback') out.push(`${code(r.in)} hands ${code(r.method)} to ${code(r.via)} (line ${r.line}) to be called back.`);
      else if (r.kind === 'threadsafe') out.push(`${code(r.in)} submits ${code(r.method)} to the event loop with ${code(r.via)} (line ${r.line})${r.waits ? ` and waits with ${code(r.waits.excerpt)} (line ${r.waits.line})` : ''}.`);
      last = r.method;
    }
    const cycle = last ? callsOf(last) : undefined;
    if (cycle) out.push(`Each run of ${said(cycle).replace(/^`[^`]+` /, `${code(cycle.name.split('.').pop()!)} `)}.`);
    for (const t of lc.tasks) if (t.runs) out.push(`Beside that, ${code(t.in)} runs ${code(t.runs)} as ${t.kind === 'thread' ? 'a thread' : 'an asyncio task'} (line ${t.line}).`);
    if (out.length > 0) return out.slice(0, 6);
  }
  // no lifecycle: from the function that reaches most of the file, down two levels
  const reach = (name: string, seen = new Set<string>()): number => {
    if (seen.has(name)) return 0;
    seen.add(name);
    const c = callsOf(name);
    return c ? c.callees.reduce((n, k) => n + 1 + reach(k.name, seen), 0) : 0;
  };
  const called = new Map((fit.usedThrough ?? []).map((u, i) => [u.name, i]));
  const rankOf = (c: FileFitFact['calls'][number]) => called.get(c.name.split('.').pop()!) ?? 99;
  const start = [...fit.calls].sort((a, b) => rankOf(a) - rankOf(b) || Number(a.name.split('.').pop()!.startsWith('_')) - Number(b.name.split('.').pop()!.startsWith('_')) || reach(b.name) - reach(a.name) || a.line - b.line)[0];
  if (!start) return [];
  out.push(`Following its own calls from ${code(start.name.split('.').pop()!)} (line ${start.line}): it calls${calls(start.callees).startsWith(',') ? '' : ' '}${calls(start.callees)}.`);
  for (const k of start.callees) {
    const next = callsOf(k.name);
    if (next && next !== start && out.length < 3) out.push(`${said(next)}.`);
  }
  return out;
}

/** What to keep in mind when changing the file. */
function carefulLines(f: Facts, fit: FileFitFact, lc: ClassLifecycle | undefined): string[] {
  const out: string[] = [];
  const importers = Array.isArray(f.extra.importers) ? (f.extra.importers as Importer[]) : [];
  const names = [...new Set(importers.flatMap((i) => i.names))];
  if (importers.length > 0 && names.length > 0) {
    out.push(importers.length <= 2
      ? `- Renaming or changing the signature of ${and(names.map(code), 4)} reaches ${and(importers.map((i) => `\`${i.file}\` (${lineList(i.lines && i.lines.length > 0 ? i.lines : [i.line])})`), 2)}, which import${importers.length === 1 ? 's' : ''} ${names.length === 1 ? 'it' : 'them'}.`
      : `- ${plural(importers.length, 'file')} import ${and(names.map(code), 4)} (listed under Used by): renaming one of them or changing its signature reaches the files that import it.`);
  }
  for (const r of lc?.registrations ?? []) {
    if (r.kind !== 'callback' || !r.thread) continue;
    out.push(`- ${code(r.method)} is called back from another thread, the one behind ${code(cutCode(r.thread.excerpt, 70))} (\`${r.thread.file}:${r.thread.line}\`), not from the event loop: state it changes is shared across threads.`);
  }
  for (const flag of lc?.flags ?? []) {
    const loops = flag.loops.filter((l) => /^\s*while\b/.test(l.excerpt));
    const off = flag.sets.find((s) => !s.value);
    if (loops.length === 0 || !off) continue;
    out.push(`- Shutdown goes through ${code(flag.name)}: ${plural(loops.length, 'loop')} check${loops.length === 1 ? 's' : ''} it (${and(loops.map((l) => `${code(l.in)} line ${l.line}`), 3)}); a new long-running loop has to check it too, or it keeps running after ${code(off.in)} (line ${off.line}).`);
  }
  if (!fit.testedByImport) out.push(fit.repoHasTests ? '- No test file of the repository imports it: its tests, if any, reach it only through other modules.' : '- The repository has no test files: a change here is checked only by running the program.');
  return out;
}

/**
 * The "Where it fits" section of a file page, or [] without the facts (`own`: the project
 * modules it imports, as the Dependencies section groups them).
 */
export function whereItFitsSection(f: Facts, own: string[]): string[] {
  const fit = f.extra.fileFit as FileFitFact | undefined;
  if (!fit) return [];
  const lcs = Array.isArray(f.extra.fileLifecycle) ? (f.extra.fileLifecycle as ClassLifecycle[]) : [];
  const lc = lcs.find((l) => l.className === fit.mainClass?.name);
  const role = [...roleLines(f, own), ...mainClassLines(fit, lc), ...usedThroughLines(fit)];
  const flow = flowLines(fit, lc);
  const careful = carefulLines(f, fit, lc);
  if (role.length + flow.length + careful.length === 0) return [];
  const out = ['### Where it fits', ''];
  if (role.length > 0) out.push(role.join(' '), '');
  if (flow.length > 0) out.push(`**How it runs.** ${flow.join(' ')}`, '');
  if (careful.length > 0) out.push('**When changing it:**', '', ...careful, '');
  return out;
}
