/**
 * PHP security sinks and performance loop rules (issue 15). Security rule ids `php-*` are the
 * checks of the PHP security linters (phpcs-security-audit, Psalm's taint sinks): code
 * evaluation (`eval`, `create_function`, `assert` with a string), shell commands (`exec`,
 * `shell_exec`, `system`, `passthru`, `popen`, `proc_open`, backticks) with variables in them,
 * `unserialize`, SQL built by concatenation or interpolation into a query call, file inclusion
 * from a variable, weak hashes for passwords and disabled TLS checks. Performance: the shared
 * loop rules (PHP's `.=` appends in place and PCRE caches compiled patterns, so neither is a rule).
 */
import type { Node } from 'web-tree-sitter';
import type { SecurityRule } from '../../analysis/security/rules.ts';
import { collectLineRules, type LineRule } from '../line-security.ts';
import { collectLoopPerformance, type LoopSpec } from '../loop-performance.ts';

/** A variable inside the call's arguments: concatenated (`. $x`) or interpolated (`"…$x…"`). */
const WITH_VAR = String.raw`(?=[^;]*(?:\.\s*\$|\$\w+\s*\.|"[^"]*\$[\w{]))`;
const QUERY_CALL = String.raw`(?:\b(?:mysqli_query|mysql_query|pg_query|sqlite_query|mysqli_multi_query)\s*\(|->(?:query|exec|prepare|multi_query|raw|statement|select|unprepared)\s*\(|DB::(?:raw|select|statement|unprepared)\s*\()`;

