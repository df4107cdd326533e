/**
 * The Markdown report of the blocking analysis, in the spirit of `seeds/004…`: title and date,
 * executive summary with counts, methodology, adoption per component, findings grouped by
 * priority (location `file:line-end`, the code excerpt, the issue, the recommended change for
 * that language), an impact table, and a prioritised roadmap. Complete without an LLM; with one,
 * the caller may pass an `executiveSummary` written from the findings to replace the generated
 * paragraph. Every location and name in it comes from the report.
 */
import { isTestFinding } from './analyze.ts';
import { cutCode } from '../../core/code-text.ts';
import { languageById, languageByName } from '../../languages/registry.ts';
import type { BlockingCategory, BlockingFinding, BlockingReport, FindingDetail, Frequency, Severity } from './types.ts';

export interface MarkdownOptions {
  /** Repository name for the title and the text. */
  repoName: string;
  /** Date of the report. */
  now: Date;
  /**
   * Source lines `line..endLine` (1-based, inclusive) of a repo-relative file, or null when not
   * available (the excerpt then says so).
   */
  sourceOf: (file: string, line: number, endLine: number) => string | null;
  /** A replacement for the generated executive-summary paragraph (e.g. written by the LLM). */
  executiveSummary?: string;
  /** Sections shown in full with an excerpt (default 12; one per function, call kind and chain); the rest go into a table. */
  detailed?: number;
  /**
   * Tasks started with `create_task` / `ensure_future` that nothing cancels or awaits
   * (src/llm/lifecycle-facts.ts `taskFindings`): not blocking, but what the loop leaves behind
   * when it stops. Listed in their own section when there are any.
   */
  tasks?: { file: string; line: number; function: string; excerpt: string; note: string }[];
}

const CATEGORY_LABEL: Record<BlockingCategory, string> = {
  file_io: 'File I/O',
  subprocess: 'Subprocess',
  sleep: 'Sleep',
  network: 'Network',
  database: 'Database',
  input: 'Console input',
  lock: 'Locks and waits',
  cpu: 'CPU-bound work',
};

const CATEGORY_ISSUE: Record<BlockingCategory, string> = {
  file_io: 'Synchronous file I/O on the event loop: every other task waits while the disk answers.',
  subprocess: 'A synchronous subprocess call: the event loop is stopped until the child process exits.',
  sleep: 'A blocking sleep: the whole event loop sleeps, not just this task.',
  network: 'A synchronous network request: the event loop waits for the remote side, including timeouts.',
  database: 'A synchronous database call: the event loop waits for the query and the disk.',
  input: 'Blocking console input: the event loop stops until someone types a line.',
  lock: 'A blocking wait on a thread primitive: the event loop stops until another thread releases it.',
  cpu: 'CPU-bound work on the event loop: no other task runs until it finishes.',
};

const CATEGORY_IMPACT: Record<BlockingCategory, [string, string]> = {
  file_io: ['Blocks for each read/write (ms, seconds on slow or network disks)', 'Runs in a thread / async file API; other tasks continue'],
  subprocess: ['Blocks until the child exits (ms to minutes)', 'Child awaited; the loop keeps serving'],
  sleep: ['Blocks for the full sleep duration', 'Only the sleeping task waits'],
  network: ['Blocks for the round trip and any timeout', 'Requests overlap; timeouts stay local to the task'],
  database: ['Blocks for each query and commit', 'Queries awaited or offloaded; the loop keeps serving'],
  input: ['Blocks until input arrives (unbounded)', 'Input awaited; the loop keeps serving'],
  lock: ['Blocks until the other thread releases (unbounded)', 'Waits awaited; no loop stall'],
  cpu: ['Blocks for the computation time', 'Computation in a worker thread / process'],
};

const MAX_EXCERPT_LINES = 12;
/** Rows of the Further Findings table; the rest are counted and named in one line. */
const MAX_TABLE_ROWS = 15;
/** Functions listed per roadmap phase. */
const MAX_ROADMAP_ITEMS = 10;

