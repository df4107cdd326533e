/**
 * One documentation cycle (SPEC section 2): choose a doc type, find a target, build the facts,
 * generate, check grounding, render, commit, record, push, publish events. The daemon and
 * `run-once` call it.
 *
 * Order and recovery: page written → committed → state row recorded → pushed. The SIGTERM
 * signal is honoured up to the moment the page is written; from there the few local steps run
 * to the end, so there is never a page without its commit, nor a row without its commit. A
 * crash between commit and row is healed at the next start by `reconcileFromDevlog`.
 */
import path from 'node:path';
import type { Db } from '../state/db.ts';
import type { DocType, RepoConfig, Settings } from '../config/schema.ts';
import type { EventBus } from '../core/events.ts';
import { LlmError, type Facts, type LlmProvider } from '../llm/types.ts';
import type { LanguageId, RepoIndex } from '../index/types.ts';
import type { DocumentedHistory, FinderInput, Target } from '../targets/types.ts';
import { CodeIndex } from '../index/indexer.ts';
import { targetScope } from '../index/scope.ts';
import { IndexStore, defaultCacheDir } from '../index/store.ts';
import { recentFileChanges, fileDiff } from '../index/history.ts';
import { FINDERS } from '../targets/registry.ts';
import { docTypeOrder, selectTarget } from '../targets/select.ts';
import { SnippetStore, localIsoTimestamp } from '../state/snippets.ts';
import { buildFacts } from '../llm/facts.ts';
import { generateBody } from '../llm/generate.ts';
import { callSiteFacts } from '../llm/doc-facts.ts';
import { makeCommitMessage } from '../llm/commit-message.ts';
import { checkGrounding, formatFeedback, groundingScore } from '../llm/grounding.ts';
import { checkLocation, type PageReference } from '../llm/page-references.ts';
import { redactSecrets, redactSecretsSync } from '../core/secrets.ts';
import { renderPage, type PageInput } from '../devlog/render.ts';
import { escapeIdentityMarks } from '../devlog/identity.ts';
import { readRegularFile } from '../devlog/safe-read.ts';
import { pageRelPath } from '../devlog/paths.ts';
import { INDEX_PATH, renderDevlogIndex, withNewPage } from '../devlog/index-page.ts';
import { devlogIndexData } from '../state/devlog-index.ts';
import { DevLogError, DevLogRepo } from '../devlog/git.ts';
import { LockBusyError, WriterLock } from '../state/lock.ts';
import { reconcileFromDevlog } from '../state/rebuild.ts';
import { crashPoint } from './crash-point.ts';
import { VERSION } from '../core/version.ts';
import { blockingFor } from '../targets/blocking-cache.ts';
import { renderBlockingMarkdown } from '../analysis/blocking/report.ts';
import { blockingFactsForSymbol, blockingSummaryFacts, loadReportSources } from '../analysis/blocking/index.ts';
import type { BlockingReport } from '../analysis/blocking/types.ts';

export interface CycleDeps {
  settings: Settings;
  db: Db;
  provider: LlmProvider;
  bus: EventBus;
  /** Aborted on SIGTERM: the cycle abandons cleanly (no partial page, row or commit). */
  signal: AbortSignal;
  /** ms since epoch; injectable for tests. */
  now?: () => number;
  /** Uniform [0, 1); injectable for reproducible choices. */
  random?: () => number;
  /** Warm code index shared across cycles (the daemon keeps one); created per call otherwise. */
  index?: CodeIndex;
  /** The DevLog repository; created from settings otherwise. */
  devlog?: DevLogRepo;
  /** How long to wait for another writer of the DevLog / state database (ms, default 60 000). */
  lockWaitMs?: number;
  /** Recorded as the lock's holder (`run`, `run-once`). */
  lockCommand?: string;
}

export interface CycleOptions {
  dryRun?: boolean;
  /** Force a doc type (`run-once --type`). */
  docType?: DocType;
}