const LINES: LineRule[] = [
  [/(?<![\w>:$])(?:eval|create_function)\s*\(|(?<![\w>:$])assert\s*\(\s*\$/, 'php-eval'],
  [new RegExp(String.raw`(?<![\w>:$])(?:exec|shell_exec|system|passthru|popen|proc_open|pcntl_exec)\s*\(${WITH_VAR}|\`[^\`]*\$\w`), 'php-exec-built'],
  [/(?<![\w>:$])(?:exec|shell_exec|system|passthru|popen|proc_open|pcntl_exec)\s*\(/, 'php-exec'],
  [/(?<![\w>:$])unserialize\s*\((?![^;]*allowed_classes'?"?\s*=>\s*false)/, 'php-unserialize'],
  [new RegExp(QUERY_CALL + WITH_VAR), 'php-sql-built'],
  [/(?<![\w>:$])(?:include|require)(?:_once)?\s*\(?\s*\$/, 'php-include-var'],
  [/(?<![\w>:$])(?:md5|sha1)\s*\(\s*\$\w*(?:pass|pwd)/i, 'php-weak-password-hash'],
  [/CURLOPT_SSL_VERIFY(?:PEER|HOST)\s*,\s*(?:false|0)\b|['"]verify['"]\s*=>\s*false|['"]verify_peer['"]\s*=>\s*false/, 'php-tls-off'],
];

export const PHP_SECURITY_RULES: Record<string, SecurityRule> = {
  'php-eval': { title: 'code evaluated from a string', severity: 'high', why: 'eval / create_function / assert with a string run it as PHP code; input reaching it becomes code', fix: 'replace it with explicit code, a closure or a lookup table' },
  'php-exec-built': { title: 'shell command with a variable', severity: 'high', confidence: 'medium', why: 'exec / shell_exec / system / backticks run the string through a shell, so a value inside it can inject commands', fix: 'wrap every value in escapeshellarg(), or use proc_open with an argument array (PHP 7.4+) and no shell' },
  'php-exec': { title: 'shell command', severity: 'low', confidence: 'medium', why: 'it runs a shell command; arguments from input must be escaped', fix: 'keep the command fixed and escape each argument with escapeshellarg()' },
  'php-unserialize': { title: 'unserialize', severity: 'medium', confidence: 'medium', why: 'unserialize on data an attacker controls builds objects whose magic methods run (object injection)', fix: 'use json_decode, or pass [\'allowed_classes\' => false]' },
  'php-sql-built': { title: 'SQL built from strings', severity: 'high', confidence: 'medium', why: 'a variable concatenated or interpolated into the query text allows SQL injection', fix: 'use a prepared statement with placeholders (PDO::prepare + execute([$x]), mysqli bind_param) or the query builder\'s bindings' },
  'php-include-var': { title: 'file included from a variable', severity: 'high', confidence: 'medium', why: 'include / require of a path that input can reach runs any PHP file (or a remote one with allow_url_include)', fix: 'include from a fixed allow list of files' },
  'php-weak-password-hash': { title: 'password hashed with MD5/SHA-1', severity: 'high', confidence: 'medium', why: 'MD5 and SHA-1 are fast and unsalted here: stolen hashes are cracked in seconds', fix: 'use password_hash() and password_verify()' },
  'php-tls-off': { title: 'TLS certificate check disabled', severity: 'high', why: 'turning off peer verification accepts any certificate, so a man in the middle goes unnoticed', fix: 'keep verification on; point CURLOPT_CAINFO / verify at the CA bundle instead' },
};

/** Security sinks of a PHP file (line rules). */
export function collectPhpSinks(source: string) {
  return collectLineRules(source, LINES, '//');
}

const LOOP_TYPES = new Set(['for_statement', 'foreach_statement', 'while_statement', 'do_statement']);
const varNames = (n: Node | null | undefined): string[] => (!n ? [] : n.type === 'variable_name' ? [n.text.replace(/^\$/, '')] : n.descendantsOfType('variable_name').flatMap((x) => (x ? [x.text.replace(/^\$/, '')] : [])));

export const PHP_LOOPS: LoopSpec = {
  functions: new Set(['function_definition', 'method_declaration', 'anonymous_function', 'anonymous_function_creation_expression', 'arrow_function', 'class_declaration']),
  loopOf(n: Node) {
    if (!LOOP_TYPES.has(n.type)) return null;
    if (n.type === 'foreach_statement') {
      const parts = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'compound_statement' && c.type !== 'comment');
      // `foreach ($items as $k => $v)`: the iterated expression first, then the value (or a key => value pair)
      return { vars: parts.slice(1).flatMap(varNames), iter: parts[0]?.text ?? null };
    }
    if (n.type === 'for_statement') return { vars: varNames(n.childForFieldName('initialize')?.childForFieldName('left')), iter: null };
    return { vars: [], iter: null };
  },
  callOf(n: Node) {
    const args = n.childForFieldName('arguments')?.text ?? '';
    if (n.type === 'function_call_expression') return { callee: n.childForFieldName('function')?.text ?? '', args };
    if (n.type === 'member_call_expression' || n.type === 'nullsafe_member_call_expression') return { callee: `${(n.childForFieldName('object')?.text ?? '').replace(/\s+/g, '')}->${n.childForFieldName('name')?.text ?? ''}`, args };
    if (n.type === 'scoped_call_expression') return { callee: `${n.childForFieldName('scope')?.text ?? ''}::${n.childForFieldName('name')?.text ?? ''}`, args };
    return null;
  },
  io: /^(?:file_get_contents|file_put_contents|fopen|file|readfile|curl_exec|exec|shell_exec|system|passthru|proc_open|popen|fsockopen)$/,
  regex: /^$/,
  query: /^(?:mysqli_query|mysql_query|pg_query|pg_query_params)$|(?:db|pdo|conn|connection|mysqli|wpdb|em|entityManager|repository|repo|query)->(?:query|exec|execute|prepare|select|find|findOneBy|findBy|get_results|get_row|get_var)$|^[A-Z]\w*::(?:find|findOrFail|where|firstWhere)$/i,
};

/** Performance hits of a PHP file (loop rules). */
export function collectPhpPerformance(root: Node) {
  return collectLoopPerformance(root, PHP_LOOPS);
}