/** The line that replaces cut rows: how many findings are left out, and where the first ones are. */
function leftOut(fs: BlockingFinding[]): string {
  const shown = fs.slice(0, 10).map((f) => `\`${f.file}:${f.line}\``);
  return `… and ${fs.length} more finding${plural(fs.length)} left out of this table (${shown.join(', ')}${fs.length > 10 ? ', …' : ''}); \`codeworm blocking --json\` lists them all.`;
}
const PRIORITY: { severity: Severity; title: string; why: string }[] = [
  { severity: 'high', title: 'Priority 1: High Severity', why: 'operations that stall the loop for long or unbounded times, or sit on hot paths' },
  { severity: 'medium', title: 'Priority 2: Medium Severity', why: 'file, database and wait operations that stall the loop briefly but often' },
  { severity: 'low', title: 'Priority 3: Low Severity', why: 'short operations, code that runs once at start-up, and test code' },
];

/**
 * Render the report as Markdown (ends with a newline).
 * @param report from `analyzeBlocking`
 */
export function renderBlockingMarkdown(full: BlockingReport, opts: MarkdownOptions): string {
  // test code blocks nobody's users: it is counted in one table at the end, not listed among the findings
  const { report, tests } = splitTestCode(full);
  const out: string[] = [];
  const date = opts.now.toISOString().slice(0, 10);
  const findings = report.findings;
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const direct = findings.filter((f) => f.kind === 'direct').length;
  const withFindings = report.components.reduce((a, c) => a + c.with_findings, 0);
  const adoption = report.async_functions ? Math.round((100 * (report.async_functions - withFindings)) / report.async_functions) : 100;

  out.push(`# ${opts.repoName} Async/Await Blocking Analysis`, '');
  out.push(`**Date:** ${date}  `);
  out.push(`**Status:** ${findings.length ? `${findings.length} blocking operation${plural(findings.length)} found (${count('high')} high, ${count('medium')} medium, ${count('low')} low)` : 'No blocking operations found in async code'}${tests.length ? `; ${tests.length} more in test code` : ''}  `);
  out.push(`**Scope:** ${report.files} source file${plural(report.files)}, ${report.async_functions} async function${plural(report.async_functions)}`, '');

  out.push('## Executive Summary', '');
  if (opts.executiveSummary?.trim()) out.push(opts.executiveSummary.trim(), '');
  else out.push(...summary(report, opts.repoName, direct, withFindings, adoption));
  out.push('---', '');

  out.push('## Analysis Methodology', '');
  out.push(
    '- **Method:** static analysis over the code index: every function is parsed with tree-sitter, its calls are resolved through imports, `self`/`this` methods, same-module functions and functions imported from other files of the repository.',
    '- **Direct findings:** blocking operations written inside an `async` function (or async block).',
    '- **Indirect findings:** blocking operations inside synchronous helpers that async functions call, with the call chain from the async caller.',
    '- **Not findings:** calls moved off the loop (`asyncio.to_thread`, `run_in_executor`, `spawn_blocking`, closures passed to them), awaited async equivalents (`aiofiles`, `asyncio.create_subprocess_exec`, `asyncio.sleep`, `fs.promises`), local functions that share a name with a blocking API, attribute reads without a call, and code reachable only from synchronous code.',
    '- **Severity:** the operation\'s category, raised one level on hot paths (a request/event handler, or a loop that does not sleep between iterations), lowered one level for code only start-up reaches and for long call chains; test code is low.',
    ...report.partialFiles.map((p) => `- **Analysed in part:** \`${p.file}\` (${p.reason}; ${p.cut} subtree${p.cut === 1 ? '' : 's'} left out, the first at line ${p.line}); the rest of the file is covered.`),
    '',
  );

  out.push('## Current State Assessment', '');
  out.push('### Async/Await Adoption by Component', '');
  if (report.components.length) {
    out.push('| Component | Async functions | Reaching blocking calls | Async adoption | State |', '|---|---:|---:|---:|---|');
    for (const c of report.components) {
      const state = c.with_findings === 0 ? '✅ Non-blocking' : c.adoption_pct >= 80 ? '⚠️ Mostly non-blocking' : '❌ Blocking';
      out.push(`| \`${c.path}\` | ${c.async_functions} | ${c.with_findings} | ${c.adoption_pct}% | ${state} |`);
    }
  } else out.push('No async functions were found.');
  out.push('');
  if (findings.length) {
    out.push('### Findings by Category', '', '| Category | High | Medium | Low | Total |', '|---|---:|---:|---:|---:|');
    for (const cat of categoriesOf(findings)) {
      const fs = findings.filter((f) => f.category === cat);
      const n = (s: Severity) => fs.filter((f) => f.severity === s).length;
      out.push(`| ${CATEGORY_LABEL[cat]} | ${n('high')} | ${n('medium')} | ${n('low')} | ${fs.length} |`);
    }
    out.push('');
  }
  out.push('---', '');

  out.push('## Critical Findings', '');
  if (!findings.length) out.push('No blocking calls were found in async code.', '');
  const limit = opts.detailed ?? 12;
  // the section number of each finding shown in detail: the roadmap points to it instead of repeating it
  const sectionOf = new Map<number, string>();
  let shown = 0;
  const rest: number[] = [];
  PRIORITY.forEach((p, pi) => {
    const idx = findings.map((f, i) => (f.severity === p.severity ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) return;
    // the heading only over sections shown; the rest go to the Further Findings table
    if (shown < limit) out.push(`### ${pi + 1}. ${p.title}`, '', `_${cap(p.why)}._`, '');
    // one section per function, category and chain: seven `send` calls in one helper are one finding to fix
    const groups = new Map<string, number[]>();
    for (const i of idx) {
      const f = findings[i];
      const key = [f.file, f.function, f.category, f.kind, f.chain.join('>')].join('\u0000');
      groups.set(key, [...(groups.get(key) ?? []), i]);
    }
    let k = 0;
    for (const g of groups.values()) {
      if (shown >= limit) {
        rest.push(...g);
        continue;
      }
      shown++;
      k++;
      for (const i of g) sectionOf.set(i, `${pi + 1}.${k}`);
      out.push(...findingSection(g.map((i) => findings[i]), report.details[g[0]], `${pi + 1}.${k}`, opts));
    }
  });
  if (rest.length) {
    // the same call in the same function is one row with its lines; long tables are cut, saying what is left out
    const rows = new Map<string, number[]>();
    for (const i of rest) {
      const f = findings[i];
      const key = [f.severity, f.file, f.function, f.kind].join('\u0000');
      rows.set(key, [...(rows.get(key) ?? []), i]);
    }
    const list = [...rows.values()];
    out.push('### Further Findings', '', `${rest.length} more finding${plural(rest.length)}, one row per function (each call with its lines):`, '', '| Severity | File | Function | Calls | Category | Kind | How often |', '|---|---|---|---|---|---|---|');
    for (const g of list.slice(0, MAX_TABLE_ROWS)) {
      const f = findings[g[0]];
      const calls = new Map<string, number[]>();
      for (const i of g) calls.set(findings[i].call, [...(calls.get(findings[i].call) ?? []), findings[i].line]);
      const cats = [...new Set(g.map((i) => CATEGORY_LABEL[findings[i].category]))].join(', ');
      out.push(`| ${f.severity} | \`${f.file}\` | \`${f.function}\` | ${[...calls].map(([c, ls]) => `\`${c}\` (line${ls.length > 1 ? 's' : ''} ${ls.join(', ')})`).join(', ')} | ${cats} | ${f.kind} | ${frequencyShort(report.details[g[0]]?.frequency)}${report.details[g[0]]?.frequency ? onlyWhen(report.details[g[0]]!.frequency!, opts.sourceOf).replace(/^, and/, ',').replace(/\|/g, '\\|') : ''} |`);
    }
    const left = list.slice(MAX_TABLE_ROWS).flat();
    if (left.length) out.push('', leftOut(left.map((i) => findings[i])));
    out.push('');
  }
  out.push('---', '');

  if (opts.tasks?.length) {
    out.push('## Tasks Left Running When the Loop Stops', '');
    out.push(`Nothing cancels or awaits ${opts.tasks.length === 1 ? 'this asyncio task' : `these ${opts.tasks.length} asyncio tasks`}:`, '');
    for (const t of opts.tasks) out.push(`- \`${t.file}:${t.line}\` in \`${t.function}\`: \`${t.excerpt}\` — ${t.note}.`);
    out.push('', '---', '');
  }

  out.push('## Impact Assessment', '');
  if (findings.length) {
    out.push('| Operation Type | Findings | Hot paths | Current Impact | Post-Async Impact |', '|---|---:|---:|---|---|');
    for (const cat of categoriesOf(findings)) {
      const idx = findings.map((f, i) => (f.category === cat ? i : -1)).filter((i) => i >= 0);
      const hot = idx.filter((i) => report.details[i]?.hot).length;
      out.push(`| ${CATEGORY_LABEL[cat]} | ${idx.length} | ${hot} | ${CATEGORY_IMPACT[cat][0]} | ${CATEGORY_IMPACT[cat][1]} |`);
    }
  } else out.push('Nothing blocks the event loop as far as the analysis can see.');
  out.push('', '---', '');

  out.push('## Implementation Roadmap', '');
  out.push(...roadmap(report, sectionOf));
  if (tests.length) {
    out.push('', '---', '', '## Findings in Test Code', '');
    out.push(`${tests.length} blocking operation${plural(tests.length)} run${tests.length === 1 ? 's' : ''} in async test code (severity low: it blocks the test run, not the application's users), by file:`, '');
    out.push('| File | Findings | Calls |', '|---|---:|---|');
    const byFile = new Map<string, BlockingFinding[]>();
    for (const f of tests) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const [file, fs] of [...byFile].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
      out.push(`| \`${file}\` | ${fs.length} | ${[...new Set(fs.map((f) => `\`${f.call}\``))].slice(0, 5).join(', ')} |`);
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/**
 * The report without its findings in test code (details kept parallel), and those findings.
 * Components keep their counts: they describe the async functions, not the listing.
 */
function splitTestCode(report: BlockingReport): { report: BlockingReport; tests: BlockingFinding[] } {
  const keep: number[] = [];
  const tests: BlockingFinding[] = [];
  report.findings.forEach((f, i) => (isTestFinding(f, report.details[i]) ? tests.push(f) : keep.push(i)));
  if (!tests.length) return { report, tests };
  return { report: { ...report, findings: keep.map((i) => report.findings[i]), details: keep.map((i) => report.details[i]) }, tests };
}

function summary(report: BlockingReport, repo: string, direct: number, withFindings: number, adoption: number): string[] {
  const findings = report.findings;
  if (!findings.length) {
    return [`The analysis of **${repo}** found no blocking operations in its ${report.async_functions} async functions: no synchronous file, process, network, database or sleep calls run on the event loop as far as calls can be resolved.`, ''];
  }
  const cats = categoriesOf(findings).map((c) => `${CATEGORY_LABEL[c].replace(/^([A-Z])([a-z])/, (_m, a: string, b: string) => a.toLowerCase() + b)} (${findings.filter((f) => f.category === c).length})`);
  const top = findings.filter((f) => f.severity === 'high').slice(0, 3);
  const lines = [
    `This report analyses **${repo}** for blocking operations that run on the event loop. It found **${findings.length} blocking operation${plural(findings.length)}**: ${direct} written directly inside async functions and ${findings.length - direct} inside synchronous helpers that async functions call. ${withFindings} of ${report.async_functions} async functions reach at least one of them (${adoption}% are free of blocking calls).`,
    '',
    `**Key finding:** the blocking operations are ${cats.join(', ')}.${top.length ? ` The most severe: ${top.map((f) => `\`${f.call}\` in \`${f.function}\` (\`${loc(f)}\`)`).join('; ')}.` : ''}`,
    '',
    `**Recommended action:** fix the high-severity findings on hot paths first (request handlers, loops), then convert the synchronous helpers that async code calls — make them async or offload them at the call site.`,
    '',
  ];
  return lines;
}

