/**
 * The three stages of a documentation cycle (SPEC section 2, issue 16), each with a typed input
 * and output so they can run in one process (`runCycle`) or apart (several LLM hosts, a fleet):
 *
 * - `selectStage`: choose a doc type and a target, build its facts (reads the index and the state);
 * - `generateStage`: the LLM writes the body and the commit message, grounding checks it (the slow part;
 *   reads neither the state nor the DevLog);
 * - `publishStage`: render the page, commit it, record its row, push (the single writer's part).
 *
 * Secrets are redacted at each stage boundary: a selection's source, facts and context, and a
 * generation's body and message, never carry one.
 */
import path from 'node:path';
import type { Db } from '../state/db.ts';
import type { DocType, RepoConfig, Settings } from '../config/schema.ts';
import type { EventBus } from '../core/events.ts';
import type { Facts, LlmProvider } from '../llm/types.ts';
import type { LanguageId, RepoIndex } from '../index/types.ts';
import type { DocumentedHistory, FinderInput, Target } from '../targets/types.ts';
import type { CodeIndex } from '../index/indexer.ts';
import { targetScope } from '../index/scope.ts';
import { recentFileChanges, fileDiff, markReformats } from '../index/history.ts';
import { reformatOnly } from '../llm/providers/static-diff.ts';
import { isMeaningfulChange } from '../targets/finders/code-evolution.ts';
import { FINDERS } from '../targets/registry.ts';
import { docTypeOrder, selectTarget } from '../targets/select.ts';
import { SnippetStore, localIsoTimestamp } from '../state/snippets.ts';
import { buildFacts } from '../llm/facts.ts';
import { generateBody } from '../llm/generate.ts';
import { callSiteFacts, creationSites } from '../llm/doc-facts.ts';
import { addReaderFacts } from '../llm/reader-facts.ts';
import { taskFindings } from '../llm/lifecycle-facts.ts';
import { decoratorLines, shownSource } from '../devlog/shown-source.ts';
import { makeCommitMessage } from '../llm/commit-message.ts';
import { checkGrounding, formatFeedback, groundingScore, type GroundingInput } from '../llm/grounding.ts';
import { checkLocation, type PageReference } from '../llm/page-references.ts';
import { redactSecrets } from '../core/secrets.ts';
import { renderPage, type PageInput } from '../devlog/render.ts';
import { escapeIdentityMarks } from '../devlog/identity.ts';
import { readRegularFile } from '../devlog/safe-read.ts';
import { pageRelPath } from '../devlog/paths.ts';
import { INDEX_PATH, renderDevlogIndex, withNewPage } from '../devlog/index-page.ts';
import { devlogIndexData } from '../state/devlog-index.ts';
import type { DevLogRepo } from '../devlog/git.ts';
import { crashPoint } from './crash-point.ts';
import { VERSION } from '../core/version.ts';
import { blockingFor } from '../targets/blocking-cache.ts';
import { renderBlockingMarkdown } from '../analysis/blocking/report.ts';
import { STATIC_NOTICE } from '../llm/providers/static.ts';
import { SKELETON_LINES, sourceSkeleton, type Skeleton } from '../devlog/skeleton.ts';
import { blockingFactsForSymbol, blockingSummaryFacts, loadReportSources } from '../analysis/blocking/index.ts';
import type { BlockingReport } from '../analysis/blocking/types.ts';
import type { CycleResult } from './cycle.ts';

/** Source shown on a page and sent in a prompt: at most this many bytes of a whole file. */
const MAX_FILE_SOURCE_BYTES = 24 * 1024;

/** Thrown when the stop signal fires before anything was written; `runCycle` reports `abandoned`. */
export class Abandoned extends Error {}

export function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw new Abandoned('stopping: cycle abandoned before anything was written');
}

/** A target's state-row key (doc type, file, function, class): equal keys are the same page. */
export function targetKey(t: Target): string {
  return JSON.stringify([t.docType, t.absPath, rowFunctionName(t), t.className ?? null]);
}

/** What the select stage reads. */
export interface SelectContext {
  settings: Settings;
  db: Db;
  bus: EventBus;
  signal: AbortSignal;
  index: CodeIndex;
  /** Uniform [0, 1). */
  random: () => number;
  /** ms since epoch: the cycle's start (dedup windows, period targets, facts' ages). */
  started: number;
  /** Targets to pass over besides documented ones: those being generated right now (batches). */
  exclude?: (target: Target) => boolean;
}

