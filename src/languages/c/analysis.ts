/**
 * C security sinks and performance loop rules (issue 15); C++ uses them too (`../cpp/analysis.ts`).
 * Security rule ids `c-*` are the checks of flawfinder and the CERT C rules they cite: command
 * processors (`system`, `popen`; ENV33-C), unbounded copies and formatting (`gets`, `strcpy`,
 * `strcat`, `sprintf`; STR31-C), format strings that are not literals (FIO30-C), `scanf("%s")`,
 * temporary-name races (`tmpnam`, `mktemp`; FIO21-C) and OpenSSL's MD5 / SHA-1.
 */
import type { Node } from 'web-tree-sitter';
import type { SecurityRule } from '../../analysis/security/rules.ts';
import { collectLineRules, type LineRule } from '../line-security.ts';
import { collectLoopPerformance, namesIn, type LoopSpec } from '../loop-performance.ts';

export const C_LINES: LineRule[] = [
  [/(?<![\w.>])(?:system|popen)\s*\(\s*"[^"]*"\s*[,)]/, 'c-system-const'],
  [/(?<![\w.>])(?:system|popen|_popen|_wsystem)\s*\(/, 'c-system'],
  [/(?<![\w.>])gets\s*\(/, 'c-gets'],
  // a literal source has a known length (flawfinder: "risk is low because the source is a constant string")
  [/(?<![\w.>])(?:strcpy|strcat|wcscpy|wcscat)\s*\([^,;]+,\s*L?"(?:[^"\\]|\\.)*"\s*\)/, 'c-strcpy-const'],
  [/(?<![\w.>])(?:strcpy|strcat|wcscpy|wcscat|lstrcpy|lstrcat|_mbscpy|_mbscat)\s*\(/, 'c-strcpy'],
  [/(?<![\w.>])(?:sprintf|vsprintf|swprintf)\s*\(/, 'c-sprintf'],
  [/(?<![\w.>])(?:printf|vprintf|syslog)\s*\(\s*[A-Za-z_][\w\->.[\]]*\s*\)|(?<![\w.>])(?:fprintf|vfprintf|dprintf)\s*\(\s*[\w\->.]+\s*,\s*[A-Za-z_][\w\->.[\]]*\s*\)|(?<![\w.>])snprintf\s*\(\s*[^,]+,[^,]+,\s*[A-Za-z_][\w\->.[\]]*\s*\)/, 'c-format'],
  [/(?<![\w.>])(?:f|s)?scanf\s*\((?:[^,]*,)?\s*"[^"]*%s/, 'c-scanf'],
  [/(?<![\w.>])(?:tmpnam|tempnam|mktemp|_mktemp)\s*\(/, 'c-tmpname'],
  [/(?<![\w.>])(?:MD5|MD4|SHA1)(?:_Init|_Update|_Final)?\s*\(|EVP_(?:md5|sha1)\s*\(/, 'c-weak-hash'],
  [/(?<![\w.>])exec(?:l|lp|le|v|vp|vpe|ve)\s*\(/, 'c-exec'],
];

export const C_SECURITY_RULES: Record<string, SecurityRule> = {
  'c-system': { title: 'command run through the shell', severity: 'high', confidence: 'medium', why: 'system / popen hand the string to /bin/sh, so input inside it can inject commands (CERT ENV33-C)', fix: 'run the program with fork + execv / posix_spawn and an argument array, never a shell string built from input' },
  'c-system-const': { title: 'fixed shell command', severity: 'low', confidence: 'medium', why: 'system / popen run a shell; the command is fixed but PATH and the environment still decide which program runs', fix: 'give the program\'s full path, or use posix_spawn with an argument array' },
  'c-exec': { title: 'program executed', severity: 'low', confidence: 'medium', why: 'the exec family starts a program; its path and arguments must not come from input unchecked', fix: 'check the program path and arguments; prefer execv with a full path' },
  'c-gets': { title: 'gets', severity: 'high', why: 'gets cannot know the buffer size, so any long line overflows it (removed in C11)', fix: 'use fgets(buf, sizeof buf, stdin)' },
  'c-strcpy': { title: 'unbounded string copy', severity: 'medium', confidence: 'medium', why: 'strcpy / strcat write until the source ends, past the destination when the source is longer (CERT STR31-C)', fix: 'check lengths first, or use snprintf / strlcpy / a length-bounded copy' },
  'c-strcpy-const': { title: 'string copy of a literal', severity: 'low', confidence: 'low', why: 'the source is a constant of known length; it overflows only when the destination is smaller than the literal', fix: 'check the destination holds the literal (sizeof), or use a bounded copy' },
  'c-sprintf': { title: 'unbounded sprintf', severity: 'medium', confidence: 'medium', why: 'sprintf writes as much as the format produces, past the buffer when the values are long (CERT STR31-C)', fix: 'use snprintf(buf, sizeof buf, ...) and check its result' },
  'c-format': { title: 'format string is not a literal', severity: 'high', confidence: 'medium', why: 'a format string from data lets `%n` and `%s` read or write memory (CERT FIO30-C)', fix: 'pass a literal format: printf("%s", text)' },
  'c-scanf': { title: 'scanf %s without a width', severity: 'medium', why: '%s reads a word of any length into a fixed buffer', fix: 'give a width (`%63s` for a 64-byte buffer) or read with fgets' },
  'c-tmpname': { title: 'temporary name race', severity: 'medium', why: 'the name can be created by another process between choosing it and opening it (CERT FIO21-C)', fix: 'use mkstemp, which creates and opens the file at once' },
  'c-weak-hash': { title: 'weak hash (MD5/SHA-1)', severity: 'medium', confidence: 'medium', why: 'MD5 and SHA-1 collide; they do not protect passwords, signatures or integrity against an attacker', fix: 'use SHA-256 or better (EVP_sha256)' },
};

/** Security sinks of a C or C++ file (line rules). */
export function collectCSinks(source: string, extra: LineRule[] = []) {
  return collectLineRules(source, [...extra, ...C_LINES], '//');
}

const LOOP_TYPES = new Set(['for_statement', 'while_statement', 'do_statement', 'for_range_loop']);

/** The loop rules of C; C++ extends them (`../cpp/analysis.ts`). */
export const C_LOOPS: LoopSpec = {
  functions: new Set(['function_definition', 'lambda_expression', 'class_specifier', 'struct_specifier']),
  loopOf(n: Node) {
    if (!LOOP_TYPES.has(n.type)) return null;
    if (n.type === 'for_range_loop') return { vars: namesIn(n.childForFieldName('declarator')), iter: n.childForFieldName('right')?.text ?? null };
    if (n.type === 'for_statement') {
      const init = n.childForFieldName('initializer') ?? n.childForFieldName('init');
      return { vars: namesIn(init?.type === 'declaration' ? init.childForFieldName('declarator')?.childForFieldName('declarator') ?? init : init).slice(0, 1), iter: null };
    }
    return { vars: [], iter: null };
  },
  callOf(n: Node) {
    if (n.type !== 'call_expression') return null;
    return { callee: (n.childForFieldName('function')?.text ?? '').replace(/\s+/g, ''), args: n.childForFieldName('arguments')?.text ?? '' };
  },
  io: /^(?:fopen|freopen|open|popen|system|connect|getaddrinfo|gethostbyname|dlopen)$/,
  regex: /^regcomp$/,
  query: /^(?:sqlite3_exec|sqlite3_prepare(?:_v2|_v3)?|mysql_query|mysql_real_query|PQexec|PQexecParams)$/,
  concatCall: /^(?:strcat|strncat|wcscat)$/,
};

/** Performance hits of a C file (loop rules). */
export function collectCPerformance(root: Node) {
  return collectLoopPerformance(root, C_LOOPS);
}
