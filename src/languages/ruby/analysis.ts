/**
 * Ruby security sinks and performance loop rules (issue 15). Security rule ids `rb-*` are the
 * checks of Brakeman and RuboCop's Security cops: `eval` and friends with interpolation
 * (Security/Eval), shell commands with interpolation (`system`, `exec`, `spawn`, backticks,
 * `%x`, `IO.popen`, `Open3`), `Marshal.load` (Security/MarshalLoad), `YAML.load`
 * (Security/YAMLLoad), SQL built by interpolation into ActiveRecord / driver calls,
 * `Kernel#open` with a non-literal (Security/Open), MD5/SHA-1 and `VERIFY_NONE`.
 * Performance: the shared loop rules, with `each`-style blocks as loops.
 */
import type { Node } from 'web-tree-sitter';
import type { SecurityRule } from '../../analysis/security/rules.ts';
import { collectLineRules, type LineRule } from '../line-security.ts';
import { collectLoopPerformance, namesIn, type LoopSpec } from '../loop-performance.ts';

const INTERP = String.raw`(?=[^\n]*#\{)`;

const LINES: LineRule[] = [
  [new RegExp(String.raw`(?<![\w.])(?:eval|instance_eval|class_eval|module_eval)\b\s*\(?\s*["'%]${INTERP}|(?<![\w.])eval\s*\(?\s*[a-z_@]`), 'rb-eval'],
  [new RegExp(String.raw`(?<![\w.])(?:system|exec|spawn|IO\.popen|Open3\.\w+|Process\.spawn)\b\s*\(?\s*["%]${INTERP}|\`[^\`]*#\{|%x[({\[][^\n]*#\{`), 'rb-shell-built'],
  [/\bMarshal\.(?:load|restore)\b/, 'rb-marshal'],
  [/\b(?:YAML|Psych)\.(?:load|unsafe_load|load_file|unsafe_load_file)\b(?!_)/, 'rb-yaml-load'],
  [new RegExp(String.raw`\.(?:where|find_by_sql|execute|exec_query|select_all|select_value|select_values|select_rows|order|group|having|joins|pluck|count_by_sql|delete_all|update_all|query)\s*\(?\s*["%]${INTERP}`), 'rb-sql-built'],
  [/(?<![\w.:])open\s*\(\s*(?!["'])[a-z_@]/, 'rb-open'],
  [/\bDigest::(?:MD5|SHA1)\b|OpenSSL::Digest::(?:MD5|SHA1)\b|OpenSSL::Digest\.new\(\s*["'](?:md5|sha1)/i, 'rb-weak-hash'],
  [/VERIFY_NONE/, 'rb-tls-off'],
];

export const RUBY_SECURITY_RULES: Record<string, SecurityRule> = {
  'rb-eval': { title: 'code evaluated from a string', severity: 'high', confidence: 'medium', why: 'eval / instance_eval / class_eval run the string as Ruby; interpolated or variable text becomes code (Security/Eval)', fix: 'use define_method, public_send with an allow list, or a lookup table' },
  'rb-shell-built': { title: 'shell command with interpolation', severity: 'high', confidence: 'medium', why: 'a single interpolated string goes through /bin/sh, so a value inside it can inject commands', fix: 'pass the program and each argument separately (`system("git", "log", ref)`) or escape with Shellwords.escape' },
  'rb-marshal': { title: 'Marshal.load', severity: 'high', confidence: 'medium', why: 'Marshal.load builds any object the data describes, which can run code (Security/MarshalLoad)', fix: 'load only data this process wrote itself; use JSON for anything else' },
  'rb-yaml-load': { title: 'YAML.load of arbitrary objects', severity: 'medium', confidence: 'medium', why: 'YAML.load (before Psych 4) and unsafe_load build arbitrary Ruby objects from tags in the document (Security/YAMLLoad)', fix: 'use YAML.safe_load with permitted_classes' },
  'rb-sql-built': { title: 'SQL built by interpolation', severity: 'high', confidence: 'medium', why: 'values interpolated into SQL text allow SQL injection (Brakeman SQL)', fix: 'pass values as bind parameters: where("id = ?", id) or where(id: id)' },
  'rb-open': { title: 'Kernel#open with a non-literal', severity: 'medium', confidence: 'low', why: 'Kernel#open runs a command when the name starts with `|` (Security/Open)', fix: 'use File.open or URI.open explicitly' },
  'rb-weak-hash': { title: 'weak hash (MD5/SHA-1)', severity: 'medium', confidence: 'medium', why: 'MD5 and SHA-1 collide; they do not protect passwords, signatures or integrity against an attacker', fix: 'use SHA256 (and bcrypt / Argon2 for passwords)' },
  'rb-tls-off': { title: 'TLS certificate check disabled', severity: 'high', why: 'VERIFY_NONE accepts any certificate, so a man in the middle goes unnoticed', fix: 'keep VERIFY_PEER; set ca_file for a private CA' },
};

/** Security sinks of a Ruby file (line rules). */
export function collectRubySinks(source: string) {
  return collectLineRules(source, LINES, '#');
}

/** Iterating methods whose block runs once per item. */
const EACH = /^(?:each|each_with_index|each_with_object|each_pair|each_key|each_value|map|flat_map|collect|select|filter|reject|find|detect|times|upto|downto|step|each_slice|each_cons|sum|count|group_by|sort_by|min_by|max_by|partition|find_all|any\?|all\?|none\?|inject|reduce|filter_map)$/;

export const RUBY_LOOPS: LoopSpec = {
  functions: new Set(['method', 'singleton_method', 'lambda', 'class', 'module']),
  loopOf(n: Node) {
    if (n.type === 'for') return { vars: namesIn(n.childForFieldName('pattern')), iter: n.childForFieldName('value')?.namedChildren[0]?.text ?? null };
    if (n.type === 'while' || n.type === 'until') return { vars: [], iter: null };
    if (n.type === 'call') {
      const block = n.childForFieldName('block');
      const method = n.childForFieldName('method')?.text ?? '';
      if (!block || !EACH.test(method)) return null;
      const params = block.childForFieldName('parameters') ?? block.namedChildren.find((c) => c?.type === 'block_parameters');
      return { vars: namesIn(params), iter: n.childForFieldName('receiver')?.text ?? null };
    }
    return null;
  },
  callOf(n: Node) {
    if (n.type !== 'call') return null;
    const recv = n.childForFieldName('receiver')?.text;
    const method = n.childForFieldName('method')?.text ?? '';
    return { callee: recv ? `${recv.replace(/\s+/g, '')}.${method}` : method, args: n.childForFieldName('arguments')?.text ?? '' };
  },
  stringVar(n: Node) {
    if (n.type !== 'assignment') return null;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    return left?.type === 'identifier' && right?.type === 'string' ? left.text : null;
  },
  concatOf(n: Node) {
    if (n.type !== 'operator_assignment') return null;
    const m = /^([a-z_]\w*)\s*\+=/.exec(n.text);
    return m ? m[1] : null;
  },
  io: /^(?:File\.(?:read|write|open|readlines|foreach|binread|binwrite)|IO\.(?:read|readlines|popen|write)|Net::HTTP\.\w+|URI\.open|open|system|Open3\.\w+)$/,
  regex: /^Regexp\.new$/,
  query: /(?:^|\.)(?:[A-Z]\w*|db|conn|connection|client|pg|mysql|sqlite)\.(?:execute|exec_query|exec|query|find|find_by|find_by_sql|where|first|last|pluck|select_all|count)$/,
};

/** Performance hits of a Ruby file (loop rules). */
export function collectRubyPerformance(root: Node) {
  return collectLoopPerformance(root, RUBY_LOOPS);
}