/** A chosen target with everything generation needs (source, facts and context redacted). */
export interface Selection {
  target: Target;
  facts: Facts;
  /** The whole repository's index (facts, grounding references, blocking report sources). */
  repoIndex: RepoIndex;
  /** The repository's blocking report, for `async_analysis` pages (rendered around the LLM's summary). */
  report?: BlockingReport;
  /** ms since epoch when the cycle started. */
  started: number;
}

/** Nothing eligible: every candidate is documented (or no repository could be indexed). */
export interface NoSelection {
  skipped: string;
}

/**
 * Select stage: choose a doc type (weighted, or `docType`), the first eligible target across the
 * enabled repositories (SPEC section 4's dedup against the state), fill its source and build its
 * facts. Publishes `analyzing` per doc type tried.
 * @throws Abandoned when the signal fires; an index error skips that repository (logged).
 */
export async function selectStage(ctx: SelectContext, opts: { docType?: DocType } = {}): Promise<Selection | NoSelection> {
  const { settings, bus, signal, index, random, started } = ctx;
  const store = new SnippetStore(ctx.db);
  const history: DocumentedHistory = {
    documentedInPeriod: (from, to) => store.documentedInPeriod(from, to).map((g) => ({ docType: g.docType, repo: g.sourceRepo, count: g.count })),
  };
  const inputs = new Map<string, FinderInput | null>();
  const inputFor = async (repo: RepoConfig, docType: DocType): Promise<FinderInput | null> => {
    checkAbort(signal);
    let input = inputs.get(repo.name);
    if (input === undefined) {
      try {
        const repoIndex = await index.get(repo.path, { analyzer: settings.analyzer, signal, now: started });
        input = { repo, index: targetScope(repoIndex, settings.analyzer.include_patterns), fullIndex: repoIndex, settings, now: started, history };
      } catch (err) {
        if (signal.aborted) throw new Abandoned();
        bus.publish('log', { level: 'warn', msg: `repository ${repo.name} skipped: ${(err as Error).message}` });
        input = null;
      }
      inputs.set(repo.name, input);
    }
    if (input && docType === 'code_evolution' && !input.recentChanges) {
      input.recentChanges = await recentFileChanges(input.index.root, 20);
      // a formatter run is no evolution: the finder passes over it to the file's last change in behaviour
      await markReformats(input.index.root, input.recentChanges, isMeaningfulChange, reformatOnly);
    }
    return input;
  };

  let chosen: Target | null = null;
  let considered = 0;
  for (const docType of docTypeOrder(settings.typeWeights, random, opts.docType)) {
    bus.publish('analyzing', { doc_type: docType });
    const res = await selectTarget(
      FINDERS[docType],
      settings.repositories,
      (r) => inputFor(r, docType),
      (t) =>
        (ctx.exclude?.(t) ?? false) ||
        store.isDuplicate(
          { docType: t.docType, codeHash: t.codeHash, sourceFile: t.absPath, functionName: rowFunctionName(t), className: t.className, subject: subjectOf(t) },
          settings.documentation.redocument_after_days,
          started,
        ),
      random,
    );
    considered += res.considered;
    if (res.target) {
      chosen = res.target;
      break;
    }
  }
  if (!chosen) {
    return {
      skipped: opts.docType
        ? `nothing left to document for ${opts.docType} (${considered} targets already documented)`
        : `nothing left to document in ${settings.repositories.filter((r) => r.enabled).length} repositories (${considered} targets already documented)`,
    };
  }

  // facts come from the whole repository, whatever include_patterns narrowed the targets to
  const chosenInput = inputs.get(chosen.repo.name)!;
  const repoIndex = chosenInput.fullIndex ?? chosenInput.index;
  const prepared = await prepareTarget(chosen, repoIndex);
  const target = prepared.target;
  checkAbort(signal);

  // Secrets never reach a prompt, a page or a commit.
  target.source = (await redactSecrets(target.source)).text;
  if (target.leading) target.leading = { ...target.leading, text: (await redactSecrets(target.leading.text)).text };

  const blocking = target.symbol && (target.symbol.isAsync || target.docType === 'performance_analysis') ? blockingFor(repoIndex) : null;
  const facts = buildFacts(target, repoIndex, {
    now: started,
    blocking: blocking && target.symbol ? blockingFactsFor(blocking, target) : [],
  });
  if (prepared.report) facts.extra.blocking_report = blockingSummaryFacts(prepared.report, 40);
  if (target.symbol && target.functionName) {
    // callers with the calling line, and the tests that exercise it (issue 12, item 3)
    const sites = callSiteFacts(target, facts, repoIndex);
    facts.extra.callSites = sites.callers;
    facts.extra.testSites = sites.tests;
  }
  if (target.symbol?.kind === 'class') facts.extra.creators = creationSites(target, repoIndex);
  // history of the symbol's own lines, references that are not calls, paths shared with other files
  const roots = new Map([...inputs].filter((e): e is [string, FinderInput] => e[1] !== null).map(([n, i]) => [n, i.index.root]));
  await addReaderFacts(target, facts, repoIndex.root, repoIndex, roots);
  // The facts and the context quote the code too (signature defaults, docstrings, commit subjects).
  await redactDeep(facts);
  await redactDeep(target.context);
  return { target, facts, repoIndex, report: prepared.report, started };
}

