import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, brief } from './helpers.ts';

describe('rust: blocking operations in async code', () => {
  it('std::fs through `use std::fs;` and std::thread::sleep inside an async fn', async () => {
    const r = await analyze({ 'src/lib.rs': 'use std::fs;\npub async fn load(p: &str) -> String {\n    std::thread::sleep(D);\n    fs::read_to_string(p).unwrap()\n}\n' });
    assert.deepEqual(r.findings.map((f) => [f.line, f.category]).sort(), [[3, 'sleep'], [4, 'file_io']]);
  });
  it('spawn_blocking closures and awaited tokio::fs calls are not findings', async () => {
    const r = await analyze({ 'src/lib.rs': 'pub async fn load(p: String) {\n    tokio::task::spawn_blocking(move || std::fs::read(p)).await.unwrap();\n    tokio::fs::read("x").await.unwrap();\n}\n' });
    assert.deepEqual(r.findings, []);
  });
  it('an OpenOptions builder is not a finding; opening the file is', async () => {
    const r = await analyze({ 'src/lib.rs': 'use std::fs::OpenOptions;\npub async fn log(p: &str) {\n    let mut opts = OpenOptions::new();\n    opts.append(true);\n    let f = opts.open(p).unwrap();\n}\n' });
    assert.deepEqual(brief(r.findings), ['src/lib.rs:5 direct opts.open']);
  });
  it('a sync method reached through self is an indirect finding', async () => {
    const r = await analyze({ 'src/lib.rs': 'struct S;\nimpl S {\n    fn fetch(&self) { let _ = reqwest::blocking::get("http://x"); }\n    pub async fn run(&self) { self.fetch(); }\n}\n' });
    assert.deepEqual(brief(r.findings), ['src/lib.rs:3 indirect reqwest::blocking::get']);
    assert.deepEqual(r.findings[0].chain, ['S.run', 'S.fetch']);
  });
});