function findingSection(group: BlockingFinding[], d: FindingDetail | undefined, num: string, opts: MarkdownOptions): string[] {
  const out: string[] = [];
  const f = group[0];
  const lang = languageById(d?.language ?? '')?.fence ?? '';
  const calls = [...new Set(group.map((g) => g.call))];
  const first = Math.min(...group.map((g) => g.line));
  const last = Math.max(...group.map((g) => Math.max(g.line, g.end_line)));
  const span: BlockingFinding = { ...f, line: first, end_line: last };
  out.push(`#### ${num} ${calls.map((c) => `\`${c}\``).join(', ')} in \`${f.function}\`${group.length > 1 ? ` (${group.length} calls)` : ''}`, '');
  out.push(`**Location:** \`${loc(span)}\`${group.length > 1 ? ` (lines ${group.map((g) => g.line).join(', ')})` : ''}  `);
  out.push(`**Category:** ${CATEGORY_LABEL[f.category]} · **Severity:** ${f.severity} · **Kind:** ${f.kind}${d?.api && d.api !== f.call ? ` · **API:** \`${d.api}\`` : ''}  `);
  if (f.kind === 'indirect') {
    out.push(`**Call chain:** ${f.chain.map((c) => `\`${c}\``).join(' → ')}  `);
    if (d?.chainLines.length) {
      const hops = d.chainLines.map((line, k) => `\`${d.chainFiles[k]}:${line}\` (\`${f.chain[k]}\` calls \`${f.chain[k + 1]}\`)`);
      out.push(`**Called from:** ${hops.join(', ')}  `);
    }
  }
  out.push('');
  out.push('**Current Implementation:**', '');
  out.push(...excerpt(span, lang, opts));
  out.push(`**Issue:** ${CATEGORY_ISSUE[f.category]}${f.kind === 'indirect' ? ` \`${f.function}\` is synchronous, but \`${f.chain[0]}\` (${entryWords(d)}) calls it${f.chain.length > 2 ? ' through the chain above' : ''}.` : d?.entry && d.entry !== 'async' ? ` \`${f.function}\` is ${entryWords(d)}, not an \`async\` function, and runs on the event loop all the same.` : ''}  `);
  const impact: string[] = [];
  const often = d?.frequency ? frequencyText(d.frequency, opts.sourceOf) : null;
  if (often) impact.push(often);
  else if (d?.hot) impact.push('on a hot path (in a loop or a request/event handler)');
  if (d && d.reachedFrom > 1) impact.push(`reached from ${d.reachedFrom} async functions`);
  out.push(`**Impact:** ${impact.length ? cap(impact.join('; ')) : `Stalls the event loop each time \`${f.chain[0]}\` runs`}.`, '');
  out.push(`**Recommended Solution:** ${f.recommendation}`, '');
  return out;
}

/** A loop whose variable counts attempts (`for attempt in range(retries)`). */
const RETRY_LOOP = /^(?:for|async\s+for)\s+_?(?:attempts?|retry|retries|tries|try_?\w*|n_?tries)\b|\bretr(?:y|ies)\b/i;

/** The Further Findings table's "How often" cell: a few words (`Frequency`). */
function frequencyShort(fr: Frequency | undefined): string {
  if (!fr) return '—';
  switch (fr.kind) {
    case 'request':
      return 'every request';
    case 'loop':
      return `per iteration (\`${fr.file}:${fr.line}\`)`;
    case 'cycle':
      return `per cycle of a paced loop (\`${fr.file}:${fr.line}\`)`;
    case 'startup':
      return 'once at start-up';
    case 'hot-caller':
      return `each run of \`${fr.fn}\` (awaited in a loop or handler)`;
    default:
      return fr.alsoLater ? `at start-up (\`${fr.fn}\`) and per run of its other callers` : `each run of \`${fr.fn}\``;
  }
}

