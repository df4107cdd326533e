import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanGeneratedText } from '../../src/llm/clean.ts';

const body = 'The function parses the header.\n\n- It returns `None` on error.';

test('a markdown fence around the whole answer is removed', () => {
  assert.equal(cleanGeneratedText('```markdown\n' + body + '\n```'), body);
  assert.equal(cleanGeneratedText('```\n' + body + '\n```\n'), body);
});

test('a wrapper fence with nested code blocks keeps the inner blocks', () => {
  const inner = 'Use it like this:\n\n```python\nparse(h)\n```\n\nDone.';
  assert.equal(cleanGeneratedText('```markdown\n' + inner + '\n```'), inner);
});

test('two separate code blocks are not mistaken for a wrapper', () => {
  const text = '```\na = 1\n```\n\nand\n\n```\nb = 2\n```';
  assert.equal(cleanGeneratedText(text), text);
});

test('an answer that is only a python code block is kept', () => {
  const text = '```python\ndef f():\n    return 1\n```';
  assert.equal(cleanGeneratedText(text), text);
});

test('"Here is …:" and "Sure! Here\'s …:" preambles are removed', () => {
  assert.equal(cleanGeneratedText('Here is the documentation for `parse`:\n\n' + body), body);
  assert.equal(cleanGeneratedText("Sure! Here's a concise explanation of the code:\n" + body), body);
  assert.equal(cleanGeneratedText('Certainly!\n\nHere is the review.\n\n' + body), body);
});

test('a preamble followed by a wrapper fence loses both', () => {
  assert.equal(cleanGeneratedText('Here is the documentation:\n\n```markdown\n' + body + '\n```'), body);
});

test('a sentence that merely starts with "Here" is kept', () => {
  const text = 'Here the loop stops early when the queue is empty, which avoids a busy wait.';
  assert.equal(cleanGeneratedText(text), text);
});

test('a leading H1 is removed', () => {
  assert.equal(cleanGeneratedText('# parse_header\n\n' + body), body);
});

test('a leading heading repeating the label and title is removed, another heading is kept', () => {
  const opts = { title: 'CodeWormDaemon._async_run', label: 'Performance Analysis' };
  assert.equal(cleanGeneratedText('### Performance Analysis of `CodeWormDaemon._async_run`\n\n' + body, opts), body);
  const til = '### TIL: asyncio.wait_for cancels the inner task\n\n' + body;
  assert.equal(cleanGeneratedText(til, opts), til);
});

test('trailing chatter is removed', () => {
  assert.equal(cleanGeneratedText(body + '\n\nLet me know if you need anything else!'), body);
  assert.equal(cleanGeneratedText(body + '\n\n---\n\nI hope this helps. Feel free to ask.'), body);
});

test('whitespace is normalised outside code blocks and kept inside them', () => {
  const code = '```python\ndef f():  \n\n\n\n    return 1\n```';
  const raw = 'Intro.   \r\n\r\n\r\n\r\nMore.\n\n' + code + '\n';
  assert.equal(cleanGeneratedText(raw), 'Intro.\n\nMore.\n\n' + code);
});

test('chatter-looking text inside a trailing code block is kept', () => {
  const text = 'Example:\n\n```text\nLet me know if this fails\n```';
  assert.equal(cleanGeneratedText(text), text);
});

test('an answer that is only chatter cleans to the empty string', () => {
  assert.equal(cleanGeneratedText('Sure!\n\nLet me know if you have questions.'), '');
  assert.equal(cleanGeneratedText('   \n  '), '');
});

test('preamble, wrapper fence with a nested block and trailing chatter together all go', () => {
  const inner = 'It stores the report.\n\n```python\nsave(r)\n```';
  const raw = "Sure! Here's the documentation:\n\n```markdown\n# Store.save\n\n" + inner + '\n```\n\nI hope this helps!';
  assert.equal(cleanGeneratedText(raw, { title: 'Store.save' }), inner);
});

test('chatter right after a closing fence, without a blank line, goes too', () => {
  const raw = "Here's the documentation:\n\n```markdown\n# Title\n\nThis code reads `path`.\n```\nLet me know!";
  assert.equal(cleanGeneratedText(raw), 'This code reads `path`.');
  const kept = 'Run it:\n\n```sh\nmake\n```\nThen the binary is in `out/`.';
  assert.equal(cleanGeneratedText(kept), kept);
});
