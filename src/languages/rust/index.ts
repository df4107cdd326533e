/** Rust: `.rs` files, the cyclomatic rules of `extract.ts`, and the blocking-call collector for `async fn` code (`blocking.ts`). */
import { RUST_LEXER } from '../../index/metrics.ts';
import { collectRustSinks } from '../../analysis/security/collect.ts';
import { defineLanguage } from '../types.ts';
import { extractRust } from './extract.ts';
import { collectRust } from './blocking.ts';
import { RUST_MODULES, RUST_WORDS } from './lexicon.ts';

export const rust = defineLanguage({
  id: 'rust',
  name: 'Rust',
  group: 'rust',
  extensions: ['.rs'],
  aliases: ['rs'],
  grammar: 'tree-sitter-rust/tree-sitter-rust.wasm',
  lexer: RUST_LEXER,
  extract: (root, source) => extractRust(root, source),
  facts: {
    blocking: { family: 'rust', collect: (root) => collectRust(root) },
    security: (_root, source) => collectRustSinks(source),
  },
  lexicon: { words: RUST_WORDS, modules: RUST_MODULES },
  hints: {
    docs: 'Focus on ownership, borrowing, lifetimes, and Result/Option patterns',
    security: 'Check unsafe blocks, Command::new through a shell, format! into SQL, panics on untrusted input, disabled certificate checks',
    performance: 'Check clones in loops, blocking calls inside async fn, collect() followed by iteration, lock contention',
  },
  hasAsync: true,
  lineComment: '//',
  fence: 'rust',
  devlogFolder: 'rust',
  entryFiles: ['mod.rs', 'lib.rs', 'main.rs'],
  isPublic: (s) => /^\s*pub\b/.test(s.source),
  paramStyle: 'name: type',
});
