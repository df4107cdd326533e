import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { docFolder, pageFileName, pageRelPath, slugify, writePageExclusive } from '../../src/devlog/paths.ts';

test('slug lower-cases and turns runs of non-alphanumerics into one dash', () => {
  assert.equal(slugify('CodeWormDaemon._async_run'), 'codewormdaemon-async-run');
  assert.equal(slugify('  __init__ / Weird!!Name  '), 'init-weird-name');
  assert.equal(slugify('Über Café'), 'uber-cafe');
});

test('a nested qualified name keeps every part in its slug', () => {
  assert.equal(slugify('CodeExtractor._extract_python_functions.visit'), 'codeextractor-extract-python-functions-visit');
  assert.notEqual(slugify('CodeExtractor._extract_python_functions.visit'), slugify('CodeExtractor._extract_python_functions'));
});

test('a slug longer than 100 characters is cut at a dash and ends with a hash of the whole name', () => {
  const a = `${'part_'.repeat(25)}alpha`;
  const b = `${'part_'.repeat(25)}beta`;
  const sa = slugify(a);
  assert.ok(sa.length <= 100, `${sa.length} characters`);
  assert.match(sa, /^(part-)+[0-9a-f]{8}$/);
  assert.notEqual(sa, slugify(b), 'two long names with one prefix get different slugs');
  assert.equal(sa, slugify(a), 'the same name always gets the same slug');
});

test('a single word longer than the limit is cut at the limit before its hash', () => {
  const slug = slugify('x'.repeat(155));
  assert.equal(slug.length, 100);
  assert.match(slug, /^x{91}-[0-9a-f]{8}$/);
});

test('an empty slug becomes "page"', () => {
  assert.equal(slugify('***'), 'page');
});

test('function docs go to snippets/<language>/, other types to their folder', () => {
  assert.equal(docFolder('function_doc', 'Python'), 'snippets/python');
  assert.equal(docFolder('class_doc', 'python'), 'classes');
  assert.equal(docFolder('security_review', 'go'), 'reviews/security');
  assert.equal(docFolder('monthly_summary', ''), 'analysis/monthly');
});

test('file names are YYYY-MM-DD_<slug>.md in local time', () => {
  const d = new Date(2026, 2, 2, 23, 59);
  assert.equal(pageFileName('CodeWormDaemon._async_run', d), '2026-03-02_codewormdaemon-async-run.md');
  assert.equal(pageRelPath('til', 'rust', 'parse', d), 'til/2026-03-02_parse.md');
});

test('an existing page is never overwritten: the next name gets -2, then -3', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'cw-paths-'));
  const rel = 'snippets/python/2026-03-02_save.md';
  assert.equal(await writePageExclusive(root, rel, 'first'), rel);
  assert.equal(await writePageExclusive(root, rel, 'second'), 'snippets/python/2026-03-02_save-2.md');
  assert.equal(await writePageExclusive(root, rel, 'third'), 'snippets/python/2026-03-02_save-3.md');
  assert.equal(await readFile(path.join(root, rel), 'utf8'), 'first');
  assert.equal(await readFile(path.join(root, 'snippets/python/2026-03-02_save-2.md'), 'utf8'), 'second');
});

test('a page written by someone else under the name is kept', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'cw-paths-'));
  await mkdir(path.join(root, 'til'), { recursive: true });
  await writeFile(path.join(root, 'til/2026-01-01_x.md'), 'hand written');
  const written = await writePageExclusive(root, 'til/2026-01-01_x.md', 'generated');
  assert.equal(written, 'til/2026-01-01_x-2.md');
  assert.equal(await readFile(path.join(root, 'til/2026-01-01_x.md'), 'utf8'), 'hand written');
});