/** What the chain's first function is, in words: `async`, a callback the event loop runs, an async block. */
function entryWords(d: FindingDetail | undefined): string {
  return d?.entry === 'callback' ? 'a callback the event loop runs' : d?.entry === 'async-block' ? 'an async block' : 'async';
}

/** A loop header above `line` of `file` (the nearest less-indented `for` / `while` line), from the source. */
function loopHeader(sourceOf: MarkdownOptions['sourceOf'] | undefined, file: string, line: number): { line: number; text: string } | null {
  if (!sourceOf) return null;
  const from = Math.max(1, line - 150);
  const text = sourceOf(file, from, line);
  if (text === null) return null;
  const lines = text.split('\n');
  let indent = (lines[lines.length - 1] ?? '').search(/\S/);
  for (let k = lines.length - 2; k >= 0; k--) {
    const l = lines[k];
    if (!l.trim()) continue;
    const ind = l.search(/\S/);
    if (ind >= indent) continue;
    indent = ind;
    const t = l.trim();
    if (/^(?:async\s+for|for|while|loop)\b/.test(t) || /\.(?:forEach|map)\s*\(/.test(t)) {
      // a header continued on the next line ends with `…`, not with an open bracket
      const h = cutCode(t.replace(/\s*[:{]\s*$/, ''), 60);
      return { line: from + k, text: (h.match(/[([{]/g)?.length ?? 0) > (h.match(/[)\]}]/g)?.length ?? 0) && !h.endsWith('…') ? `${h.replace(/,$/, '')}…` : h };
    }
    if (/^(?:(?:async\s+)?def|(?:async\s+)?function|class|fn|func)\b/.test(t)) return null;
  }
  return null;
}

/**
 * The `if` conditions, as written, that a call at `line` of `file` sits under, outermost first:
 * the `if` / `elif` headers above it with less indentation, up to the enclosing loop header
 * (`stopAtLoop`) or the function's `def`. An `else` branch stops the walk (its condition is the
 * negation of one not written on the line).
 */
function conditionsAbove(sourceOf: MarkdownOptions['sourceOf'], file: string, line: number, stopAtLoop: boolean): { file: string; line: number; condition: string }[] {
  const from = Math.max(1, line - 150);
  const text = sourceOf(file, from, line);
  if (text === null) return [];
  const lines = text.split('\n');
  const out: { file: string; line: number; condition: string }[] = [];
  let indent = (lines[lines.length - 1] ?? '').search(/\S/);
  for (let k = lines.length - 2; k >= 0; k--) {
    const l = lines[k];
    if (!l.trim()) continue;
    const ind = l.search(/\S/);
    if (ind >= indent) continue;
    indent = ind;
    const t = l.trim();
    if (/^(?:(?:async\s+)?def|(?:async\s+)?function|class|fn|func)\b/.test(t) || /=>\s*\{?$/.test(t)) break;
    if (stopAtLoop && (/^(?:async\s+for|for|while|loop)\b/.test(t) || /\.(?:forEach|map)\s*\(/.test(t))) break;
    if (/^\}?\s*else\b(?!\s+if)/.test(t)) break;
    const m = /^\}?\s*(?:if|elif|else\s+if)\b\s*(.*?)\s*[:{]?\s*$/.exec(t);
    if (!m) continue;
    let c = m[1];
    // JS/TS `if (cond) {`: the parentheses are the statement's
    if (/^\(.*\)$/.test(c) && !/\)\s*(?:&&|\|\||and|or)\s*\(/.test(c)) c = c.slice(1, -1);
    if (c) out.unshift({ file, line: from + k, condition: c.trim() });
  }
  return out;
}

/** ", and only when `a` (`f:1`) and `b` (`f:2`)" for the conditions over the chain's calls, or ''. */
function onlyWhen(fr: Frequency, sourceOf: MarkdownOptions['sourceOf'] | undefined): string {
  if (!sourceOf || !fr.guards) return '';
  // an `if` outside the loop narrows it as much as one inside: whether the loop runs at all
  const conds = fr.guards.flatMap((g) => conditionsAbove(sourceOf, g.file, g.line, false));
  if (conds.length === 0) return '';
  const cut = (c: string) => (c.length > 70 ? `${c.slice(0, 69).replace(/[\w$]*$/, '')}…` : c);
  return `, and only when ${conds.map((c) => `\`${cut(c.condition)}\` (\`${c.file}:${c.line}\`)`).join(' and ')}`;
}

/**
 * How often a blocking line runs, in words (`Frequency`): the loop named with its line when the
 * source is at hand, start-up said as such, and no "hot path" without a handler or a loop.
 */
export function frequencyText(fr: Frequency, sourceOf?: MarkdownOptions['sourceOf']): string {
  return frequencyWords(fr, sourceOf) + onlyWhen(fr, sourceOf);
}

function frequencyWords(fr: Frequency, sourceOf?: MarkdownOptions['sourceOf']): string {
  const fn = `\`${fr.fn}\``;
  switch (fr.kind) {
    case 'request':
      return `runs on every request or event: ${fn} is a handler (a hot path)`;
    case 'loop':
    case 'cycle': {
      const h = loopHeader(sourceOf, fr.file, fr.line);
      const where = h ? `\`${h.text}\` (\`${fr.file}:${h.line}\`) in ${fn}` : `a loop of ${fn} (the call at \`${fr.file}:${fr.line}\`)`;
      // a retry loop repeats only after a failure; a loop that sleeps is a periodic check
      if (h && RETRY_LOOP.test(h.text)) return `runs once per attempt of the retry loop ${where}: once when the first attempt succeeds`;
      return fr.kind === 'loop' ? `runs once per iteration of ${where}` : `runs once per cycle of ${where}, a loop that sleeps between cycles (periodic, not a hot path)`;
    }
    case 'startup':
      return `runs once at start-up: only start-up code reaches ${fn}${fr.ownLoop ? ' (once per item of its loop, at start-up)' : ''}, so it delays start-up and not the requests or cycles that follow`;
    case 'hot-caller':
      return `runs each time ${fn} runs, and ${fn} is awaited inside a loop or by a handler`;
    default:
      if (fr.alsoLater) return `runs once at start-up from ${fn}, and again each time the other async functions that reach it run`;
      return `runs each time ${fn} runs; no loop or handler on the way, so no evidence of a hot path`;
  }
}

function excerpt(f: BlockingFinding, lang: string, opts: MarkdownOptions): string[] {
  const end = Math.max(f.line, f.end_line);
  const shownEnd = Math.min(end, f.line + MAX_EXCERPT_LINES - 1);
  const text = opts.sourceOf(f.file, f.line, shownEnd);
  if (text === null) return [`_Source not available; see \`${loc(f)}\`._`, ''];
  const body = dedent(text);
  const more = end - shownEnd;
  const comment = languageByName(lang)?.lineComment ?? '//';
  const note = more > 0 ? `\n${comment} … ${more} more line${plural(more)} (to line ${end})` : '';
  return ['```' + lang, body + note, '```', ''];
}

/**
 * The roadmap: one checklist item per function to change, phase by phase. Each finding is
 * described once on the page: an item points to its section (`1.3`) or to the Further
 * Findings table instead of repeating the calls and lines (`sectionOf`: finding index → section).
 */
function roadmap(report: BlockingReport, sectionOf: ReadonlyMap<number, string> = new Map()): string[] {
  const f = report.findings;
  if (!f.length) return ['Nothing to convert. Keep new I/O in async code on async APIs.', ''];
  const phases: { title: string; items: number[] }[] = [
    { title: 'Phase 1: High-severity operations on hot paths', items: [] },
    { title: 'Phase 2: Remaining high-severity operations', items: [] },
    { title: 'Phase 3: Medium-severity operations', items: [] },
    { title: 'Phase 4: Low-severity operations', items: [] },
  ];
  f.forEach((x, i) => {
    const hot = report.details[i]?.hot;
    const p = x.severity === 'high' ? (hot ? 0 : 1) : x.severity === 'medium' ? 2 : 3;
    phases[p].items.push(i);
  });
  const out: string[] = [];
  let n = 0;
  for (const p of phases) {
    if (!p.items.length) continue;
    n++;
    out.push(`### ${p.title.replace(/^Phase \d+/, `Phase ${n}`)}`, '');
    // group by the function to change: the helper for indirect findings, the async function otherwise
    const groups = new Map<string, number[]>();
    for (const i of p.items) {
      const key = `${f[i].file}\u0000${f[i].function}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    }
    let listed = 0;
    for (const idx of groups.values()) {
      if (listed >= MAX_ROADMAP_ITEMS) break;
      listed++;
      const first = f[idx[0]];
      const sections = [...new Set(idx.map((i) => sectionOf.get(i)).filter((x): x is string => x !== undefined))];
      const where = sections.length > 0 ? `finding${plural(sections.length)} ${sections.join(', ')}` : `${idx.length > 1 ? `${idx.length} calls` : 'one call'} in Further Findings`;
      const verb = first.kind === 'indirect' ? `make \`${first.function}\` async or offload it from \`${first.chain[0]}\`` : `convert \`${first.function}\` to non-blocking calls`;
      out.push(`- [ ] \`${first.file}\`: ${verb} (${where})`);
    }
    if (groups.size > listed) {
      const more = [...groups.values()].slice(listed);
      out.push(`- [ ] … and ${more.length} more function${plural(more.length)}: ${more.slice(0, 8).map((idx) => `\`${f[idx[0]].function}\` (\`${f[idx[0]].file}\`)`).join(', ')}${more.length > 8 ? ', …' : ''}`);
    }
    out.push('');
  }
  out.push('### Success Metrics', '', '- No high-severity findings left in `codeworm blocking`.', `- Async adoption at 100% in every component (now ${report.components.map((c) => `\`${c.path}\` ${c.adoption_pct}%`).slice(0, 6).join(', ')}).`, `- Event-loop lag measured under load stays flat (${lagTools(report).join(', ')}).`, '');
  return out;
}

/** How to measure event-loop lag, for the languages the findings are in (a Python repository gets no Node tool). */
function lagTools(report: BlockingReport): string[] {
  const langs = new Set(report.details.map((d) => d.language));
  const tools: string[] = [];
  if (langs.has('python')) tools.push('`loop.slow_callback_duration` warnings in asyncio debug mode');
  if (['typescript', 'javascript', 'tsx'].some((l) => langs.has(l))) tools.push('`perf_hooks.monitorEventLoopDelay` in Node');
  if (langs.has('rust')) tools.push('`tokio-console` task poll times');
  return tools.length > 0 ? tools : ['the runtime\'s event-loop delay monitor'];
}

function categoriesOf(findings: BlockingFinding[]): BlockingCategory[] {
  const counts = new Map<BlockingCategory, number>();
  for (const f of findings) counts.set(f.category, (counts.get(f.category) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
}

function loc(f: BlockingFinding): string {
  return f.end_line > f.line ? `${f.file}:${f.line}-${f.end_line}` : `${f.file}:${f.line}`;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Remove the common leading indentation, so an excerpt from a method reads flush left. */
function dedent(text: string): string {
  const lines = text.replace(/\t/g, '    ').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length);
  const n = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(n)).join('\n').replace(/```/g, '`\u200b``');
}
