/**
 * The Python collector skips text that cannot hold a call or a binding (call-free expressions,
 * arguments without a nested call, methods that assign no attribute of self). These tests pin the
 * edges of those shortcuts: what they must still see.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collectFileFacts } from '../../src/analysis/facts.ts';
import { parseSource } from '../../src/index/parser.ts';
import type { BlockingFileFacts } from '../../src/analysis/blocking/types.ts';
import { analyze, py } from './helpers.ts';

async function factsOf(source: string): Promise<BlockingFileFacts> {
  const tree = await parseSource('python', source);
  try {
    return collectFileFacts(tree.rootNode, 'python', source).facts.blocking as BlockingFileFacts;
  } finally {
    tree.delete();
  }
}

const calls = (r: Awaited<ReturnType<typeof analyze>>): string[] => r.findings.map((f) => `${f.line} ${f.category} ${f.call}`);

describe('python collector shortcuts', () => {
  it('a self attribute assigned across a line continuation is still typed', async () => {
    const source = [
      'import httpx',
      'class Api:',
      '    def __init__(self):',
      '        self.\\',
      '            http = httpx.Client()',
      '    async def fetch(self, url):',
      '        return self.http.get(url)',
      '',
    ].join('\n');
    const r = await analyze({ 'app.py': source });
    assert.deepEqual(calls(r), ['7 network self.http.get']);
  });

  it('a self attribute annotated over several lines is typed from the annotation', async () => {
    const r = await analyze({ 'app.py': py`
      from typing import Optional
      import httpx
      class Api:
          def __init__(self):
              self.http: Optional[
                  httpx.Client
              ] = None
          async def fetch(self, url):
              return self.http.get(url)
    ` });
    assert.deepEqual(calls(r), ['9 network self.http.get']);
  });

  it('an assignment without a call still binds its name (an alias of a blocking function)', async () => {
    const r = await analyze({ 'app.py': py`
      import subprocess
      async def build():
          run = subprocess.run
          run(["make"])
    ` });
    assert.deepEqual(calls(r), ['4 subprocess run']);
  });

  it('a blocking call nested inside the arguments of another call is found', async () => {
    const r = await analyze({ 'app.py': py`
      import json
      async def load(path):
          return json.loads(open(path).read())
    ` });
    assert.deepEqual(calls(r), ['3 file_io open']);
  });

  it('the operand of await is marked awaited and a plain call is not', async () => {
    const facts = await factsOf(py`
      import asyncio
      async def main():
          await asyncio.sleep(1)
          asyncio.sleep(2)
    `);
    const got = facts.functions[0].calls.map((c) => [c.l, c.aw ?? 0]);
    assert.deepEqual(got, [[3, 1], [4, 0]]);
  });
});
