/**
 * Module pages (issue 12, reader review): each file of the package with what it is for (its main
 * definitions in their authors' words, the package's exported names first) and the files of the
 * package it builds on; importers for type checkers only (`if TYPE_CHECKING:`, `import type`) told
 * apart from run-time ones; no "Purpose" that only repeats the package's name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { FINDERS } from '../../src/targets/registry.ts';
import { buildFacts, importersOf } from '../../src/llm/facts.ts';
import { renderStaticBody } from '../../src/llm/providers/static.ts';
import { fixture } from './support.ts';

const FILES: Record<string, string> = {
  'shop/__init__.py': '"""\n(c) Example | 2026\nshop/__init__.py\n"""\nfrom shop.cart import Cart\nfrom shop.pricing import PriceTable, price_of\n\n__all__ = ["Cart", "PriceTable", "price_of"]\n',
  'shop/pricing.py': [
    'class _Cache:',
    '    """Memo of computed prices"""',
    '    def __init__(self):',
    '        self.items = {}',
    '        self.hits = 0',
    '        self.misses = 0',
    '        self.size = 0',
    '        self.limit = 100',
    '',
    'class PriceTable:',
    '    """Prices per article, loaded once"""',
    '    def __init__(self, rows):',
    '        self.rows = dict(rows)',
    '',
    'def price_of(table, article):',
    '    return table.rows[article]',
    '',
    'class _Audit:',
    '    """Log of price lookups"""',
    '    def __init__(self):',
    '        self.entries = []',
    '        self.first = None',
    '        self.last = None',
    '        self.count = 0',
    '        self.errors = 0',
    '        self.limit = 1000',
    '        self.dropped = 0',
    '',
  ].join('\n'),
  'shop/cart.py': [
    'from shop.pricing import PriceTable, price_of',
    '',
    'class Cart:',
    '    """A customer\'s articles until checkout"""',
    '    def __init__(self, table: PriceTable):',
    '        self.table = table',
    '        self.articles = []',
    '',
    '    def total(self):',
    '        return sum(price_of(self.table, a) for a in self.articles)',
    '',
  ].join('\n'),
  'app.py': 'from shop import Cart, PriceTable\n\ncart = Cart(PriceTable([("tea", 3)]))\nprint(cart.total())\n',
  'report.py': 'from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from shop import Cart\n\n\ndef describe(cart: "Cart") -> str:\n    return str(len(cart.articles))\n',
  'web/store.ts': 'export class Store {\n  items: string[] = [];\n}\n',
  'web/view.ts': "import type { Store } from './store';\n\nexport function render(s: Store): string {\n  return s.items.join(',');\n}\n",
  'web/main.ts': "import { Store } from './store';\n\nconsole.log(new Store().items.length);\n",
};

test('importers for type checkers only are marked: if TYPE_CHECKING in Python, import type in TypeScript', async () => {
  const fx = await fixture(FILES);
  const py = importersOf(['shop/__init__.py', 'shop/cart.py', 'shop/pricing.py'], fx.index);
  assert.deepEqual(py.map((i) => [i.file, i.typeOnly === true]), [['app.py', false], ['report.py', true]]);
  const ts = importersOf(['web/store.ts'], fx.index);
  assert.deepEqual(ts.map((i) => [i.file, i.typeOnly === true]), [['web/main.ts', false], ['web/view.ts', true]]);
});

test('a module page lists each file with its main definitions and the package files it uses, and says which importers are type-only', async () => {
  const fx = await fixture(FILES);
  const t = FINDERS.module_doc.find(fx.input).find((x) => x.relPath === 'shop/__init__.py');
  assert.ok(t, FINDERS.module_doc.find(fx.input).map((x) => x.relPath).join(', '));
  t.source = await readFile(t.absPath, 'utf8');
  const body = renderStaticBody('module_doc', t, buildFacts(t, fx.index, { now: fx.input.now }));
  // the docstring is only a header: no Purpose line that repeats the name "shop"
  assert.doesNotMatch(body, /\*\*Purpose/);
  // the exported PriceTable is chosen before the larger private _Cache, beside the largest _Audit
  // (shown in source order); cart.py builds on pricing.py
  assert.match(body, /^- `shop\/pricing\.py` \(27 lines\): `PriceTable` \(line 10\), “Prices per article, loaded once”; `_Audit` \(line 18\), “Log of price lookups”$/m);
  assert.match(body, /^- `shop\/cart\.py` \(10 lines\): `Cart` \(line 3\), “A customer's articles until checkout”\. Uses pricing\.py\.$/m);
  assert.match(body, /2 files of the repository import it, 1 of them for type checkers only[^\n]*; 1 at run time/);
  assert.match(body, /^- `report\.py` \(line 4\): `Cart` — type hints only$/m);
  assert.match(body, /^- `app\.py` \(line 1\): `Cart`, `PriceTable`$/m);
});

test('the module_doc prompt gets the same package files as the static page', async () => {
  const { renderFactsBlock } = await import('../../src/llm/facts.ts');
  const fx = await fixture(FILES);
  const t = FINDERS.module_doc.find(fx.input).find((x) => x.relPath === 'shop/__init__.py');
  assert.ok(t);
  const block = renderFactsBlock(buildFacts(t, fx.index, { now: fx.input.now }));
  assert.match(block, /^- package files \(3\): shop\/__init__\.py \(8 lines\); shop\/cart\.py \(10 lines; class Cart "A customer's articles until checkout"; imports shop\/pricing\.py\); shop\/pricing\.py \(27 lines; class PriceTable "Prices per article, loaded once", class _Audit "Log of price lookups"\)$/m);
});
