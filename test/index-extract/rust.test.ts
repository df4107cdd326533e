import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cc, extract, symbol } from './helpers.ts';

const ITEMS = `
  use std::{fs, io::{self, Read as R}};
  use crate::a::*;

  /// A store.
  /// Second line.
  #[derive(Debug, Clone)]
  pub struct Store<T> {
      items: Vec<T>,
  }

  impl<T> Store<T> {
      /// Loads everything.
      #[tracing::instrument]
      pub async fn load(&mut self, path: &str) -> io::Result<()> {
          let text = fetch(path).await?;
          std::thread::sleep(d);
          self.items.clear();
          Ok(())
      }
  }

  impl<T> Display for Store<T> {
      fn fmt(&self, f: &mut Formatter) -> Result { write(f) }
  }

  pub trait Source {
      fn read(&self) -> u8 { 0 }
      fn name(&self) -> String;
  }
`;

test('impl methods are Type.method with self, attributes, doc and async flag', async () => {
  const r = await extract('rust', ITEMS);
  const load = symbol(r, 'Store.load');
  assert.equal(load.kind, 'method');
  assert.equal(load.className, 'Store');
  assert.deepEqual(load.params, ['self', 'path']);
  assert.deepEqual(load.decorators, ['tracing::instrument']);
  assert.equal(load.docstring, 'Loads everything.');
  assert.equal(load.isAsync, true);
  assert.equal(load.startLine, 14);
});

test('calls mark .await and keep paths as written', async () => {
  const r = await extract('rust', ITEMS);
  assert.deepEqual(symbol(r, 'Store.load').calls.map((c) => [c.callee, c.name, c.awaited]), [
    ['fetch', 'fetch', true],
    ['std::thread::sleep', 'sleep', false],
    ['self.items.clear', 'clear', false],
    ['Ok', 'Ok', false],
  ]);
});

test('a struct is a class with the methods of its impls and the traits it implements', async () => {
  const r = await extract('rust', ITEMS);
  const store = symbol(r, 'Store');
  assert.equal(store.kind, 'class');
  assert.equal(store.startLine, 7);
  assert.equal(store.endLine, 9);
  assert.equal(store.methodCount, 2);
  assert.deepEqual(store.bases, ['Display']);
  assert.deepEqual(store.decorators, ['derive(Debug, Clone)']);
  assert.equal(store.docstring, 'A store.\nSecond line.');
  const source = symbol(r, 'Source');
  assert.equal(source.methodCount, 1, 'a trait counts its provided methods');
});

test('use trees flatten to one import per path', async () => {
  const r = await extract('rust', ITEMS);
  assert.deepEqual(r.imports, [
    { module: 'std', names: [{ local: 'fs', imported: 'fs' }], line: 1 },
    { module: 'std::io', names: [{ local: 'io', imported: '*' }], line: 1 },
    { module: 'std::io', names: [{ local: 'R', imported: 'Read' }], line: 1 },
    { module: 'crate::a', names: [{ local: '*', imported: '*' }], line: 2 },
  ]);
});

test('complexity counts if, while, for, guards, &&, ||, let-else and match arms minus one, not loop or ?', async () => {
  assert.equal(await cc('rust', `
    fn f(x: u8, o: Option<u8>) -> Result<(), E> {
        match x { 1 | 2 => {}, _ if x > 3 => {}, _ => {} }
        if let Some(z) = o { } else if x > 1 && x < 5 || x == 9 { }
        let c = |q: bool| if q { 1 } else { 2 };
        loop { break; }
        while let Some(_) = it.next() {}
        for i in 0..3 {}
        let Some(k) = o else { return Ok(()) };
        g()?;
        Ok(())
    }
  `), 1 + 2 + 1 + 2 + 2 + 1 + 1 + 1 + 1);
});