/** What the generate stage needs: the provider (one LLM host) and the settings' prompts and threshold. */
export interface GenerateContext {
  settings: Settings;
  provider: LlmProvider;
  bus: EventBus;
  signal: AbortSignal;
  /** Parses the grounding check's source off the main thread (`CodeIndex.extract`); on this thread without it. */
  extract?: GroundingInput['extract'];
}

/** A generated, checked body and its commit message (both redacted), ready to publish. */
export interface Generation {
  selection: Selection;
  body: string;
  commitMessage: string;
  /** The provider that wrote it (`ollama`, `openai`, `static`) and its model (null for `static`). */
  provider: LlmProvider['name'];
  model: string | null;
  grounding?: { ungrounded: number; contradictions: number; regenerated: boolean; grounded: boolean };
  /** The grounding checker's findings as JSON (stored with the row), or null when not checked. */
  groundingDetails: string | null;
}

/**
 * Generate stage: the LLM writes the body; grounding (SPEC section 8) checks it and regenerates
 * once with the findings, keeping the better page; `async_analysis` bodies are wrapped in the
 * repository report; then the commit message. Publishes `generating`.
 * @throws LlmError (the host failed), Abandoned (the signal fired).
 */
export async function generateStage(ctx: GenerateContext, selection: Selection): Promise<Generation> {
  const { settings, provider, bus, signal } = ctx;
  const { target, facts, repoIndex, started } = selection;
  bus.publish('generating', {
    doc_type: target.docType,
    repo: target.repo.name,
    target: target.displayName,
    file: target.relPath,
    provider: provider.name,
  });
  const gen = await generateBody(provider, { docType: target.docType, target, facts, prompts: settings.prompts, language: target.language }, signal);
  // A model can echo a secret from its context: its output is redacted before anything reads it
  // (the grounding check stores its findings).
  let body = (await redactSecrets(gen.body)).text;

  let grounding: Generation['grounding'];
  let groundingDetails: string | null = null;
  // Static pages are checked too (the grounding rate covers every page); only LLM pages are regenerated.
  if (target.symbol) {
    const context = contextIdentifiers(facts, target);
    const resolveReference = referenceResolver(repoIndex);
    const check = (b: string) =>
      checkGrounding({ markdown: pageForCheck(target, b), source: shownSource(target).source, language: target.language as LanguageId, context, resolveReference, extract: ctx.extract });
    let result = await check(body);
    let score = groundingScore(result, settings.llm.grounding_threshold);
    let regenerated = false;
    if (!score.grounded && provider.name !== 'static') {
      checkAbort(signal);
      const retry = await generateBody(
        provider,
        { docType: target.docType, target, facts, prompts: settings.prompts, language: target.language, feedback: formatFeedback(result) },
        signal,
      );
      retry.body = (await redactSecrets(retry.body)).text;
      const retryResult = await check(retry.body);
      const retryScore = groundingScore(retryResult, settings.llm.grounding_threshold);
      regenerated = true;
      const worse = (s: typeof score) => s.contradictionCount * 10 + s.ungroundedCount;
      if (worse(retryScore) <= worse(score)) {
        body = retry.body;
        result = retryResult;
        score = retryScore;
      }
    }
    grounding = { ungrounded: score.ungroundedCount, contradictions: score.contradictionCount, regenerated, grounded: score.grounded };
    groundingDetails = JSON.stringify(result);
  }

  if (selection.report) {
    // The repository report (SPEC section 9); an LLM writes only its executive summary.
    const sourceOf = await loadReportSources(repoIndex.root, selection.report);
    const report = renderBlockingMarkdown(selection.report, {
      repoName: target.repo.name,
      now: new Date(started),
      sourceOf,
      executiveSummary: provider.name === 'static' ? undefined : body.trim(),
      tasks: taskFindings(repoIndex),
    });
    // a static page says so, as every other static page does
    body = provider.name === 'static' ? `${STATIC_NOTICE}\n\n${report}` : report;
  }
  body = (await redactSecrets(body)).text;

  checkAbort(signal);
  const commitMessage = (
    await redactSecrets(
      await makeCommitMessage(
        provider,
        { docType: target.docType, displayName: target.displayName, repo: target.repo.name, documentation: body, language: target.language, prompts: settings.prompts },
        signal,
      ),
    )
  ).text.split('\n')[0];
  return {
    selection,
    body,
    commitMessage,
    provider: provider.name,
    model: provider.name === 'static' ? null : gen.model,
    grounding,
    groundingDetails,
  };
}

