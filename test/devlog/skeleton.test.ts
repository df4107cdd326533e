import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceSkeleton } from '../../src/devlog/skeleton.ts';
import { parsePage, renderPage } from '../../src/devlog/render.ts';

const CLASS = [
  'class Store:',
  '    """',
  '    Keeps state',
  '    """',
  '    LIMIT = 10',
  '    QUERY = """',
  '    SELECT (a, b) FROM t',
  '    """',
  '',
  '    def __init__(self, path: str) -> None:',
  '        # open it',
  '        self.path = path',
  '',
  '    @staticmethod',
  '    def hash(text: str) -> str:',
  '        """Hash it."""',
  '        return text',
  '',
  '    def find(',
  '        self,',
  '        limit: int = 10,',
  '    ) -> list:',
  '        def inner():',
  '            return 1',
  '        return [inner()]',
].join('\n');

test('a Python class outline: class line, fields, decorators and signatures with their lines; no docstrings, strings or bodies', () => {
  const sk = sourceSkeleton(CLASS, 100, 'python', [{ startLine: 109, endLine: 111 }, { startLine: 114, endLine: 116 }, { startLine: 118, endLine: 124 }, { startLine: 122, endLine: 123 }]);
  assert.ok(sk);
  assert.equal(sk.text, [
    'class Store:',
    '    LIMIT = 10',
    '    QUERY = """ …',
    '    def __init__(self, path: str) -> None: ...  # line 109',
    '    @staticmethod',
    '    def hash(text: str) -> str: ...  # line 114',
    '    def find(  # line 118',
    '        self,',
    '        limit: int = 10,',
    '    ) -> list: ...',
  ].join('\n'));
  assert.equal(sk.omitted, 25 - 10);
});

test('a TypeScript outline closes each body as { … }; a capped outline says how many lines it left', () => {
  const ts = ['import x from "y";', 'export class A {', '  private n = 0;', '  run(a: number): void {', '    this.n += a;', '  }', '  stop(): void {', '    this.n = 0;', '  }', '}'].join('\n');
  const sk = sourceSkeleton(ts, 1, 'typescript', [{ startLine: 4, endLine: 6 }, { startLine: 7, endLine: 9 }]);
  assert.equal(sk?.text, ['export class A {', '  private n = 0;', '  run(a: number): void { … }  // line 4', '  stop(): void { … }  // line 7', '}'].join('\n'));
  const many = ['class B:', ...Array.from({ length: 40 }, (_, i) => `    def m${i}(self): \n        return ${i}`)].join('\n');
  const members = Array.from({ length: 40 }, (_, i) => ({ startLine: 2 + 2 * i, endLine: 3 + 2 * i }));
  const capped = sourceSkeleton(many, 1, 'python', members, 30)!;
  assert.equal(capped.text.split('\n').length, 30);
  assert.match(capped.text, /# … 12 more outline lines$/);
  // nothing to leave out: no outline
  assert.equal(sourceSkeleton('X = 1\nY = 2', 1, 'python', []), null);
});

test('an outline page puts the analysis first and parses back: body, source and the lines left out', () => {
  const sk = sourceSkeleton(CLASS, 100, 'python', [{ startLine: 109, endLine: 111 }, { startLine: 114, endLine: 116 }, { startLine: 118, endLine: 124 }])!;
  const page = renderPage({ displayName: 'Store', docType: 'class_doc', repo: 'r', file: 'store.py', language: 'python', startLine: 100, endLine: 124, complexity: 2, source: CLASS, body: '**Purpose:** Keeps state.\n\n### Methods\n\n- `find` (line 118)', generatedAt: new Date(0), provider: 'static', skeleton: sk });
  assert.ok(page.indexOf('## Class Documentation') < page.indexOf('## Source Code'), page);
  assert.match(page, new RegExp(`\\*… ${sk.omitted} more lines not shown: an outline, signatures without bodies; the whole class is lines 100-124 of \`store\\.py\`\\.\\*`));
  const parsed = parsePage(page);
  assert.equal(parsed.body, '**Purpose:** Keeps state.\n\n### Methods\n\n- `find` (line 118)');
  assert.equal(parsed.source, sk.text);
  assert.equal(parsed.omittedLines, sk.omitted);
  assert.equal(parsed.staticProvider, true);
  assert.deepEqual(parsed.lines, { start: 100, end: 124 });
});

test('a file outline: module constants, class lines and signatures; multi-line imports, TYPE_CHECKING blocks and class fields go', () => {
  const file = [
    'from typing import (',
    '    TYPE_CHECKING,',
    '    Any,',
    ')',
    'if TYPE_CHECKING:',
    '    from x import Y',
    'LIMIT = 5',
    '@dataclass',
    'class Point:',
    '    x: int = 0',
    '    y: int = 0',
    '    def norm(self) -> float:',
    '        return 0.0',
    'def main() -> int:',
    '    return 0',
  ].join('\n');
  const sk = sourceSkeleton(file, 1, 'python', [{ startLine: 12, endLine: 13 }, { startLine: 14, endLine: 15 }], 30, { fields: false });
  assert.equal(sk?.text, ['LIMIT = 5', '@dataclass', 'class Point:', '    def norm(self) -> float: ...  # line 12', 'def main() -> int: ...  # line 14'].join('\n'));
  // a class outline keeps its fields
  assert.match(sourceSkeleton(file, 1, 'python', [{ startLine: 12, endLine: 13 }, { startLine: 14, endLine: 15 }])!.text, / {4}x: int = 0\n {4}y: int = 0/);
});
