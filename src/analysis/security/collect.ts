/**
 * The `security` fact collector: security-relevant sinks of one file, each with its line and
 * rule id (`rules.ts`), stored in `FileRecord.facts.security` and cached with the file.
 *
 * Python and JS/TS are read from the syntax tree with one tree-sitter query each: calls with
 * their callee resolved through the file's imports (`import subprocess as sp` → `subprocess`,
 * `from os import system` → `os.system`), keyword arguments (`shell=True`, `verify=False`,
 * `Loader=`), string literals (`'0.0.0.0'`, `/tmp/…`, SQL text that is formatted or
 * concatenated), and JS property writes (`el.innerHTML = …`) and options
 * (`rejectUnauthorized: false`). Go and Rust are read line by line from the text (the cheap
 * rules only). A finding's line is the first line of the call or literal, as bandit reports it.
 */
import type { Node } from 'web-tree-sitter';
import { queryFor } from '../../languages/common.ts';
import { PYTHON_QUERIES } from '../../languages/python/queries.ts';
import type { LanguageDescriptor } from '../../languages/types.ts';
import { descriptorOf } from '../../languages/lookup.ts';
import type { FactCollector } from '../facts.ts';
import { SECURITY_RULES, type SecuritySeverity } from './rules.ts';

/** Bump when the facts' shape or meaning changes. */
export const SECURITY_FACTS_VERSION = 3;

/** One sink: 1-based line, rule id, the code as written (collapsed, ≤ 100 chars), severity when it differs from the rule's. */
export interface SecuritySink {
  l: number;
  r: string;
  c: string;
  s?: SecuritySeverity;
}

export interface SecurityFileFacts {
  v: number;
  f: SecuritySink[];
}

function collapse(text: string, max = 100): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const line1 = (n: Node) => n.startPosition.row + 1;

// ---------------------------------------------------------------------------------------------
// Python