/** What the publish stage writes to: the state, the DevLog, and the clock for the page's date. */
export interface PublishContext {
  settings: Settings;
  db: Db;
  bus: EventBus;
  signal: AbortSignal;
  devlog: DevLogRepo;
  /** ms since epoch. */
  now: () => number;
  /** Set when the writer lock was lost: nothing is written then. */
  lockLost?: () => Error | null;
}

/** A page rendered from a generation, with where it goes and its state-row key. */
export interface RenderedPage {
  page: string;
  relPath: string;
  at: Date;
  functionName: string | null;
}

/** Render a generation's page (identity included) at `at`; pure. */
export function renderGeneration(gen: Generation, at: Date): RenderedPage {
  const { target, repoIndex } = gen.selection;
  const functionName = rowFunctionName(target);
  const page = renderPage({
    ...pageInput(target, gen.body, at, gen.provider, repoIndex),
    identity: {
      repo: target.repo.name,
      file: target.relPath,
      // no absolute path: a DevLog may be public; rebuilds map `file` through repos.yaml
      symbol: target.symbol ? target.displayName : null,
      functionName,
      className: target.className,
      docType: target.docType,
      codeHash: target.codeHash,
      sourceCommit: repoIndex.commits[0]?.hash ?? null,
      version: VERSION,
      provider: gen.provider,
      model: gen.model,
      documentedAt: localIsoTimestamp(at),
    },
  });
  return { page, relPath: pageRelPath(target.docType, target.language, target.displayName, at), at, functionName };
}

/** The result fields every outcome of a generation shares (dry run or written). */
export function generationSummary(gen: Generation, rendered: RenderedPage): CycleResult & { outcome: 'success' } {
  const { target } = gen.selection;
  return {
    outcome: 'success',
    docType: target.docType,
    repo: target.repo.name,
    target: target.displayName,
    page: rendered.page,
    commitMessage: gen.commitMessage,
    grounding: gen.grounding,
    sourceFile: target.absPath,
    functionName: rendered.functionName,
    codeHash: target.codeHash,
  };
}

/**
 * Publish stage: render, commit the page with the DevLog index, record its row (with metadata
 * and grounding) in one transaction, push, publish `documentation_committed`. Once the page is
 * written the steps run to the end whatever the signal says.
 * @throws Abandoned (signal before writing), DevLogError (git refused), Error (writer lock lost).
 */