export interface CycleResult {
  outcome: 'success' | 'failed' | 'skipped' | 'abandoned';
  reason?: string;
  docType?: DocType;
  repo?: string;
  target?: string;
  snippetId?: string;
  snippetPath?: string;
  commit?: string;
  /** Push outcome; `rejected` is not retried (e.g. secret scanning), `failed` is transient. */
  push?: 'pushed' | 'skipped' | 'rejected' | 'failed';
  pushMessage?: string;
  /** LLM unreachable (counts toward the LLM-unavailable alert). */
  llmUnavailable?: boolean;
  /** The page written (or, in a dry run, that would be written). */
  page?: string;
  commitMessage?: string;
  grounding?: { ungrounded: number; contradictions: number; regenerated: boolean; grounded: boolean };
  /** The documented target's state-row key: absolute source file, function name, code hash. */
  sourceFile?: string;
  functionName?: string | null;
  codeHash?: string;
  /** The DevLog repository refused a local git step (lock held, HEAD unusable): the git-wedge alert. */
  gitWedged?: boolean;
  /** Another CodeWorm process held the DevLog or the state database for the whole wait. */
  lockBusy?: boolean;
  /** Rows recorded for committed pages that had none, before choosing (`reconcile`). */
  reconciled?: number;
  /** For `--debug`: where an unexpected failure came from. */
  stack?: string;
}

/** Source shown on a page and sent in a prompt: at most this many bytes of a whole file. */
const MAX_FILE_SOURCE_BYTES = 24 * 1024;

class Abandoned extends Error {}

function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw new Abandoned('stopping: cycle abandoned before anything was written');
}

/** Read a file for a file-level target, cut at a line boundary to `MAX_FILE_SOURCE_BYTES`. */
async function readSource(absPath: string): Promise<string> {
  // a FIFO or device in the repository must not hang the cycle
  const text = await readRegularFile(absPath, 64 * 1024 * 1024);
  if (Buffer.byteLength(text) <= MAX_FILE_SOURCE_BYTES) return text;
  const cut = text.slice(0, MAX_FILE_SOURCE_BYTES);
  return cut.slice(0, cut.lastIndexOf('\n') + 1);
}

