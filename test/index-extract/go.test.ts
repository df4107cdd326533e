import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cc, extract, symbol } from './helpers.ts';

const SERVER = `
  package main

  import (
  	f "fmt"
  	"os/exec"
  )

  // Server serves requests.
  // It embeds Base.
  type Server struct {
  	Base
  	n int
  }

  type ID string

  func (id ID) String() string { return string(id) }

  // Run runs the server.
  func (s *Server[T]) Run(a, b int, xs ...string) error {
  	f.Println(a)
  	return exec.Command("ls").Run()
  }

  func (s Server) Stop() {}

  type Options struct{ Verbose bool }
`;

test('a method carries its receiver type as class and Type.Method as display name', async () => {
  const r = await extract('go', SERVER);
  const run = symbol(r, 'Server.Run');
  assert.equal(run.kind, 'method');
  assert.equal(run.className, 'Server');
  assert.deepEqual(run.params, ['a', 'b', '...xs']);
  assert.equal(run.docstring, 'Run runs the server.');
  assert.deepEqual(run.calls.map((c) => [c.callee, c.name]), [['f.Println', 'Println'], ['exec.Command("ls").Run', 'Run'], ['exec.Command', 'Command']]);
});

test('struct types and types with methods are classes spanning their declaration', async () => {
  const r = await extract('go', SERVER);
  const server = symbol(r, 'Server');
  assert.equal(server.kind, 'class');
  assert.equal(server.startLine, 10);
  assert.equal(server.endLine, 13);
  assert.equal(server.methodCount, 2);
  assert.deepEqual(server.bases, ['Base']);
  assert.equal(server.docstring, 'Server serves requests.\nIt embeds Base.');
  assert.equal(symbol(r, 'ID').methodCount, 1);
  assert.equal(symbol(r, 'Options').methodCount, 0);
});

test('imports record the path and the local package name', async () => {
  const r = await extract('go', SERVER);
  assert.deepEqual(r.imports, [
    { module: 'fmt', names: [{ local: 'f', imported: '*' }], line: 4 },
    { module: 'os/exec', names: [{ local: 'exec', imported: '*' }], line: 5 },
  ]);
});

test('gocyclo counts if, for, non-default cases, select cases, && and || including function literals', async () => {
  assert.equal(await cc('go', `
    package p
    func f(a, b int, xs []int, c chan int) {
    	if a > 0 && b > 0 {
    	} else if a < 0 || b < 0 {
    	}
    	for i := range xs {
    		_ = i
    	}
    	switch a {
    	case 1, 2:
    	case 3:
    	default:
    	}
    	select {
    	case <-c:
    	default:
    	}
    	go func() {
    		if a == 1 {
    		}
    	}()
    }
  `), 1 + 4 + 1 + 2 + 1 + 1);
});

test('a type switch counts its cases but not its default', async () => {
  assert.equal(await cc('go', `
    package p
    func f(v any) string {
    	switch v.(type) {
    	case int:
    		return "int"
    	case string, []byte:
    		return "text"
    	default:
    		return "other"
    	}
    }
  `), 3);
});
