/**
 * C# security sinks and performance loop rules (issue 15). Security rule ids `cs-*` follow the
 * .NET security analyzers (CA2100 SQL built from strings, CA3006 process command injection,
 * CA2300-CA2330 insecure deserialisers incl. BinaryFormatter and Json.NET TypeNameHandling,
 * CA5350/CA5351 weak hashes and ciphers, CA5359 disabled certificate validation); performance
 * uses the shared loop rules.
 */
import type { Node } from 'web-tree-sitter';
import type { SecurityRule } from '../../analysis/security/rules.ts';
import { collectLineRules, type LineRule } from '../line-security.ts';
import { collectLoopPerformance, namesIn, type LoopSpec } from '../loop-performance.ts';

/** A string literal joined with `+` to something, or an interpolated string `$"…{x}…"`. */
const BUILT = String.raw`(?:"\s*\+\s*[\w(]|[\w)]\s*\+\s*"|\$@?"[^"]*\{|string\.Format\s*\(|String\.Format\s*\()`;

const LINES: LineRule[] = [
  [new RegExp(String.raw`\bProcess\.Start\s*\((?=.*${BUILT})|\bnew\s+ProcessStartInfo\s*\((?=.*${BUILT})|\.(?:FileName|Arguments)\s*=(?=.*${BUILT})`), 'cs-process-built'],
  [/\bProcess\.Start\s*\(|\bnew\s+ProcessStartInfo\b/, 'cs-process'],
  [new RegExp(String.raw`\bnew\s+(?:Sql|Npgsql|MySql|Sqlite|SQLite|OleDb|Odbc|Oracle)?Command\s*\((?=.*${BUILT})|\.CommandText\s*=(?=.*${BUILT})|\.(?:FromSqlRaw|ExecuteSqlRaw|ExecuteSqlRawAsync|SqlQueryRaw)\s*\((?=.*${BUILT})`), 'cs-sql-built'],
  [/\bnew\s+(?:BinaryFormatter|SoapFormatter|NetDataContractSerializer|LosFormatter|ObjectStateFormatter)\s*\(|TypeNameHandling\s*=\s*TypeNameHandling\.(?:All|Auto|Objects|Arrays)/, 'cs-deserialize'],
  [/\b(?:MD5|SHA1)\.Create\s*\(|\bnew\s+(?:MD5|SHA1)(?:CryptoServiceProvider|Managed|Cng)\s*\(|\b(?:MD5|SHA1)\.HashData\s*\(/, 'cs-weak-hash'],
  [/\b(?:DES|TripleDES|RC2)\.Create\s*\(|\bnew\s+(?:DES|TripleDES|RC2)CryptoServiceProvider\s*\(|CipherMode\.ECB/, 'cs-weak-cipher'],
  [/ServerCertificate(?:Custom)?ValidationCallback\s*[+]?=.*=>\s*true|DangerousAcceptAnyServerCertificateValidator|RemoteCertificateValidationCallback\s*\(.*\)\s*=>\s*true/, 'cs-tls-off'],
];

export const CSHARP_SECURITY_RULES: Record<string, SecurityRule> = {
  'cs-process-built': { title: 'process started with a built command', severity: 'high', confidence: 'medium', why: 'a file name or argument string built from values lets input add arguments, or commands through cmd.exe / sh (CA3006)', fix: 'keep FileName fixed, pass each value through ProcessStartInfo.ArgumentList, and set UseShellExecute = false' },
  'cs-process': { title: 'process started', severity: 'low', confidence: 'medium', why: 'it starts a program; arguments that come from input must be checked', fix: 'keep the program fixed and pass checked values through ArgumentList' },
  'cs-sql-built': { title: 'SQL built from strings', severity: 'high', confidence: 'medium', why: 'values concatenated or interpolated into command text allow SQL injection (CA2100)', fix: 'use parameters (`cmd.Parameters.AddWithValue("@id", id)`), or EF Core\'s FromSql with an interpolated FormattableString' },
  'cs-deserialize': { title: 'insecure deserialiser', severity: 'high', why: 'BinaryFormatter and its relatives (and Json.NET with TypeNameHandling) build any type named in the data, which can run code (CA2300-CA2330)', fix: 'use System.Text.Json or XmlSerializer with known types; never deserialise untrusted data with BinaryFormatter' },
  'cs-weak-hash': { title: 'weak hash (MD5/SHA-1)', severity: 'medium', why: 'MD5 and SHA-1 collide; they do not protect passwords, signatures or integrity against an attacker (CA5350/CA5351)', fix: 'use SHA256 (and Rfc2898DeriveBytes / a password hasher for passwords)' },
  'cs-weak-cipher': { title: 'weak cipher or ECB mode', severity: 'high', why: 'DES/3DES/RC2 are broken and ECB shows patterns in the data (CA5351)', fix: 'use AesGcm with a random nonce' },
  'cs-tls-off': { title: 'certificate validation disabled', severity: 'high', why: 'a validation callback that returns true accepts any certificate, so a man in the middle goes unnoticed (CA5359)', fix: 'remove the callback; trust a private CA through the certificate store instead' },
};

/** Security sinks of a C# file (line rules). */
export function collectCSharpSinks(source: string) {
  return collectLineRules(source, LINES, '//');
}

const LOOP_TYPES = new Set(['for_statement', 'foreach_statement', 'while_statement', 'do_statement']);

export const CSHARP_LOOPS: LoopSpec = {
  functions: new Set(['method_declaration', 'constructor_declaration', 'local_function_statement', 'lambda_expression', 'anonymous_method_expression', 'class_declaration', 'struct_declaration', 'record_declaration']),
  loopOf(n: Node) {
    if (!LOOP_TYPES.has(n.type)) return null;
    if (n.type === 'foreach_statement') return { vars: namesIn(n.childForFieldName('left')), iter: n.childForFieldName('right')?.text ?? null };
    if (n.type === 'for_statement') {
      const decl = n.namedChildren.find((c) => c?.type === 'variable_declaration');
      const v = decl?.namedChildren.find((c) => c?.type === 'variable_declarator');
      return { vars: v ? namesIn(v.childForFieldName('name') ?? v.namedChildren[0]).slice(0, 1) : [], iter: null };
    }
    return { vars: [], iter: null };
  },
  callOf(n: Node) {
    if (n.type === 'invocation_expression') return { callee: (n.childForFieldName('function')?.text ?? '').replace(/\s+/g, ''), args: n.childForFieldName('arguments')?.text ?? '' };
    if (n.type === 'object_creation_expression') return { callee: `new ${n.childForFieldName('type')?.text ?? ''}`, args: n.childForFieldName('arguments')?.text ?? '' };
    return null;
  },
  stringVar(n: Node) {
    if (n.type !== 'variable_declaration') return null;
    const type = n.childForFieldName('type')?.text;
    const v = n.namedChildren.find((c) => c?.type === 'variable_declarator');
    const name = v?.childForFieldName('name')?.text ?? v?.namedChildren[0]?.text;
    if (!name || !v) return null;
    if (type === 'string' || type === 'String') return name;
    return type === 'var' && v.namedChildren.some((c) => c?.type === 'string_literal' || c?.type === 'interpolated_string_expression') ? name : null;
  },
  concatOf(n: Node) {
    if (n.type !== 'assignment_expression') return null;
    const m = /^([\w]+)\s*(?:\+=|=\s*\1\s*\+)/.exec(n.text);
    return m ? m[1] : null;
  },
  io: /^(?:File\.(?:ReadAll\w+|WriteAll\w+|AppendAll\w+|Open\w*|Create\w*|ReadLines|Copy|Move)|new (?:FileStream|StreamReader|StreamWriter|HttpClient|WebClient|SqlConnection|TcpClient)|Process\.Start)$/,
  regex: /^new (?:System\.Text\.RegularExpressions\.)?Regex$/,
  query: /(?:^|\.)(?:_?(?:cmd|command|conn|connection|db|dbContext|context|ctx|session|repo|repository)\w*)(?:\.\w+)*\.(?:ExecuteReader|ExecuteNonQuery|ExecuteScalar|ExecuteReaderAsync|ExecuteNonQueryAsync|ExecuteScalarAsync|Query|QueryAsync|QueryFirst\w*|QuerySingle\w*|Find|FindAsync|FirstOrDefault|FirstOrDefaultAsync|SingleOrDefault|SingleOrDefaultAsync|Get|GetAsync|GetById|GetByIdAsync)$/,
};

/** Performance hits of a C# file (loop rules). */
export function collectCSharpPerformance(root: Node) {
  return collectLoopPerformance(root, CSHARP_LOOPS);
}