export async function publishStage(ctx: PublishContext, gen: Generation): Promise<CycleResult> {
  const { settings, db, bus, signal, devlog } = ctx;
  const { target } = gen.selection;
  const rendered = renderGeneration(gen, new Date(ctx.now()));
  const { page, relPath, at, functionName } = rendered;
  checkAbort(signal);
  crashPoint('generated');
  const lost = ctx.lockLost?.();
  if (lost) throw new Error(`the writer lock was lost (${lost.message}); nothing written`);

  // From here on the steps are local and short: they run to the end even when stopping.
  // The README index is rewritten in the same commit as the page (issue 12, item 6).
  const indexData = devlogIndexData(db);
  const { commit, relPath: written } = await devlog.writeAndCommit(relPath, page, gen.commitMessage, (w) => [
    {
      relPath: INDEX_PATH,
      content: renderDevlogIndex(
        withNewPage(indexData, { snippetPath: w, title: target.displayName, docType: target.docType, repo: target.repo.name, documentedAt: localIsoTimestamp(at) }),
        settings.devlog.repo_path,
        at,
      ),
    },
  ]);
  crashPoint('committed');
  // the row and its metadata together: a crash leaves all or none (reconcile adds a missing row)
  const store = new SnippetStore(db);
  const snippetId = db.transaction(() => {
    const id = store.record({
      sourceRepo: target.repo.name,
      sourceFile: target.absPath,
      functionName,
      className: target.className,
      codeHash: target.codeHash,
      snippetPath: written,
      gitCommit: commit,
      docType: target.docType,
      documentedAt: at,
    }).id;
    db.prepare('INSERT OR REPLACE INTO snippet_meta (snippet_id, language, display_name, provider, model) VALUES (?, ?, ?, ?, ?)').run(
      id,
      target.language,
      target.displayName,
      gen.provider,
      gen.model,
    );
    if (gen.grounding) {
      const g = gen.grounding;
      db.prepare(
        'INSERT OR REPLACE INTO grounding_results (snippet_id, checked_at, ungrounded, contradictions, regenerated, grounded, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(id, at.toISOString(), g.ungrounded, g.contradictions, g.regenerated ? 1 : 0, g.grounded ? 1 : 0, gen.groundingDetails);
    }
    return id;
  })();
  crashPoint('recorded');
  bus.publish('documentation_committed', {
    doc_type: target.docType,
    repo: target.repo.name,
    target: target.displayName,
    file: target.relPath,
    snippet_id: snippetId,
    snippet_path: written,
    commit,
    provider: gen.provider,
  });

  const push = await devlog.push();
  if (push.rewritten?.size) {
    // local commits were rebased onto the remote's: the rows follow their new hashes
    const update = db.prepare(
      'UPDATE documented_snippets SET git_commit = substr(?, 1, length(git_commit)) WHERE length(git_commit) >= 4 AND git_commit = substr(?, 1, length(git_commit))',
    );
    db.transaction(() => {
      for (const [oldHash, newHash] of push.rewritten!) update.run(newHash, oldHash);
    })();
  }
  crashPoint('pushed');
  const rebased = [...(push.rewritten ?? [])].find(([old]) => old.startsWith(commit));
  return {
    ...generationSummary(gen, rendered),
    snippetId,
    snippetPath: written,
    commit: rebased ? rebased[1].slice(0, commit.length) : commit,
    push: push.status,
    pushMessage: push.message,
  };
}

/** Read a file for a file-level target, cut at a line boundary to `MAX_FILE_SOURCE_BYTES`. */
async function readSource(absPath: string): Promise<string> {
  // a FIFO or device in the repository must not hang the cycle
  const text = await readRegularFile(absPath, 64 * 1024 * 1024);
  if (Buffer.byteLength(text) <= MAX_FILE_SOURCE_BYTES) return text;
  const cut = text.slice(0, MAX_FILE_SOURCE_BYTES);
  return cut.slice(0, cut.lastIndexOf('\n') + 1);
}

/**
 * A pattern page shows the lines its participants span (from the first one's definition to the
 * last one's end), not the file's first lines: the code the indicators quote. Without
 * participant ranges (older targets) it is the whole file. The header's complexity is then the
 * sum over the functions in those lines (`fileComplexity`'s rule on the range).
 */
export function participantRange(text: string, t: Pick<Target, 'context' | 'endLine' | 'cyclomatic' | 'file'>): Pick<Target, 'source' | 'startLine' | 'endLine' | 'cyclomatic'> {
  const parts = Array.isArray(t.context.participants) ? (t.context.participants as { line?: unknown; endLine?: unknown }[]) : [];
  const ranges = parts.filter((p) => typeof p.line === 'number' && typeof p.endLine === 'number' && p.line >= 1 && (p.endLine as number) >= (p.line as number)) as { line: number; endLine: number }[];
  const lines = text.split('\n');
  if (ranges.length === 0) return { source: text, startLine: 1, endLine: t.endLine, cyclomatic: t.cyclomatic };
  const start = Math.min(...ranges.map((r) => r.line));
  const end = Math.min(lines.length, Math.max(...ranges.map((r) => r.endLine)));
  if (start > end) return { source: text, startLine: 1, endLine: t.endLine, cyclomatic: t.cyclomatic };
  // the header's complexity covers the lines it names: the functions in the range, not the whole file
  const inRange = (t.file?.symbols ?? []).filter((x) => x.kind !== 'class' && x.startLine >= start && x.endLine <= end);
  const cyclomatic = t.file ? inRange.reduce((n, x) => n + x.metrics.cyclomatic, 0) : t.cyclomatic;
  return { source: lines.slice(start - 1, end).join('\n'), startLine: start, endLine: end, cyclomatic };
}

/** Fill what finders leave to the cycle: file text, diffs, the blocking report. */
async function prepareTarget(target: Target, index: RepoIndex): Promise<{ target: Target; report?: BlockingReport }> {
  const t = { ...target, context: { ...target.context } };
  switch (t.docType) {
    case 'file_doc':
    case 'module_doc': // the entry file; the listing is in the context
      t.source = await readSource(t.absPath);
      break;
    case 'pattern_analysis':
      Object.assign(t, participantRange(await readSource(t.absPath), t));
      break;
    case 'code_evolution': {
      const change = t.context.change as { commit: string; path: string };
      const diff = await fileDiff(index.root, change.commit, change.path);
      t.source = diff.length > MAX_FILE_SOURCE_BYTES ? diff.slice(0, diff.lastIndexOf('\n', MAX_FILE_SOURCE_BYTES) + 1) : diff;
      t.language = 'diff' as Target['language'];
      break;
    }
    case 'async_analysis': {
      const report = blockingFor(index);
      t.context.findings = report.findings.length;
      return { target: t, report };
    }
    default:
      // the page shows the decorators above the symbol (they change what the code is)
      if (t.symbol && t.symbol.decorators.length > 0) {
        t.leading = await readRegularFile(t.absPath, 64 * 1024 * 1024).then(
          (text) => decoratorLines(text, t.startLine),
          () => null, // a file gone since indexing: the page shows the symbol alone
        );
      }
      break;
  }
  return { target: t };
}

/** Identifiers the page may name besides the source: from the facts (callers, calls, params). */
function contextIdentifiers(facts: Facts, target: Target): string[] {
  const ids = new Set<string>();
  for (const c of facts.calls) ids.add(c.callee);
  for (const c of facts.callers) ids.add(c.displayName);
  for (const p of facts.params) ids.add(p);
  for (const d of Array.isArray(facts.extra.decorators) ? (facts.extra.decorators as unknown[]) : []) if (typeof d === 'string') ids.add(d);
  for (const b of facts.blocking) {
    ids.add(b.call);
    b.chain.forEach((x) => ids.add(x));
  }
  // Names a docstring mentions are the author's words about the code, not inventions.
  for (const m of (facts.docstring ?? '').matchAll(/[A-Za-z_][\w.]*/g)) ids.add(m[0]);
  ids.add(target.displayName);
  if (target.className) ids.add(target.className);
  if (target.functionName) ids.add(target.functionName);
  ids.add(path.posix.basename(target.relPath));
  return [...ids];
}

/**
 * Looks up the references a page makes (commit hashes, caller and test locations) in the
 * index's commits and the repository's files, as `codeworm verify --repo` does.
 */
function referenceResolver(index: RepoIndex): (ref: PageReference) => Promise<string | null> {
  const files = new Map<string, string | null>();
  return async (ref) => {
    if (ref.kind === 'commit') return index.commits.some((c) => c.hash.startsWith(ref.hash)) ? null : `no commit ${ref.hash} in the repository's recent history`;
    if (!files.has(ref.file)) {
      const abs = path.resolve(index.root, ref.file);
      files.set(ref.file, abs.startsWith(path.resolve(index.root) + path.sep) ? await readRegularFile(abs).catch(() => null) : null);
    }
    return checkLocation(ref, files.get(ref.file) ?? null);
  };
}

/** The blocking facts of one target, from the repository's blocking report. */
function blockingFactsFor(report: BlockingReport, target: Target): Facts['blocking'] {
  return blockingFactsForSymbol(report, target.relPath, target.displayName).map((f) => ({
    file: f.file,
    chainFiles: report.details[report.findings.indexOf(f)]?.chainFiles,
    line: f.line,
    call: f.call,
    category: f.category,
    kind: f.kind,
    chain: f.chain,
    recommendation: f.recommendation,
  }));
}

/**
 * `function_name` of a target's state row: the function for function targets, null for
 * classes (their `class_name` identifies them), the display name for file, module, period and
 * repository targets (so the symbol-window dedup of SPEC section 4 applies to them too).
 */
export function rowFunctionName(t: Target): string | null {
  if (t.functionName) return t.functionName;
  return t.symbol ? null : t.displayName;
}

/** What a target's page is about for the spread rule: a symbol, a file, or nothing (repository and period pages). */
function subjectOf(t: Target): 'symbol' | 'file' | undefined {
  if (t.symbol) return 'symbol';
  return t.relPath === '.' ? undefined : 'file';
}

/**
 * Redact secrets in every string of a plain object or array, in place. All strings are scanned
 * once together; only when that finds something is each string (of 8+ characters: the shortest
 * secret patterns are longer) redacted on its own, so the common no-secret case costs one scan.
 */
async function redactDeep(value: unknown): Promise<void> {
  const slots: { holder: Record<string | number, unknown>; key: string | number; text: string }[] = [];
  const collect = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || v instanceof Map) return;
    const holder = v as Record<string | number, unknown>;
    for (const key of Array.isArray(v) ? v.keys() : Object.keys(v)) {
      const x = holder[key];
      if (typeof x === 'string') {
        if (x.length >= 8) slots.push({ holder, key, text: x });
      } else collect(x);
    }
  };
  collect(value);
  if (slots.length === 0) return;
  if ((await redactSecrets(slots.map((s) => s.text).join('\n'))).findings.length === 0) return;
  for (const s of slots) s.holder[s.key] = (await redactSecrets(s.text)).text;
}

