/**
 * Test support for page tests on a small fixture repository: index it, build a target's facts as
 * the cycle does (call sites, reader facts from git, blocking facts), render the static page and
 * run `verify` on it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { indexRepository } from '../../src/index/indexer.ts';
import type { RepoIndex } from '../../src/index/types.ts';
import type { DocType } from '../../src/config/schema.ts';
import { symbolTarget } from '../../src/targets/common.ts';
import type { FinderInput, Target } from '../../src/targets/types.ts';
import { buildFacts } from '../../src/llm/facts.ts';
import { callSiteFacts, creationSites } from '../../src/llm/doc-facts.ts';
import { addReaderFacts } from '../../src/llm/reader-facts.ts';
import { renderStaticBody } from '../../src/llm/providers/static.ts';
import type { Facts } from '../../src/llm/types.ts';
import { decoratorLines, shownSource } from '../../src/devlog/shown-source.ts';
import { renderPage } from '../../src/devlog/render.ts';
import { verifyPage } from '../../src/llm/verify-page.ts';
import { blockingFor } from '../../src/targets/blocking-cache.ts';
import { blockingFactsForSymbol } from '../../src/analysis/blocking/index.ts';
import { makeRepo } from '../support/git-repo.ts';
import { cloneCw } from '../support/cw-repo.ts';

export interface Fixture {
  root: string;
  index: RepoIndex;
  input: FinderInput;
}

/** A git repository holding `files` (one commit), indexed with an injected clock. */
export async function fixture(files: Record<string, string>): Promise<Fixture> {
  const now = Date.UTC(2026, 10, 30, 12);
  const root = await makeRepo(files, { date: new Date(Date.UTC(2026, 10, 1)) });
  const index = await indexRepository(root, { now });
  return { root, index, input: { repo: { name: 'fx', path: root, weight: 5, enabled: true }, index, settings: undefined as never, now } };
}

/** The original CodeWorm (test/support/cw-repo.ts, two commits), indexed, as repository `codeworm`. */
export async function originalCodeworm(): Promise<Fixture> {
  const root = await cloneCw();
  const index = await indexRepository(root);
  return { root, index, input: { repo: { name: 'codeworm', path: root, weight: 5, enabled: true }, index, settings: undefined as never, now: Date.UTC(2026, 10, 30) } };
}

/** A symbol's target, prepared as the cycle prepares it (decorator lines read from the file). */
export async function targetFor(fx: Fixture, docType: DocType, displayName: string, context: Record<string, unknown> = {}): Promise<Target> {
  for (const file of fx.index.files) {
    const symbol = file.symbols.find((s) => s.displayName === displayName);
    if (!symbol) continue;
    const t = symbolTarget(docType, fx.input, file, symbol, 50, { context });
    if (symbol.decorators.length > 0) t.leading = decoratorLines(await readFile(t.absPath, 'utf8'), t.startLine);
    return t;
  }
  throw new Error(`no symbol ${displayName}`);
}

/** The static page of a target as the cycle writes it, and what `codeworm verify --repo` says of it. */
export async function staticPage(fx: Fixture, t: Target): Promise<{ body: string; page: string; facts: Facts; ungrounded: string[]; contradictions: number }> {
  const report = blockingFor(fx.index);
  // as the cycle gives them (src/daemon/stages.ts)
  const blocking: Facts['blocking'] = t.symbol && (t.symbol.isAsync || t.docType === 'performance_analysis')
    ? blockingFactsForSymbol(report, t.relPath, t.displayName).map((f) => ({ file: f.file, chainFiles: report.details[report.findings.indexOf(f)]?.chainFiles, line: f.line, call: f.call, category: f.category, kind: f.kind, chain: f.chain, recommendation: f.recommendation }))
    : [];
  const facts = buildFacts(t, fx.index, { now: fx.input.now, blocking });
  if (t.functionName) {
    const sites = callSiteFacts(t, facts, fx.index);
    facts.extra.callSites = sites.callers;
    facts.extra.testSites = sites.tests;
  }
  await addReaderFacts(t, facts, fx.root, fx.index);
  const body = renderStaticBody(t.docType, t, facts);
  const shown = shownSource(t);
  const page = renderPage({ displayName: t.displayName, docType: t.docType, repo: 'fx', file: t.relPath, language: t.language, startLine: shown.startLine, endLine: t.endLine, complexity: t.cyclomatic, source: shown.source, body, generatedAt: new Date(0), provider: 'static' });
  const v = await verifyPage(page, { repo: fx.root });
  return { body, page, facts, ungrounded: v.result.ungrounded.map((u) => u.identifier), contradictions: v.result.contradictions.length };
}

/**
 * The static page of a symbol of an indexed repository as the cycle writes it (decorators,
 * callers, creators, reader facts), and what `codeworm verify --repo` says of it. `file`
 * narrows the search to one file.
 */
export async function symbolPage(
  repo: { root: string; index: RepoIndex; input: FinderInput },
  docType: DocType,
  displayName: string,
  file?: string,
): Promise<{ t: Target; body: string; ungrounded: string[]; contradictions: number }> {
  const { root, index, input } = repo;
  const f = index.files.find((x) => (!file || x.path === file) && x.symbols.some((s) => s.displayName === displayName));
  assert.ok(f, `no symbol ${displayName}`);
  const symbol = f.symbols.find((s) => s.displayName === displayName)!;
  const t = symbolTarget(docType, input, f, symbol, 50);
  if (symbol.decorators.length > 0) t.leading = decoratorLines(await readFile(t.absPath, 'utf8'), t.startLine);
  const facts = buildFacts(t, index, { now: input.now, blocking: [] });
  if (t.functionName) {
    const sites = callSiteFacts(t, facts, index);
    facts.extra.callSites = sites.callers;
    facts.extra.testSites = sites.tests;
  }
  if (symbol.kind === 'class') facts.extra.creators = creationSites(t, index);
  await addReaderFacts(t, facts, root, index);
  const body = renderStaticBody(t.docType, t, facts);
  const shown = shownSource(t);
  const page = renderPage({ displayName: t.displayName, docType: t.docType, repo: 'codeworm', file: t.relPath, language: t.language, startLine: shown.startLine, endLine: t.endLine, complexity: t.cyclomatic, source: shown.source, body, generatedAt: new Date(0), provider: 'static' });
  const v = await verifyPage(page, { repo: root });
  return { t, body, ungrounded: v.result.ungrounded.map((u) => u.identifier), contradictions: v.result.contradictions.length };
}

/** The 1-based line of `text` holding `needle`, the first one at or after the line holding `after` (if given). */
export function lineIn(text: string, needle: string, after?: string): number {
  const lines = text.split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, k) => k >= from && l.includes(needle));
  assert.ok(from >= 0 && i >= 0, `no line ${needle}${after ? ` after ${after}` : ''}`);
  return i + 1;
}
