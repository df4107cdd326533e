/**
 * Ruby: `.rb` files (and `Rakefile`-style sources with the extension), tree-sitter-ruby,
 * RuboCop's cyclomatic complexity (`extract.ts`). A directory of Ruby files is a module: its
 * entry is `init.rb`, else the file named after the directory, else its largest file.
 */
import path from 'node:path';
import { PYTHON_LEXER } from '../../index/metrics.ts';
import { defineLanguage, noLeadingUnderscore } from '../types.ts';
import { extractRuby } from './extract.ts';
import { RUBY_MODULES, RUBY_WORDS } from './lexicon.ts';
import { RUBY_PATTERNS, RUBY_TECHNIQUES } from './techniques.ts';
import { collectRubyPerformance, collectRubySinks, RUBY_SECURITY_RULES } from './analysis.ts';
import type { FileRecord } from '../../index/types.ts';

/**
 * A directory of Ruby files is a namespace (`lib/rack/` holds `Rack::…`): its entry is the file
 * named after it, else its largest file (the gem layout keeps `lib/rack.rb` one level up, out of
 * the directory's own files).
 */
function rubyEntry(dir: string, files: FileRecord[]): FileRecord | null {
  const rb = files.filter((f) => f.language === 'ruby');
  if (rb.length === 0) return null;
  return rb.find((f) => path.posix.basename(f.path) === `${path.posix.basename(dir)}.rb`) ?? [...rb].sort((a, b) => b.lines - a.lines)[0];
}

export const ruby = defineLanguage({
  id: 'ruby',
  name: 'Ruby',
  group: 'ruby',
  extensions: ['.rb', '.rake', '.gemspec'],
  aliases: ['rb'],
  grammar: 'tree-sitter-ruby/tree-sitter-ruby.wasm',
  lexer: PYTHON_LEXER,
  extract: (root, source) => extractRuby(root, source),
  facts: {
    security: (_root, source) => collectRubySinks(source),
    securityRules: RUBY_SECURITY_RULES,
    performance: (root) => collectRubyPerformance(root),
  },
  lexicon: { words: RUBY_WORDS, modules: RUBY_MODULES },
  hints: {
    docs: 'Note blocks and iterators, mixins (include/extend), duck typing, and what methods return implicitly',
    security: 'Check system, exec, backticks and Open3 with built strings, eval/instance_eval/send with input, YAML.load and Marshal.load on untrusted data, SQL built by interpolation, File paths joined from params',
    performance: 'Check N+1 queries in loops, objects allocated in hot loops, string concatenation with += in loops, repeated regex compilation',
  },
  hasAsync: false,
  lineComment: '#',
  fence: 'ruby',
  devlogFolder: 'ruby',
  entryFiles: ['init.rb'],
  entryOf: rubyEntry,
  isPublic: noLeadingUnderscore,
  importHint: (dir, names) => (names.length ? `require '${dir.replace(/^lib\//, '')}'` : null),
  paramStyle: 'name: type',
  techniques: RUBY_TECHNIQUES,
  patterns: RUBY_PATTERNS,
});
