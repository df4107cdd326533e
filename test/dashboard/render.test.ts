import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSafeHref, renderPage } from '../../src/dashboard/render.ts';

/** Any sign of something a browser could execute in rendered HTML. */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<(iframe|object|embed|svg|math|form|img|style|base|meta|link)\b/i);
  assert.doesNotMatch(html, /\son\w+\s*=/i, 'no event handler attribute');
  assert.doesNotMatch(html, /href\s*=\s*["']?\s*(javascript|data|vbscript):/i);
  assert.doesNotMatch(html, /javascript:/i);
}

test('a <script> element in an LLM answer is removed with its content', () => {
  const html = renderPage('Intro\n\n<script>window.__pwned = 1</script>\n\nafter');
  assertInert(html);
  assert.doesNotMatch(html, /__pwned/);
  assert.match(html, /after/);
});

test('an <img onerror> in an LLM answer leaves no image and no handler', () => {
  const html = renderPage('See <img src=x onerror=alert(1)> here and <img src="x" onerror="window.__pwned=2">');
  assertInert(html);
  assert.match(html, /See/);
});

test('a Markdown link to javascript: keeps its text but loses the URL', () => {
  const html = renderPage('[x](javascript:alert(1)) and [y](JaVaScRiPt:alert(1)) and [z](java%0ascript:alert(1))');
  assertInert(html);
  assert.match(html, /<a>x<\/a>/);
});

test('raw <a href> with an entity-obfuscated or whitespace-split javascript: scheme loses the URL', () => {
  const html = renderPage('<a href="jav&#x09;ascript:alert(1)">a</a> <a href=" javascript:alert(1)">b</a> <a href="&#106;avascript:alert(1)">c</a>');
  assertInert(html);
});

test('event handlers on allowed tags, svg, iframes, forms and styles are all removed', () => {
  const html = renderPage(
    '<p onclick="x()">p</p><svg onload=alert(1)><script>1</script></svg><iframe src="https://e.example"></iframe>' +
      '<form action="javascript:1"><button formaction="javascript:1">b</button></form><style>body{}</style>' +
      '<details open ontoggle=alert(1)><summary>s</summary></details><a href="data:text/html,<script>1</script>">d</a>',
  );
  assertInert(html);
  assert.match(html, /<p>p<\/p>/);
});

test('headings, code blocks, tables and safe links survive sanitising', () => {
  const html = renderPage(
    '# Title\n\n```python\nprint("<b>")\n```\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n[docs](https://example.org/x?a=1) `code`',
  );
  assert.match(html, /<h1>Title<\/h1>/);
  assert.match(html, /<pre><code class="language-python">print\(&quot;&lt;b&gt;&quot;\)/);
  assert.match(html, /<td align="right">2<\/td>/);
  assert.match(html, /<a href="https:\/\/example.org\/x\?a=1">docs<\/a>/);
  assert.match(html, /<code>code<\/code>/);
});

test("the page's hidden identity comment does not reach the HTML", () => {
  const html = renderPage('# T\n\n<!-- codeworm: {"repo":"a","code_hash":"abc"} -->\n\nbody');
  assert.doesNotMatch(html, /code_hash|<!--/);
});

test('isSafeHref allows http, https, mailto and anchors only', () => {
  for (const ok of ['https://a.example', 'http://a.example/x', 'mailto:a@b.example', '#section-2']) assert.equal(isSafeHref(ok), true, ok);
  for (const bad of ['javascript:alert(1)', ' java\tscript:1', 'data:text/html,x', 'vbscript:x', '/local', '../x.md', '//evil.example']) {
    assert.equal(isSafeHref(bad), false, bad);
  }
});

test('the page header keeps one field per line', () => {
  const html = renderPage('# f\n\n**Type:** Documentation\n**Repository:** web\n\n---\n\nbody\n');
  assert.match(html, /<strong>Type:<\/strong> Documentation<br><strong>Repository:<\/strong> web/);
});
