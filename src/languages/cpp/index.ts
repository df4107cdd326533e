/** C++: `.cpp .cc .cxx .hpp .hh .hxx` files, tree-sitter-cpp, pmccabe's cyclomatic complexity (`extract.ts`). */
import { C_LEXER } from '../../index/metrics.ts';
import { defineLanguage } from '../types.ts';
import { headerNamedAfter } from '../c/index.ts';
import { extractCpp } from './extract.ts';
import { CPP_MODULES, CPP_WORDS } from './lexicon.ts';
import { CPP_PATTERNS, CPP_TECHNIQUES } from './techniques.ts';
import { collectCppPerformance, collectCppSinks } from './analysis.ts';

export const cpp = defineLanguage({
  id: 'cpp',
  name: 'C++',
  group: 'cpp',
  extensions: ['.cpp', '.cc', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h++', '.ipp'],
  aliases: ['c++', 'cxx'],
  grammar: 'tree-sitter-cpp/tree-sitter-cpp.wasm',
  lexer: C_LEXER,
  extract: (root, source) => extractCpp(root, source),
  facts: {
    security: (_root, source) => collectCppSinks(source),
    performance: (root) => collectCppPerformance(root),
  },
  lexicon: { words: CPP_WORDS, modules: CPP_MODULES },
  hints: {
    docs: 'Note ownership and lifetimes (RAII, smart pointers), const-correctness, templates, and exception safety',
    security: 'Check raw buffers and pointer arithmetic, integer overflow in sizes, use after move or free, unchecked casts, system() with built strings',
    performance: 'Check copies that could be moves or references, allocations in hot loops, virtual calls in tight loops, containers without reserve',
  },
  hasAsync: false,
  lineComment: '//',
  fence: 'cpp',
  devlogFolder: 'cpp',
  entryFiles: [],
  entryOf: (dir, files) => headerNamedAfter(dir, files, ['.hpp', '.hh', '.hxx', '.h']),
  isPublic: (s) => !/^\s*static\b/.test(s.source),
  paramStyle: 'type name',
  techniques: CPP_TECHNIQUES,
  patterns: CPP_PATTERNS,
});