/** Fill what finders leave to the cycle: file text, diffs, the blocking report. */
async function prepareTarget(target: Target, index: RepoIndex): Promise<{ target: Target; report?: BlockingReport }> {
  const t = { ...target, context: { ...target.context } };
  switch (t.docType) {
    case 'file_doc':
    case 'pattern_analysis':
    case 'module_doc': // the entry file; the listing is in the context
      t.source = await readSource(t.absPath);
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
 * Run one cycle. Never throws for expected failures: they come back as `outcome: 'failed'`,
 * `skipped` (nothing eligible anywhere) or `abandoned` (the signal fired before writing).
 */
export async function runCycle(deps: CycleDeps, opts: CycleOptions = {}): Promise<CycleResult> {
  const { settings, db, provider, bus, signal } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const ownIndex = deps.index ? null : new CodeIndex({ store: await IndexStore.open(defaultCacheDir(), { maxBytes: settings.analyzer.cache_max_mb * 1024 * 1024 }).catch(() => null) });
  const index = deps.index ?? ownIndex!;
  const store = new SnippetStore(db);
  const history: DocumentedHistory = {
    documentedInPeriod: (from, to) => store.documentedInPeriod(from, to).map((g) => ({ docType: g.docType, repo: g.sourceRepo, count: g.count })),
  };
  const devlog =
    deps.devlog ??
    new DevLogRepo({
      repoPath: settings.devlog.repo_path,
      remote: settings.devlog.remote,
      branch: settings.devlog.branch,
      authorName: settings.devlog.author_name,
      authorEmail: settings.devlog.author_email,
    });
  let writer: WriterLock | null = null;
  let reconciled = 0;
  bus.publish('cycle_starting', { dry_run: Boolean(opts.dryRun), forced_type: opts.docType ?? null });
  try {
    if (!opts.dryRun) {
      // One writer per DevLog and state database, from choosing the target to the push: two
      // processes never choose the same target, and no one removes another's page in flight.
      writer = await WriterLock.acquire(
        { devlogPath: settings.devlog.repo_path, dataDir: settings.data_dir },
        { waitMs: deps.lockWaitMs ?? 60_000, command: deps.lockCommand ?? 'codeworm' },
      );
      crashPoint('locked');
      await devlog.ensure();
      crashPoint('ensured');
      // pages committed by a writer that died before recording their row get it now, so the
      // duplicate check below sees them
      reconciled = (
        await reconcileFromDevlog(db, devlog.root, { repoPaths: Object.fromEntries(settings.repositories.map((r) => [r.name, r.path])) })
      ).added;
      if (reconciled) bus.publish('log', { level: 'info', msg: `state: recorded ${reconciled} row(s) for committed pages that had none` });
      crashPoint('reconciled');
    }
    const res = await cycleBody();
    return reconciled ? { ...res, reconciled } : res;
  } catch (err) {
    if (err instanceof Abandoned || signal.aborted) {
      return { outcome: 'abandoned', reason: 'stopping: cycle abandoned before anything was written' };
    }
    const llmUnavailable = err instanceof LlmError && (err.kind === 'unreachable' || err.kind === 'timeout' || err.kind === 'model_missing');
    // error messages quote LLM answers, git output and paths: they are printed and stored
    const reason = redactSecretsSync(err instanceof Error ? err.message : String(err)).text;
    bus.publish('cycle_failed', { reason, llm_unavailable: llmUnavailable });
    return {
      outcome: 'failed',
      reason,
      llmUnavailable,
      gitWedged: err instanceof DevLogError,
      lockBusy: err instanceof LockBusyError || undefined,
      stack: err instanceof Error && !(err instanceof LockBusyError) && err.stack ? redactSecretsSync(err.stack).text : undefined,
    };
  } finally {
    await writer?.release();
    if (ownIndex) await ownIndex.close();
  }

  async function cycleBody(): Promise<CycleResult> {
    const started = now();
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
      const reason = opts.docType
        ? `nothing left to document for ${opts.docType} (${considered} targets already documented)`
        : `nothing left to document in ${settings.repositories.filter((r) => r.enabled).length} repositories (${considered} targets already documented)`;
      bus.publish('cycle_skipped', { reason });
      return { outcome: 'skipped', reason };
    }

    // facts come from the whole repository, whatever include_patterns narrowed the targets to
    const chosenInput = inputs.get(chosen.repo.name)!;
    const repoIndex = chosenInput.fullIndex ?? chosenInput.index;
    const prepared = await prepareTarget(chosen, repoIndex);
    const target = prepared.target;
    checkAbort(signal);

    // Secrets never reach a prompt, a page or a commit.
    const redacted = await redactSecrets(target.source);
    target.source = redacted.text;

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
    // The facts and the context quote the code too (signature defaults, docstrings, commit subjects).
    await redactDeep(facts);
    await redactDeep(target.context);

    bus.publish('generating', {
      doc_type: target.docType,
      repo: target.repo.name,
      target: target.displayName,
      file: target.relPath,
      provider: provider.name,
    });
    const gen = await generateBody(
      provider,
      { docType: target.docType, target, facts, prompts: settings.prompts, language: target.language },
      signal,
    );
    // A model can echo a secret from its context: its output is redacted before anything reads it
    // (the grounding check stores its findings).
    let body = (await redactSecrets(gen.body)).text;

    // Grounding (SPEC section 8): check, regenerate once with the findings, keep the better page.
    let grounding: CycleResult['grounding'];
    let groundingDetails: string | null = null;
    // Static pages are checked too (the grounding rate covers every page); only LLM pages are regenerated.
    const checkable = Boolean(target.symbol);
    if (checkable) {
      const context = contextIdentifiers(facts, target);
      const resolveReference = referenceResolver(repoIndex);
      const check = (b: string) =>
        checkGrounding({ markdown: pageForCheck(target, b), source: target.source, language: target.language as LanguageId, context, resolveReference });
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

    if (prepared.report) {
      // The repository report (SPEC section 9); an LLM writes only its executive summary.
      const sourceOf = await loadReportSources(repoIndex.root, prepared.report);
      body = renderBlockingMarkdown(prepared.report, {
        repoName: target.repo.name,
        now: new Date(started),
        sourceOf,
        executiveSummary: provider.name === 'static' ? undefined : body.trim(),
      });
    }
    body = (await redactSecrets(body)).text;

    checkAbort(signal);
    const message = (
      await redactSecrets(
        await makeCommitMessage(
          provider,
          { docType: target.docType, displayName: target.displayName, repo: target.repo.name, documentation: body, language: target.language, prompts: settings.prompts },
          signal,
        ),
      )
    ).text.split('\n')[0];

    const at = new Date(now());
    const functionName = rowFunctionName(target);
    const sourceCommit = repoIndex.commits[0]?.hash ?? null;
    const page = renderPage({
      ...pageInput(target, body, at, provider.name),
      identity: {
        repo: target.repo.name,
        file: target.relPath,
        // no absolute path: a DevLog may be public; rebuilds map `file` through repos.yaml
        symbol: target.symbol ? target.displayName : null,
        functionName,
        className: target.className,
        docType: target.docType,
        codeHash: target.codeHash,
        sourceCommit,
        version: VERSION,
        provider: provider.name,
        model: provider.name === 'static' ? null : gen.model,
        documentedAt: localIsoTimestamp(at),
      },
    });
    const relPath = pageRelPath(target.docType, target.language, target.displayName, at);
    const base = {
      docType: target.docType,
      repo: target.repo.name,
      target: target.displayName,
      page,
      commitMessage: message,
      grounding,
      sourceFile: target.absPath,
      functionName,
      codeHash: target.codeHash,
    };
    if (opts.dryRun) {
      return { outcome: 'success', ...base, snippetPath: relPath, reason: 'dry run: nothing written' };
    }
    checkAbort(signal);
    crashPoint('generated');
    if (writer?.compromised) throw new Error(`the writer lock was lost (${writer.compromised.message}); nothing written`);

    // From here on the steps are local and short: they run to the end even when stopping.
    // The README index is rewritten in the same commit as the page (issue 12, item 6).
    const indexData = devlogIndexData(db);
    const { commit, relPath: written } = await devlog.writeAndCommit(relPath, page, message, (w) => [
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
        provider.name,
        provider.name === 'static' ? null : gen.model,
      );
      if (grounding) {
        db.prepare(
          'INSERT OR REPLACE INTO grounding_results (snippet_id, checked_at, ungrounded, contradictions, regenerated, grounded, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(id, at.toISOString(), grounding.ungrounded, grounding.contradictions, grounding.regenerated ? 1 : 0, grounding.grounded ? 1 : 0, groundingDetails);
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
      provider: provider.name,
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
      outcome: 'success',
      ...base,
      snippetId,
      snippetPath: written,
      commit: rebased ? rebased[1].slice(0, commit.length) : commit,
      push: push.status,
      pushMessage: push.message,
    };
  }
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
function rowFunctionName(t: Target): string | null {
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

/** The page fields a target and a body give (everything but the identity). */
function pageInput(target: Target, body: string, at: Date, provider: string): PageInput {
  return {
    displayName: target.displayName,
    docType: target.docType,
    repo: target.repo.name,
    file: target.relPath,
    language: target.language,
    startLine: target.startLine,
    endLine: target.endLine,
    complexity: target.cyclomatic,
    // code or a model's answer may hold identity-like comments: inert on the page
    source: escapeIdentityMarks(target.source),
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