/** Parts of the Python query; the literal, SQL and credential parts run only when a text pre-check finds their words. */
const PY_BASE = `
(import_statement) @import
(import_from_statement) @import
(call function: (_) @fn)
`;
const PY_BASE_SHARED = PYTHON_QUERIES.add(PY_BASE);
const PY_LIT = `
((string) @lit (#match? @lit "^[rRbBuU]{0,2}['\\"](0\\\\.0\\\\.0\\\\.0['\\"]|/tmp/|/tmp['\\"]|/var/tmp|/dev/shm)"))
`;
/** A string literal opening with SQL (`"SELECT …`, `f'DELETE FROM …`): where B608 looks. */
const SQL_START = /[rRbBuUfF]{0,2}(?:"{3}|'{3}|"|')\s*(?:select\s|delete\s+from\s|insert\s+into\s|update\s)/gi;
const STRING_OPEN = /^[rRbBuUfF]*("{3}|'{3}|"|')/;
const STRING_CLOSE = /("{3}|'{3}|"|')$/;
const LIT_WORDS = /['"](?:0\.0\.0\.0|\/tmp|\/var\/tmp|\/dev\/shm)/;
/** A name ending like a credential, bound to a string literal: `password = "…"`, `token="…"`, `pwd: str = "…"`. */
const CREDENTIAL_AT = /\b((?:[A-Za-z_]\w*?)?(?:pas+wo?r?d|pass(?:phrase)?|pwd|token|secrete?))\s*(?::[^=\n]{0,60})?=\s*[rRbBuU]{0,2}['"]/gi;
/** Last names of the callees any Python rule looks at (a cheap first test before reading the call). */
const PY_INTERESTING = /(?:^|\.)(?:exec|eval|loads?|load_all|Unpickler|open|DbfilenameShelf|decode|read_pickle|md5|sha1|new|MD[245]|SHA1?|ARC[24]|Blowfish|DES|XOR|IDEA|ECB|mktemp|urlopen|urlretrieve|URLopener|FancyURLopener|Request|random|randrange|randint|choices?|uniform|triangular|parse|iterparse|fromstring|XMLParser|parseString|make_parser|create_parser|RestrictedElement|GlobalParserTLS|getDefaultParser|check_docinfo|_create_unverified_context|tempnam|tmpnam|system|popen[234]?|Popen[34]?|getoutput|getstatusoutput|exec[lv]p?e?|spawn[lv]p?e?|startfile|posix_spawnp?|mark_safe|call|check_call|check_output|run|get|post|put|patch|delete|head|options|request|stream|Client|AsyncClient|chmod|wrap_socket|set_missing_host_key_policy|exec_command|Environment|format)$|^(?:telnetlib|ftplib)\./;

/** bandit's B608 pattern (`hardcoded_sql_expressions`). */
const SQL_RE = /(select\s.*from\s|delete\s+from\s|insert\s+into\s.*values\s|update\s.*set\s)/is;

/** Calls by canonical name → rule id (bandit's call blacklist and plugins). */
const PY_CALLS: [RegExp, string][] = [
  [/^exec$/, 'B102'],
  [/^eval$/, 'B307'],
  [/^(?:c?[Pp]ickle\.(?:loads?|Unpickler)|_pickle\.(?:loads?|Unpickler)|dill\.loads?|shelve\.open|shelve\.DbfilenameShelf|jsonpickle\.decode|pandas\.read_pickle)$/, 'B301'],
  [/^marshal\.loads?$/, 'B302'],
  [/^(?:hashlib\.(?:md5|sha1)|Crypto(?:dome)?\.Hash\.(?:MD2|MD4|MD5|SHA)\.new|cryptography\.hazmat\.primitives\.hashes\.(?:MD5|SHA1))$/, 'B303'],
  [/^(?:Crypto(?:dome)?\.Cipher\.(?:ARC2|ARC4|Blowfish|DES|XOR)\.new|cryptography\.hazmat\.primitives\.ciphers\.algorithms\.(?:ARC4|Blowfish|IDEA))$/, 'B304'],
  [/^cryptography\.hazmat\.primitives\.ciphers\.modes\.ECB$/, 'B305'],
  [/^tempfile\.mktemp$/, 'B306'],
  [/^(?:urllib\.(?:urlopen|urlretrieve|URLopener|FancyURLopener)|urllib\.request\.(?:urlopen|urlretrieve|URLopener|FancyURLopener)|urllib2\.(?:urlopen|Request)|six\.moves\.urllib\.request\.(?:urlopen|urlretrieve|URLopener|FancyURLopener))$/, 'B310'],
  [/^random\.(?:random|randrange|randint|choice|choices|uniform|triangular)$/, 'B311'],
  [/^telnetlib\.\w+$/, 'B312'],
  [/^(?:xml\.etree\.(?:c?ElementTree)\.(?:parse|iterparse|fromstring|XMLParser)|xml\.sax\.(?:parse|parseString|make_parser)|xml\.sax\.expatreader\.create_parser|xml\.dom\.(?:expatbuilder|minidom|pulldom)\.(?:parse|parseString)|lxml\.etree\.(?:parse|fromstring|RestrictedElement|GlobalParserTLS|getDefaultParser|check_docinfo))$/, 'B313'],
  [/^ftplib\.\w+$/, 'B321'],
  [/^ssl\._create_unverified_context$/, 'B323'],
  [/^os\.(?:tempnam|tmpnam)$/, 'B325'],
  [/^(?:os\.system|os\.popen[234]?|popen2\.(?:popen[234]|Popen[34])|commands\.(?:getoutput|getstatusoutput)|subprocess\.(?:getoutput|getstatusoutput))$/, 'B605'],
  [/^os\.(?:exec[lv]p?e?|spawn[lv]p?e?|startfile|posix_spawnp?)$/, 'B606'],
  [/^django\.utils\.safestring\.mark_safe$|^mark_safe$/, 'B703'],
];

/** A non-empty plain string literal (no f-string, not only whitespace). */
const NON_EMPTY_LITERAL = /^[rRbBuU]{0,2}(?:"[^"]*\S[^"]*"|'[^']*\S[^']*')$/;
const SUBPROCESS = /^subprocess\.(?:Popen|call|check_call|check_output|run)$/;
const REQUESTS = /^(?:requests|httpx)\.(?:get|post|put|patch|delete|head|options|request|stream|Client|AsyncClient)$/;
const WEAK_HASH_NAME = /^['"](?:md4|md5|sha1|sha|md2)['"]$/i;

/** Local name → canonical dotted prefix, from every import of the file. */
function pyAliases(node: Node, out: Map<string, string>): void {
  if (node.type === 'import_statement') {
    for (const n of node.namedChildren) {
      if (!n) continue;
      if (n.type === 'aliased_import') {
        const mod = n.childForFieldName('name')?.text;
        const alias = n.childForFieldName('alias')?.text;
        if (mod && alias) out.set(alias, mod);
      }
    }
    return;
  }
  const mod = node.childForFieldName('module_name');
  if (!mod || mod.text.startsWith('.')) return;
  for (const c of node.namedChildren) {
    if (!c || c.startIndex === mod.startIndex) continue;
    if (c.type === 'aliased_import') {
      const name = c.childForFieldName('name')?.text;
      const alias = c.childForFieldName('alias')?.text;
      if (name && alias) out.set(alias, `${mod.text}.${name}`);
    } else if (c.type === 'dotted_name') out.set(c.text, `${mod.text}.${c.text}`);
  }
}

function pyCanonical(fnText: string, aliases: Map<string, string>): string | null {
  if (!/^[\w.\s]+$/.test(fnText)) return null;
  const parts = fnText.replace(/\s+/g, '').split('.');
  const head = aliases.get(parts[0]);
  return head ? [head, ...parts.slice(1)].join('.') : parts.join('.');
}

function kwargs(args: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const a of args.namedChildren) {
    if (a?.type === 'keyword_argument') {
      const name = a.childForFieldName('name');
      const value = a.childForFieldName('value');
      if (name && value) out.set(name.text, value);
    }
  }
  return out;
}

function positional(args: Node): Node[] {
  return args.namedChildren.filter((a): a is Node => !!a && a.type !== 'keyword_argument' && a.type !== 'comment');
}

function isPyStringLiteral(n: Node | undefined): boolean {
  return !!n && (n.type === 'string' || n.type === 'concatenated_string') && !n.text.match(/^[rRbBuU]*f|^[fF]/) && !n.descendantsOfType('interpolation').length;
}

/**
 * bandit B105-B107: a credential-named variable, keyword argument or parameter default bound
 * to a non-empty string literal. Found in the text first (rare), then confirmed on the tree.
 */
function credentials(root: Node, source: string, out: SecuritySink[]): void {
  for (const m of source.matchAll(CREDENTIAL_AT)) {
    const id = root.descendantForIndex(m.index + m[1].length - 1);
    if (id?.type !== 'identifier') continue;
    let owner = id.parent;
    if (owner?.type === 'attribute') owner = owner.parent;
    if (!owner) continue;
    const value = owner.childForFieldName('value') ?? owner.childForFieldName('right');
    if (!value || value.type !== 'string' || !NON_EMPTY_LITERAL.test(value.text)) continue;
    if (owner.type === 'keyword_argument') out.push({ l: line1(value), r: 'B106', c: collapse(`${id.text}=${value.text}`) });
    else if (owner.type === 'default_parameter' || owner.type === 'typed_default_parameter') out.push({ l: line1(owner), r: 'B107', c: collapse(owner.text) });
    else if (owner.type === 'assignment' && owner.childForFieldName('left')?.endIndex === id.endIndex) out.push({ l: line1(owner), r: 'B105', c: collapse(owner.text) });
  }
}

/**
 * bandit B608: SQL text that is formatted (`%`, `.format`), concatenated (`+`) or an f-string.
 * Strings opening with SQL are found in the text, then their context is read on the tree.
 */
function builtSql(root: Node, source: string, sql: (n: Node, text: string) => void): void {
  for (const m of source.matchAll(SQL_START)) {
    let str: Node | null = root.descendantForIndex(m.index + m[0].length - 1);
    while (str && str.type !== 'string') str = str.parent;
    if (!str) continue;
    if (str.namedChildren.some((c) => c?.type === 'interpolation')) {
      sql(str, str.text);
      continue;
    }
    let outer: Node = str.parent?.type === 'concatenated_string' ? str.parent : str;
    const parent = outer.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'format' && parent.parent?.type === 'call') {
      sql(outer, outer.text);
      continue;
    }
    if (parent?.type !== 'binary_operator') continue;
    const op = parent.childForFieldName('operator')?.text;
    if (op !== '%' && op !== '+') continue;
    // The outermost `%` / `+` over the strings: `"SELECT " + a + " FROM t"` is one finding.
    let top: Node = parent;
    while (top.parent?.type === 'binary_operator') top = top.parent;
    const strings = top.descendantsOfType(['string', 'concatenated_string']).filter((x): x is Node => !!x && x.parent?.type !== 'concatenated_string');
    outer = strings[0] ?? outer;
    sql(outer, strings.map((x) => x.text.replace(STRING_OPEN, '').replace(STRING_CLOSE, '')).join(' '));
  }
}

/** An f-string holding an HTML tag and an interpolation: where unescaped text can enter markup. */
const HTML_FSTRING = /[fF][rR]?(?:"[^"\n]*<\/?[A-Za-z][^"\n]*\{|'[^'\n]*<\/?[A-Za-z][^'\n]*\{)/;
const HTML_TAG = /<\/?[A-Za-z][\w-]*(?:\s[^<>]*)?>/;
/** Calls that send a message to people (chat bots, mail, notifiers): the markup is rendered there. */
const MESSAGE_CALL = /(?:^|\.)(?:send\w*|notify\w*|\w*alert\w*|reply\w*|answer\w*|edit_message\w*|post_message|message|publish)$/i;
const ESCAPED = /\b(?:html\.escape|escape|quote|escape_html|escape_markdown|bleach\.clean|markupsafe\.escape)\s*\(/;

/**
 * Unescaped values interpolated into HTML markup that is handed to a message-sending call
 * (`send_alert(details=f"<pre>{log}</pre>")`, a Telegram `send_message(..., parse_mode="HTML")`):
 * the receiving service parses the markup, so a `<` or `&` in the value breaks the message or
 * changes it. Not a bandit check; CodeWorm's own rule `py-html-message`.
 */
function htmlMessages(root: Node, source: string, out: SecuritySink[]): void {
  if (!HTML_FSTRING.test(source)) return;
  for (const str of root.descendantsOfType('string')) {
    if (!str || !HTML_TAG.test(str.text)) continue;
    const values = str.namedChildren.filter((c): c is Node => c?.type === 'interpolation');
    if (values.length === 0 || values.every((v) => ESCAPED.test(v.text))) continue;
    let arg: Node | null = str.parent;
    if (arg?.type === 'keyword_argument') arg = arg.parent;
    if (arg?.type !== 'argument_list') continue;
    const call = arg.parent;
    const callee = call?.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    const markdownMode = /parse_mode\s*=\s*['"]?(?:\w+\.)?(?:HTML)/i.test(arg.text);
    if (!call || (!MESSAGE_CALL.test(callee) && !markdownMode)) continue;
    out.push({ l: line1(str), r: 'py-html-message', c: collapse(str.text) });
  }
}

/** Security sinks of a Python file. */
export function collectPythonSinks(root: Node, source: string): SecuritySink[] {
  const out: SecuritySink[] = [];
  htmlMessages(root, source, out);
  const aliases = new Map<string, string>();
  const hasShellKw = /\bshell\s*=/.test(source);
  // string literals are captured only in a file that may hold a risky one (a predicate runs on each)
  const caps = LIT_WORDS.test(source) ? queryFor(root.tree.language, PY_BASE + PY_LIT).captures(root) : PY_BASE_SHARED.captures(root);
  for (const c of caps) if (c.name === 'import') pyAliases(c.node, aliases);
  const sqlSeen = new Set<number>();
  const sql = (n: Node, text: string) => {
    if (sqlSeen.has(n.startIndex) || !SQL_RE.test(text)) return;
    sqlSeen.add(n.startIndex);
    out.push({ l: line1(n), r: 'B608', c: collapse(n.text) });
  };
  credentials(root, source, out);
  builtSql(root, source, sql);
  /** bandit B607: a process started from a literal program name without a path (looked up in PATH). */
  const partialPath = (n: Node, args: Node, code: string) => {
    const first = positional(args)[0];
    const prog = first?.type === 'list' ? first.namedChildren.find((x) => x && x.type !== 'comment') : first;
    if (prog && isPyStringLiteral(prog) && !/^[rRbBuU]*['"](?:[/\\.]|[A-Za-z]:)/.test(prog.text)) out.push({ l: line1(n), r: 'B607', c: code });
  };
  for (const c of caps) {
    const n = c.node;
    switch (c.name) {
      case 'fn': {
        const fnText = source.slice(n.startIndex, n.endIndex);
        if (!PY_INTERESTING.test(fnText) && !hasShellKw) break;
        const fn = n;
        const call = n.parent;
        const args = call?.childForFieldName('arguments');
        if (!call || !args) break;
        const canon = pyCanonical(fnText, aliases);
        const kw = args.type === 'argument_list' ? kwargs(args) : new Map<string, Node>();
        const code = collapse(call.text);
        if (canon) {
          const rule = PY_CALLS.find(([re]) => re.test(canon));
          if (rule) {
            const sev = rule[1] === 'B605' && isPyStringLiteral(positional(args)[0]) ? 'low' : undefined;
            out.push({ l: line1(call), r: rule[1], c: code, ...(sev ? { s: sev } : {}) });
            if (rule[1] === 'B605' || rule[1] === 'B606') partialPath(call, args, code);
            break;
          }
          if (SUBPROCESS.test(canon)) {
            const shell = kw.get('shell');
            const first = positional(args)[0];
            if (shell && shell.type !== 'false' && shell.text !== 'False' && shell.text !== '0') {
              // bandit reports the line of the `shell=` argument.
              out.push({ l: line1(shell), r: 'B602', c: code, ...(isPyStringLiteral(first) ? { s: 'low' as const } : {}) });
            } else out.push({ l: line1(call), r: 'B603', c: code });
            partialPath(call, args, code);
            break;
          }
          if (REQUESTS.test(canon) && kw.get('verify')?.text === 'False') {
            out.push({ l: line1(call), r: 'B501', c: code });
            break;
          }
          if (canon === 'os.chmod') {
            const mode = positional(args)[1] ?? kw.get('mode');
            const m = mode ? /^0[oO]?([0-7]+)$|^(\d+)$/.exec(mode.text) : null;
            const bits = m ? (m[1] !== undefined ? parseInt(m[1], 8) : Number(m[2])) : 0;
            // bandit B103: world-writable is high, group-executable medium.
            if (bits & 0o002) out.push({ l: line1(call), r: 'B103', c: code, s: 'high' });
            else if (bits & 0o010) out.push({ l: line1(call), r: 'B103', c: code });
            break;
          }
          if (canon === 'hashlib.new') {
            const name = positional(args)[0] ?? kw.get('name');
            if (name && WEAK_HASH_NAME.test(name.text) && kw.get('usedforsecurity')?.text !== 'False') out.push({ l: line1(call), r: 'B324', c: code });
            break;
          }
          if (canon === 'yaml.load' || canon === 'yaml.load_all') {
            const loader = kw.get('Loader') ?? positional(args)[1];
            if (!loader || !/Safe|BaseLoader/.test(loader.text)) out.push({ l: line1(call), r: 'B506', c: code });
            break;
          }
          if (canon === 'ssl.wrap_socket') {
            const v = kw.get('ssl_version');
            if (!v) out.push({ l: line1(call), r: 'B504', c: code });
            else if (/PROTOCOL_(?:SSLv2|SSLv3|TLSv1|TLSv1_1)\b/.test(v.text)) out.push({ l: line1(call), r: 'B502', c: code });
            break;
          }
          if (/(?:^|\.)set_missing_host_key_policy$/.test(canon) && /AutoAddPolicy|WarningPolicy/.test(args.text)) {
            out.push({ l: line1(call), r: 'B507', c: code });
            break;
          }
          if (/(?:^|\.)exec_command$/.test(canon) && /paramiko|ssh|client/i.test(fn.text)) {
            out.push({ l: line1(call), r: 'B601', c: code });
            break;
          }
          if (/(?:^|\.)run$/.test(canon) && kw.get('debug')?.text === 'True' && /\bapp\b/.test(fn.text)) {
            out.push({ l: line1(call), r: 'B201', c: code });
            break;
          }
          if (/(?:^|\.)Environment$/.test(canon) && /^jinja2\./.test(canon) && (kw.get('autoescape')?.text ?? 'False') === 'False') {
            out.push({ l: line1(call), r: 'B701', c: code });
            break;
          }
        }
        const shell = kw.get('shell');
        if (shell && (shell.text === 'True' || shell.type === 'true')) out.push({ l: line1(shell), r: 'B604', c: code });
        // `"... %s" .format(...)` and `"SELECT ..." .format(...)`
        if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
          const obj = fn.childForFieldName('object');
          if (obj && (obj.type === 'string' || obj.type === 'concatenated_string')) sql(obj, obj.text);
        }
        break;
      }
      case 'lit': {
        const body = n.text.replace(/^[rRbBuU]*['"]/, '');
        if (body.startsWith('0.0.0.0')) out.push({ l: line1(n), r: 'B104', c: collapse(n.text) });
        else out.push({ l: line1(n), r: 'B108', c: collapse(n.text) });
        break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JavaScript / TypeScript

const JS_QUERY = `
(call_expression function: (_) @fn arguments: (_) @args) @call
(new_expression constructor: (_) @fn) @new
(assignment_expression left: (member_expression property: (property_identifier) @prop) right: (_) @rhs) @assign
(pair key: (_) @key value: (_) @val) @pair
`;

const SECRETISH = /token|secret|password|passwd|nonce|salt|\bkey\b|apikey|api_key|session|csrf|otp|\buuid\b|\bid\b|Id\b/i;
const SQL_JS = /\b(select\s[\s\S]*\bfrom\b|insert\s+into\b|update\s+\S+\s+set\b|delete\s+from\b)/i;
const REQUEST_DATA = /\b(?:req|request|ctx\.request|ctx)\.(?:params|query|body|path|url|headers|cookies)\b/;

/** Names bound to child_process (`import { exec } from 'child_process'`, `const cp = require('child_process')`). */
function childProcessNames(source: string): { modules: Set<string>; fns: Set<string> } {
  const modules = new Set<string>();
  const fns = new Set<string>();
  if (!source.includes('child_process')) return { modules, fns };
  const re = /(?:import\s+(?:\*\s+as\s+([\w$]+)|([\w$]+)|\{([^}]*)\})\s+from\s*|(?:const|let|var)\s+(?:([\w$]+)|\{([^}]*)\})\s*=\s*require\s*\(\s*)['"](?:node:)?child_process['"]/g;
  // `const spawn = require('child_process').spawnSync`
  for (const m of source.matchAll(/(?:const|let|var)\s+([\w$]+)\s*=\s*require\s*\(\s*['"](?:node:)?child_process['"]\s*\)\s*\.\s*(\w+)/g)) fns.add(m[1]);
  for (const m of source.matchAll(re)) {
    for (const name of [m[1], m[2], m[4]]) if (name) modules.add(name);
    for (const list of [m[3], m[5]]) {
      for (const item of (list ?? '').split(',')) {
        const parts = item.trim().split(/\s+as\s+|\s*:\s*/);
        const local = (parts[1] ?? parts[0]).trim();
        if (local) fns.add(local);
      }
    }
  }
  return { modules, fns };
}

function isBuiltString(n: Node | undefined): boolean {
  if (!n) return false;
  if (n.type === 'template_string') return n.namedChildren.some((c) => c?.type === 'template_substitution');
  return n.type === 'binary_expression' || n.type === 'identifier' || n.type === 'member_expression' || n.type === 'call_expression';
}

/** Security sinks of a TS/JS file. */
export function collectJsSinks(root: Node, source: string): SecuritySink[] {
  const out: SecuritySink[] = [];
  const cp = childProcessNames(source);
  cp.modules.add('child_process');
  const add = (n: Node, r: string, s?: SecuritySeverity) => out.push({ l: line1(n), r, c: collapse(n.text), ...(s ? { s } : {}) });
  for (const c of queryFor(root.tree.language, JS_QUERY).captures(root)) {
    const n = c.node;
    switch (c.name) {
      case 'call': {
        const fn = n.childForFieldName('function');
        const args = n.childForFieldName('arguments');
        if (!fn || !args) break;
        // Bundlers call imports as `(0, mod.fn)(...)`; `require('child_process').exec(...)` names the module inline.
        const callee = fn.text.replace(/\s+/g, '').replace(/^\(0,(.+)\)$/, '$1').replace(/^require\((['"])(?:node:)?child_process\1\)/, 'child_process');
        const argv = args.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment');
        const last = callee.slice(callee.lastIndexOf('.') + 1);
        const recv = callee.includes('.') ? callee.slice(0, callee.lastIndexOf('.')) : '';
        if (callee === 'eval' || callee === 'window.eval' || callee === 'globalThis.eval') add(n, 'js-eval');
        else if (callee === 'Function') add(n, 'js-function');
        else if (/^vm\.(?:runIn(?:New|This)?Context|compileFunction)$/.test(callee)) add(n, 'js-vm');
        else if ((cp.fns.has(callee) || cp.modules.has(recv)) && /^(?:exec|execSync)$/.test(last)) add(n, isBuiltString(argv[0]) ? 'js-exec-built' : 'js-exec', isBuiltString(argv[0]) ? undefined : 'low');
        else if ((cp.fns.has(callee) || cp.modules.has(recv)) && /^(?:spawn|spawnSync|execFile|execFileSync)$/.test(last) && /shell\s*:\s*(?:true|['"`])/.test(args.text)) add(n, 'js-spawn-shell');
        else if (/^(?:document\.write(?:ln)?)$/.test(callee) || last === 'insertAdjacentHTML') {
          if (argv.some((a) => isBuiltString(a))) add(n, 'js-inner-html');
        } else if (callee === 'Math.random') {
          // Only when the surrounding statement names a secret-like value.
          const stmt = enclosingStatement(n);
          if (SECRETISH.test(stmt.text.slice(0, 300))) add(n, 'js-random-token');
        } else if (/(?:^|\.)createHash$/.test(callee) && /^['"`](?:md5|sha1|md4)['"`]$/i.test(argv[0]?.text ?? '')) add(n, 'js-weak-hash');
        else if (/(?:^|\.)createCipher$/.test(callee)) add(n, 'js-weak-hash');
        else if (/^(?:query|execute|exec|raw|prepare|run|all|get|unsafe|queryRaw|\$queryRawUnsafe|\$executeRawUnsafe)$/.test(last) && recv !== '' && argv[0] && (argv[0].type === 'template_string' || argv[0].type === 'binary_expression') && isBuiltString(argv[0]) && SQL_JS.test(argv[0].text)) add(n, 'js-sql-built');
        else if (/^(?:fs|fsp|fsPromises|promises)\.\w+$|^(?:readFile|readFileSync|writeFile|writeFileSync|createReadStream|createWriteStream|unlink|unlinkSync|rm|rmSync)$|(?:^|\.)sendFile$|(?:^|\.)download$/.test(callee) && REQUEST_DATA.test(argv[0]?.text ?? '')) add(n, 'js-request-path');
        break;
      }
      case 'new': {
        const fn = n.childForFieldName('constructor');
        if (fn?.text === 'Function') add(n, 'js-function');
        else if (fn && /^vm\.Script$/.test(fn.text)) add(n, 'js-vm');
        break;
      }
      case 'assign': {
        const left = n.childForFieldName('left');
        const prop = left?.childForFieldName('property')?.text;
        const right = n.childForFieldName('right');
        if ((prop === 'innerHTML' || prop === 'outerHTML') && right && isBuiltString(right)) add(n, 'js-inner-html');
        if (left && /process\.env\.NODE_TLS_REJECT_UNAUTHORIZED$/.test(left.text.replace(/\s+/g, '')) && /^['"`]?0['"`]?$/.test(right?.text ?? '')) add(n, 'js-tls-off');
        break;
      }
      case 'pair': {
        const key = n.childForFieldName('key')?.text.replace(/['"]/g, '');
        const val = n.childForFieldName('value')?.text;
        if ((key === 'rejectUnauthorized' || key === 'strictSSL') && val === 'false') add(n, 'js-tls-off');
        else if (key === 'dangerouslySetInnerHTML') add(n, 'js-inner-html', 'low');
        break;
      }
    }
  }
  return out;
}

function enclosingStatement(n: Node): Node {
  let cur: Node = n;
  while (cur.parent && !/statement|declaration|^pair$|^return/.test(cur.type)) cur = cur.parent;
  return cur;
}

// ---------------------------------------------------------------------------------------------
// Go and Rust: line rules over the text (comments skipped)

const GO_LINES: [RegExp, string][] = [
  [/\bexec\.Command(?:Context)?\s*\([^)]*"(?:\/bin\/)?(?:sh|bash|zsh|cmd(?:\.exe)?)"\s*,\s*"(?:-c|\/c)"/, 'go-shell'],
  [/\bexec\.Command(?:Context)?\s*\(/, 'go-exec'],
  [/\b(?:md5|sha1)\.(?:New|Sum)\s*\(/, 'go-weak-hash'],
  [/\bInsecureSkipVerify\s*:\s*true\b/, 'go-tls-off'],
  [/\bfmt\.Sprintf\s*\(\s*["`]\s*(?:SELECT\s[\s\S]*FROM|INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)/i, 'go-sql-built'],
  [/\bunsafe\.Pointer\b/, 'go-unsafe'],
];
const RUST_LINES: [RegExp, string][] = [
  [/\bCommand::new\s*\(\s*"(?:\/bin\/)?(?:sh|bash|zsh|cmd(?:\.exe)?)"/, 'rust-shell'],
  [/\b(?:mem::)?transmute\s*(?:::<[^>]*>)?\s*\(/, 'rust-transmute'],
  [/\bunsafe\s*\{/, 'rust-unsafe'],
  [/\bdanger_accept_invalid_(?:certs|hostnames)\s*\(\s*true\s*\)/, 'rust-tls-off'],
];

/** Security sinks of a Go file (line rules; `math/rand` calls only where it is imported). */
export function collectGoSinks(source: string): SecuritySink[] {
  const mathRand = /"math\/rand(?:\/v2)?"/.test(source);
  return collectLineSinks(source, GO_LINES, mathRand ? (l) => (/\brand\.(?:Int\w*|Float\w*|Read|Perm|Shuffle|Uint\w*)\s*\(/.test(l) ? 'go-math-rand' : null) : undefined);
}

/** Security sinks of a Rust file (line rules). */
export function collectRustSinks(source: string): SecuritySink[] {
  return collectLineSinks(source, RUST_LINES);
}

function collectLineSinks(source: string, rules: [RegExp, string][], extra?: (line: string) => string | null): SecuritySink[] {
  const out: SecuritySink[] = [];
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const t = text.trimStart();
    if (t.startsWith('//') || t.startsWith('*') || t.startsWith('/*')) continue;
    const rule = rules.find(([re]) => re.test(text)) ?? null;
    const id = rule ? rule[1] : extra ? extra(text) : null;
    if (id) out.push({ l: i + 1, r: id, c: collapse(t) });
  }
  return out;
}

/**
 * The sinks of one parsed file, in line order, or null for a language without rules.
 * Pure; throws only on a bug (the indexer then drops this file's facts and says so).
 */
export function collectSecuritySinks(root: Node, language: LanguageDescriptor | string, source: string): SecurityFileFacts | null {
  const collect = descriptorOf(language).facts.security;
  if (!collect) return null;
  let f = collect(root, source) as SecuritySink[];
  f = f.filter((x) => SECURITY_RULES[x.r] !== undefined).sort((a, b) => a.l - b.l || a.r.localeCompare(b.r));
  return { v: SECURITY_FACTS_VERSION, f };
}

export const securityCollector: FactCollector = {
  name: 'security',
  version: SECURITY_FACTS_VERSION,
  collect: (root, language, source) => collectSecuritySinks(root, language, source),
};

/** Whether a facts value is usable security facts of the current version. */
export function isSecurityFacts(v: unknown): v is SecurityFileFacts {
  return !!v && typeof v === 'object' && (v as SecurityFileFacts).v === SECURITY_FACTS_VERSION && Array.isArray((v as SecurityFileFacts).f);
}
