/**
 * Java security sinks and performance loop rules (issue 15). Security rule ids `java-*` follow
 * the checks of SpotBugs' Find Security Bugs (COMMAND_INJECTION, SQL_INJECTION_JDBC,
 * OBJECT_DESERIALIZATION, WEAK_MESSAGE_DIGEST_MD5 / _SHA1, ECB_MODE / DES_USAGE,
 * WEAK_TRUST_MANAGER / WEAK_HOSTNAME_VERIFIER); performance uses the shared loop rules.
 */
import type { Node } from 'web-tree-sitter';
import type { SecurityRule } from '../../analysis/security/rules.ts';
import { collectLineRules, type LineRule } from '../line-security.ts';
import { collectLoopPerformance, namesIn, type LoopSpec } from '../loop-performance.ts';

/** A string literal joined with `+` to something else on the line (a string built by concatenation). */
const BUILT = /"\s*\+\s*[\w(]|[\w)]\s*\+\s*"/;
const SQL = /"\s*(?:select\s[^"]*\bfrom\b|insert\s+into\b|update\s+\w+\s+set\b|delete\s+from\b)/i;

const LINES: LineRule[] = [
  [new RegExp(`\\b(?:Runtime\\.getRuntime\\(\\)|runtime)\\.exec\\s*\\((?=.*(?:${BUILT.source}|String\\.format))`), 'java-exec-built'],
  [/\bnew\s+ProcessBuilder\s*\((?=.*(?:"\s*\+|\+\s*"|String\.format))/, 'java-exec-built'],
  [/\b(?:Runtime\.getRuntime\(\)|runtime)\.exec\s*\(|\bnew\s+ProcessBuilder\s*\(/, 'java-exec'],
  [new RegExp(`\\.(?:executeQuery|executeUpdate|execute|addBatch|prepareStatement|prepareCall|createQuery|createNativeQuery|queryForObject|queryForList|query|update)\\s*\\((?=.*(?:${BUILT.source}|String\\.format))`), 'java-sql-built'],
  [new RegExp(`${SQL.source}(?=[^;]*(?:${BUILT.source}))`, 'i'), 'java-sql-built'],
  [/\bnew\s+ObjectInputStream\s*\(|\bnew\s+XMLDecoder\s*\(/, 'java-deserialize'],
  [/MessageDigest\.getInstance\s*\(\s*"(?:MD2|MD4|MD5|SHA-?1|SHA)"/i, 'java-weak-hash'],
  [/Cipher\.getInstance\s*\(\s*"(?:DES|DESede|RC2|RC4|Blowfish)\b|Cipher\.getInstance\s*\(\s*"AES(?:\/ECB[^"]*)?"/, 'java-weak-cipher'],
  [/ALLOW_ALL_HOSTNAME_VERIFIER|NoopHostnameVerifier|setHostnameVerifier\s*\(\s*\(?[^)]*\)?\s*->\s*true|TrustAllStrategy|new\s+TrustSelfSignedStrategy/, 'java-tls-off'],
];

export const JAVA_SECURITY_RULES: Record<string, SecurityRule> = {
  'java-exec-built': { title: 'command built from strings', severity: 'high', confidence: 'medium', why: 'Runtime.exec / ProcessBuilder with a concatenated command lets input add arguments or, through a shell, commands', fix: 'pass a fixed program and a list of checked arguments to ProcessBuilder; never run `sh -c` with input' },
  'java-exec': { title: 'process started', severity: 'low', confidence: 'medium', why: 'it starts a program; arguments that come from input must be checked', fix: 'keep the program fixed and check its arguments' },
  'java-sql-built': { title: 'SQL built by concatenation', severity: 'high', confidence: 'medium', why: 'values concatenated into SQL text allow SQL injection', fix: 'use a PreparedStatement with ? placeholders (or named parameters) and bind the values' },
  'java-deserialize': { title: 'Java deserialisation', severity: 'high', confidence: 'medium', why: 'ObjectInputStream.readObject / XMLDecoder build any class on the class path from the data, which can run code (gadget chains)', fix: 'do not deserialise untrusted data; use JSON with a fixed schema, or an ObjectInputFilter allow list' },
  'java-weak-hash': { title: 'weak hash (MD5/SHA-1)', severity: 'medium', why: 'MD5 and SHA-1 collide; they do not protect passwords, signatures or integrity against an attacker', fix: 'use SHA-256 or better (and PBKDF2 / bcrypt / Argon2 for passwords)' },
  'java-weak-cipher': { title: 'weak cipher or ECB mode', severity: 'high', why: 'DES/RC2/RC4/Blowfish are broken, and "AES" alone means AES/ECB, which shows patterns in the data', fix: 'use AES/GCM/NoPadding with a random IV' },
  'java-tls-off': { title: 'TLS certificate or host name check disabled', severity: 'high', why: 'a verifier that accepts everything lets a man in the middle read and change the traffic', fix: 'keep the default verifiers; add the CA to a trust store instead' },
};

/** Security sinks of a Java file (line rules). */
export function collectJavaSinks(source: string) {
  return collectLineRules(source, LINES, '//');
}

const LOOP_TYPES = new Set(['for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement']);

export const JAVA_LOOPS: LoopSpec = {
  functions: new Set(['method_declaration', 'constructor_declaration', 'lambda_expression', 'class_body']),
  loopOf(n: Node) {
    if (!LOOP_TYPES.has(n.type)) return null;
    if (n.type === 'enhanced_for_statement') return { vars: namesIn(n.childForFieldName('name')), iter: n.childForFieldName('value')?.text ?? null };
    if (n.type === 'for_statement') return { vars: namesIn(n.childForFieldName('init')).slice(0, 1), iter: null };
    return { vars: [], iter: null };
  },
  callOf(n: Node) {
    if (n.type === 'method_invocation') {
      const obj = n.childForFieldName('object')?.text;
      const name = n.childForFieldName('name')?.text ?? '';
      return { callee: obj ? `${obj.replace(/\s+/g, '')}.${name}` : name, args: n.childForFieldName('arguments')?.text ?? '' };
    }
    if (n.type === 'object_creation_expression') return { callee: `new ${n.childForFieldName('type')?.text ?? ''}`, args: n.childForFieldName('arguments')?.text ?? '' };
    return null;
  },
  stringVar(n: Node) {
    if (n.type !== 'local_variable_declaration' || n.childForFieldName('type')?.text !== 'String') return null;
    return n.childForFieldName('declarator')?.childForFieldName('name')?.text ?? null;
  },
  concatOf(n: Node) {
    if (n.type !== 'assignment_expression') return null;
    const m = /^([\w$]+)\s*(?:\+=|=\s*\1\s*\+)/.exec(n.text);
    return m ? m[1] : null;
  },
  io: /^(?:new (?:FileInputStream|FileOutputStream|FileReader|FileWriter|RandomAccessFile|Socket|PrintWriter|Scanner)|Files\.(?:readAllBytes|readAllLines|readString|write|writeString|newBufferedReader|newBufferedWriter|newInputStream|newOutputStream|lines|copy)|.*\.(?:openConnection|openStream)|Runtime\.getRuntime\(\)\.exec|new ProcessBuilder)$/,
  regex: /^(?:Pattern\.compile|.+\.(?:matches|replaceAll|replaceFirst))$/,
  query: /(?:^|\.)(?:stmt|statement|ps|pstmt|conn|connection|jdbc\w*|jdbcTemplate|em|entityManager|session|\w*[rR]epo(?:sitory)?|\w*[dD]ao|db)\.(?:executeQuery|executeUpdate|execute|query|queryForObject|queryForList|find|findById|findOne|getSingleResult|getResultList|load|get|save|update)$/,
};

/** Performance hits of a Java file (loop rules). */
export function collectJavaPerformance(root: Node) {
  return collectLoopPerformance(root, JAVA_LOOPS);
}
