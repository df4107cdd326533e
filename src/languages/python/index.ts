/**
 * Python: `.py` files, tree-sitter-python, radon's cyclomatic complexity (`extract.ts`), the
 * blocking-call collector for `async def` code (`blocking.ts`), and the rest of what the
 * product needs to know about Python.
 */
import { PYTHON_LEXER } from '../../index/metrics.ts';
import { collectPythonStructure } from '../../analysis/structure.ts';
import { collectPythonPerformance } from '../../analysis/performance.ts';
import { collectPythonSinks } from '../../analysis/security/collect.ts';
import { defineLanguage, noLeadingUnderscore } from '../types.ts';
import { extractPython } from './extract.ts';
import { collectPython } from './blocking.ts';
import { PYTHON_MODULES, PYTHON_WORDS } from './lexicon.ts';
import { swallowedExceptions } from './swallowed.ts';
import { sqliteWithNotClosing } from './resources.ts';

export const python = defineLanguage({
  id: 'python',
  name: 'Python',
  group: 'python',
  extensions: ['.py'],
  aliases: ['py'],
  grammar: 'tree-sitter-python/tree-sitter-python.wasm',
  lexer: PYTHON_LEXER,
  extract: (root, source) => extractPython(root, source),
  facts: {
    blocking: { family: 'python', collect: (root) => collectPython(root) },
    structure: (root, source) => collectPythonStructure(root, source),
    performance: (root) => collectPythonPerformance(root),
    security: (root, source) => collectPythonSinks(root, source),
  },
  lexicon: { words: PYTHON_WORDS, modules: PYTHON_MODULES },
  hints: {
    docs: 'Focus on Pythonic patterns, type hints, decorators, and context managers',
    security: 'Check subprocess with shell=True or built strings, eval/exec, pickle/marshal/yaml.load, SQL built with f-strings or %, open() on paths from input, tempfile.mktemp, requests with verify=False, weak hashes or random for secrets',
    performance: 'Check blocking calls inside async def, awaits in loops over independent items (asyncio.gather), re.compile or I/O inside loops, string concatenation in loops, membership tests on lists inside loops',
  },
  hasAsync: true,
  lineComment: '#',
  fence: 'python',
  devlogFolder: 'python',
  entryFiles: ['__init__.py'],
  isPublic: noLeadingUnderscore,
  importHint: (dir, names) => `from ${dir.replace(/\//g, '.')} import ${names.slice(0, 3).join(', ')}`,
  paramStyle: 'name: type',
  swallowedExceptions: (source, startLine) => swallowedExceptions(source, startLine),
  resourceLeaks: (source, startLine, fileSource) => sqliteWithNotClosing(source, startLine, fileSource),
});