/**
 * The outline a class or file page shows after its analysis (the analysis lists the members with
 * their lines): null for other doc types, a source of at most SKELETON_LINES lines, or no index.
 */
function outlineFor(target: Target, repoIndex: RepoIndex | undefined): Skeleton | null {
  if ((target.docType !== 'class_doc' && target.docType !== 'file_doc') || !repoIndex) return null;
  const shown = shownSource(target);
  if (shown.source.split('\n').length <= SKELETON_LINES) return null;
  const file = repoIndex.files.find((f) => f.path === target.relPath);
  const members = (file?.symbols ?? []).filter((s) => s.kind !== 'class' && s.startLine >= target.startLine && s.endLine <= target.endLine);
  return sourceSkeleton(escapeIdentityMarks(shown.source), shown.startLine, target.language, members, SKELETON_LINES, { fields: target.docType === 'class_doc' });
}

/** The page fields a target and a body give (everything but the identity). */
function pageInput(target: Target, body: string, at: Date, provider: string, repoIndex?: RepoIndex): PageInput {
  return {
    skeleton: outlineFor(target, repoIndex),
    displayName: target.displayName,
    docType: target.docType,
    repo: target.repo.name,
    file: target.relPath,
    language: target.language,
    startLine: shownSource(target).startLine,
    endLine: target.endLine,
    complexity: target.cyclomatic,
    // code or a model's answer may hold identity-like comments: inert on the page
    source: escapeIdentityMarks(shownSource(target).source),
    body: escapeIdentityMarks(body),
    generatedAt: at,
    provider,
  };
}

/**
 * The page as the grounding checker reads it: header (so line numbers map to the file),
 * Source Code and the body, without identity.
 */
function pageForCheck(target: Target, body: string): string {
  return renderPage(pageInput(target, body, new Date(0), 'check'));
}
