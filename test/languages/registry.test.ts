/**
 * The language registry is the one place a language is declared: every language-keyed table of
 * the product is derived from it. These tests walk the registry, so a new language that misses
 * a descriptor field or a table that forgets a registered language fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { LANGUAGES, languageByExtension, languageById, languageByName } from '../../src/languages/registry.ts';
import { extractSource, languageForPath } from '../../src/index/extract.ts';
import { parseSource } from '../../src/index/parser.ts';
import { codeLanguageOf, pageKind } from '../../src/llm/verify-page.ts';
import { languageOfFile, programmingLanguageOf } from '../../src/dashboard/language.ts';
import { targetNames } from '../../src/llm/commit-message.ts';
import { LANGUAGE_HINTS, PERFORMANCE_HINTS, SECURITY_HINTS } from '../../src/llm/prompts/doc-types.ts';
import { languageHint } from '../../src/llm/prompts/build.ts';
import { isLanguageWord, isLibraryModule } from '../../src/llm/grounding-lexicon.ts';
import { docFolder } from '../../src/devlog/paths.ts';
import { DEVLOG_FOLDERS } from '../../src/core/doctypes.ts';
import { entryFile } from '../../src/targets/finders/module-doc.ts';
import { collectFileFacts, FACT_COLLECTORS } from '../../src/analysis/facts.ts';
import { familyOf } from '../../src/analysis/blocking/collector.ts';
import { rulesOf } from '../../src/analysis/blocking/rules.ts';
import type { FileRecord } from '../../src/index/types.ts';
import { REPO_ROOT } from '../support/cli.ts';

const require = createRequire(import.meta.url);

test('every descriptor is complete: id, name, extensions, grammar, fence, folder, lexicon, hints', () => {
  assert.ok(LANGUAGES.length >= 6);
  assert.equal(new Set(LANGUAGES.map((l) => l.id)).size, LANGUAGES.length, 'ids are unique');
  for (const l of LANGUAGES) {
    assert.match(l.id, /^[a-z][a-z0-9]*$/, l.id);
    assert.ok(l.name.length > 0, `${l.id}: name`);
    assert.ok(l.extensions.length > 0, `${l.id}: extensions`);
    for (const e of l.extensions) assert.match(e, /^\.[a-z0-9+]+$/, `${l.id}: extension ${e} is lower case with its dot`);
    for (const a of l.aliases) assert.equal(a, a.toLowerCase(), `${l.id}: alias ${a} is lower case`);
    assert.ok(require.resolve(l.grammar), `${l.id}: grammar ${l.grammar} resolves`);
    assert.ok(l.fence.length > 0 && !/\s|`/.test(l.fence), `${l.id}: fence`);
    assert.match(l.devlogFolder, /^[a-z0-9-]+$/, `${l.id}: DevLog folder`);
    assert.ok(l.lexicon.words.length > 10 && l.lexicon.modules.length > 0, `${l.id}: lexicon`);
    assert.ok(l.hints.docs.length > 10, `${l.id}: documentation hint`);
    assert.ok(l.lineComment === '#' || l.lineComment === '//', `${l.id}: line comment`);
    assert.ok(l.entryFiles.length > 0 || l.entryOf, `${l.id}: a module rule (entry-file names or entryOf)`);
    assert.ok(['name: type', 'name type', 'type name'].includes(l.paramStyle), `${l.id}: parameter style`);
  }
});

test('the extension maps agree: index, verify and dashboard name the same language for every extension', () => {
  const seen = new Map<string, string>();
  for (const l of LANGUAGES) {
    for (const ext of l.extensions) {
      assert.equal(seen.get(ext), undefined, `${ext} is claimed twice`);
      seen.set(ext, l.id);
      const file = `src/sample${ext}`;
      assert.equal(languageForPath(file), l.id, `index: ${file}`);
      assert.equal(languageForPath(`src/SAMPLE${ext.toUpperCase()}`), l.id, `index, upper case: ${ext}`);
      assert.equal(languageByExtension(ext)?.id, l.id);
      assert.equal(codeLanguageOf({ language: '', file }), l.id, `verify: ${file}`);
      assert.equal(pageKind({ language: '', file }), 'code', `verify kind: ${file}`);
      assert.equal(languageOfFile(file), l.id, `dashboard: ${file}`);
      assert.equal(programmingLanguageOf(null, file), l.group, `dashboard chart: ${file}`);
      // A file name's extension is not a target name of a commit message (`daemon.py` is not about `py`).
      assert.ok(!targetNames(`sample${ext}`).includes(ext.slice(1)), `commit message: ${ext}`);
    }
  }
  // The disagreement this registry ended: `.tsx` is TSX everywhere, and TypeScript on the chart.
  assert.equal(languageOfFile('App.tsx'), 'tsx');
  assert.equal(codeLanguageOf({ language: '', file: 'App.tsx' }), 'tsx');
  assert.equal(programmingLanguageOf('tsx', 'App.tsx'), 'typescript');
});

test('a page names its language by id, fence or alias, in any case', () => {
  for (const l of LANGUAGES) {
    for (const name of [l.id, l.fence, ...l.aliases, l.id.toUpperCase()]) {
      assert.equal(languageByName(name)?.id, l.id, `${l.id}: ${name}`);
      assert.equal(codeLanguageOf({ language: name, file: '' }), l.id, `verify: ${name}`);
      assert.equal(pageKind({ language: name, file: '' }), 'code');
    }
    assert.equal(programmingLanguageOf(l.id, ''), l.group, `chart: ${l.id}`);
  }
});

test('every grammar loads with the installed web-tree-sitter and parses an empty file', async () => {
  for (const l of LANGUAGES) {
    const tree = await parseSource(l.id, '');
    try {
      assert.equal(tree.rootNode.hasError, false, l.id);
    } finally {
      tree.delete();
    }
    const r = await extractSource(l.id, '\n');
    assert.deepEqual([r.symbols.length, r.hasSyntaxErrors], [0, false], l.id);
  }
});

test('prompt hints, grounding lexicon, DevLog folders and fact collectors cover every language', async () => {
  for (const l of LANGUAGES) {
    assert.equal(LANGUAGE_HINTS[l.id], l.hints.docs, `docs hint: ${l.id}`);
    assert.equal(languageHint(l.id, { language_hints: {}, doc_types: {} }), l.hints.docs);
    assert.equal(SECURITY_HINTS[l.id], l.hints.security, `security hint: ${l.id}`);
    assert.equal(PERFORMANCE_HINTS[l.id], l.hints.performance, `performance hint: ${l.id}`);
    for (const w of l.lexicon.words) assert.ok(isLanguageWord(l.id, w), `${l.id}: word ${w}`);
    for (const m of l.lexicon.modules) assert.ok(isLibraryModule(l.id, m), `${l.id}: module ${m}`);
    // Summaries (`text`) may use every language's words.
    assert.ok(isLanguageWord('text', l.lexicon.words[0]));
    assert.equal(docFolder('function_doc', l.id), `snippets/${l.devlogFolder}`);
    assert.ok(DEVLOG_FOLDERS.includes(`snippets/${l.devlogFolder}`), `DevLog folder of ${l.id} is created`);
    const family = l.facts.blocking?.family ?? null;
    assert.equal(familyOf(l.id), family);
    if (family) assert.ok(rulesOf(family).rules.length > 0, `${l.id}: blocking rules of ${family}`);
    const tree = await parseSource(l.id, '');
    try {
      const { facts, errors } = collectFileFacts(tree.rootNode, l.id, '');
      assert.deepEqual(errors, [], l.id);
      for (const c of FACT_COLLECTORS) assert.ok(c.name in facts, `${l.id}: ${c.name}`);
      assert.equal(facts.blocking !== null, !!l.facts.blocking, `${l.id}: blocking facts iff a collector`);
    } finally {
      tree.delete();
    }
  }
});

test('a directory with a language entry file is a module with that entry', () => {
  const rec = (p: string, language: string, lines = 10) => ({ path: p, language, lines }) as unknown as FileRecord;
  for (const l of LANGUAGES) {
    const other = rec(`pkg/helper${l.extensions[0]}`, l.id, 500);
    if (l.entryFiles.length > 0) {
      const entry = rec(`pkg/${l.entryFiles[0]}`, l.id);
      assert.equal(entryFile('pkg', [other, entry])?.path, entry.path, l.id);
    }
    if (l.entryOf) {
      // A file named after the directory is the entry by every own rule (Go package file, C header, Ruby/PHP/C# file).
      const named = l.extensions.map((e) => rec(`pkg/pkg${e}`, l.id));
      assert.ok(named.some((n) => entryFile('pkg', [other, n])?.path === n.path), `${l.id}: its own module rule finds an entry`);
    }
  }
});

/** Source files outside `src/languages/`, relative to the repository. */
async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) {
      if (rel !== 'src/languages') out.push(...(await sourceFiles(rel)));
    } else if (e.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

test('no code outside src/languages/ branches on a language id', async () => {
  const ids = LANGUAGES.map((l) => l.id).join('|');
  // `language === 'go'`, `case 'rust':`, `{ python: …, tsx: … }` tables. Rule families and lexer dialects are other keys.
  const branch = new RegExp(`(?<!family|dialect)\\s*[!=]==\\s*'(${ids})'|\\bcase '(${ids})':|^\\s*'?(${ids})'?: '`, 'm');
  const offenders: string[] = [];
  for (const file of await sourceFiles('src')) {
    const text = await readFile(path.join(REPO_ROOT, file), 'utf8');
    text.split('\n').forEach((line, i) => {
      if (branch.test(line) && !/\b(family|dialect)\s*[!=]==/.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
  assert.ok(languageById('python'));
});
