/**
 * The fix that fits one security finding (issue 12, blind review): a rule's generic advice
 * ("use tempfile") is wrong for a path that is really a persistent data directory, and a shell
 * command that is a fixed string is not an injection point. `fitFinding` reads the statement
 * the finding sits in and says where its argument comes from — a literal, a constant,
 * configuration, the environment, a caller's parameter, a web request — what role a hard-coded
 * path plays (persistent data, a log, a scratch file), and gives the fix for that line. It says
 * plainly when the input is not attacker-controlled.
 *
 * Pure functions over the function's source text; Python and JS/TS syntax (the languages whose
 * rules name these sinks). Sources of the rules' wording: bandit's plugin pages (B108, B602,
 * B608: https://bandit.readthedocs.io/en/latest/plugins/), the Python docs for `shlex.quote` and
 * sqlite3 placeholders, the XDG Base Directory Specification for where persistent data lives.
 */

import { matchParen, splitTopLevel } from '../../core/code-text.ts';

/** Where a value that reaches a sink comes from, from least to most attacker-reachable. */
export type InputKind = 'literal' | 'constant' | 'placeholders' | 'config' | 'environment' | 'state' | 'parameter' | 'request' | 'unknown';

export interface FindingFit {
  /** True when nothing reaching the sink comes from a caller, a request or unknown code. */
  lowRisk: boolean;
  /** One sentence: what reaches the sink and who controls it (code in backticks, no final period). */
  input: string;
  /** One sentence: the fix for this line (no final period). */
  fix: string;
}

interface FindingLike {
  rule: string;
  line: number;
  code?: string;
}

/** Statement around file line `line` of a function whose source starts at `startLine`: brackets and triple-quoted strings joined. */
export function statementAt(source: string, startLine: number, line: number): string {
  const lines = source.split('\n');
  const idx = line - startLine;
  if (idx < 0 || idx >= lines.length) return '';
  // depth at the start of each line (brackets outside strings)
  const depthAt: number[] = [];
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    depthAt.push(depth + (quote ? 1000 : 0));
    const l = lines[i];
    for (let k = 0; k < l.length; k++) {
      const ch = l[k];
      if (quote) {
        if (ch === '\\') k++;
        else if (l.startsWith(quote, k)) {
          k += quote.length - 1;
          quote = null;
        }
        continue;
      }
      if (ch === '#' ) break;
      if (l.startsWith('"""', k) || l.startsWith("'''", k)) {
        quote = l.slice(k, k + 3);
        k += 2;
      } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
      else if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    }
    // a one-line quote left open is a syntax the scanner does not follow: close it
    if (quote && quote.length === 1 && quote !== '`') quote = null;
  }
  depthAt.push(depth);
  let a = idx;
  while (a > 0 && depthAt[a] > 0) a--;
  let b = idx;
  while (b + 1 < lines.length && depthAt[b + 1] > 0) b++;
  return lines.slice(a, b + 1).map((l) => l.trim()).join(' ');
}

const REQUEST = /^(?:request|req|flask\.request|ctx\.request|ctx|event|body|payload|form|query)\b|\.(?:args|form|json|body|query_params|path_params|params|query|headers|cookies|files|values|data)\b/;
const ENVIRONMENT = /^(?:os\.environ|os\.getenv|environ|getenv|process\.env)\b/;
const CONFIG = /^(?:self\.|this\.)?_?(?:settings|config|cfg|conf|options|opts|configuration)\b|\.(?:settings|config|cfg|conf|options)\b/;
const KEYWORDS = new Set(['None', 'True', 'False', 'and', 'or', 'not', 'in', 'is', 'if', 'else', 'for', 'lambda', 'await', 'null', 'undefined', 'true', 'false', 'new', 'typeof', 'self', 'this', 'cls']);
/** Calls that only convert or wrap their arguments: what they read is what reaches the sink. */
const PASS_THROUGH = /^(?:len|str|int|float|bool|repr|list|tuple|set|dict|sorted|reversed|enumerate|zip|range|min|max|sum|abs|round|Path|PurePath|String|Number|os\.path\.\w+|path\.(?:join|resolve)|json\.dumps|JSON\.stringify)$/;
/** Calls whose result carries no text of their argument into the output. */
const COUNT_ONLY = /^(?:len|int|float|bool|range|str\(len|abs|round|min|max|sum)$/;

/** The contents of `{…}` interpolations of f-strings / `${…}` of template strings in `text`. */
function interpolations(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![{$])\$?\{([^{}]+)\}/g)) if (!/^\s*$/.test(m[1])) out.push(m[1].replace(/![rsa]$|:[^:()]*$/, ''));
  return out;
}

/** Text of `expr` with string literals blanked (f-string interpolations kept as code). */
function codeOf(expr: string): string {
  return expr.replace(/\b[rRbBuU]?[fF][rR]?("""|'''|"|')((?:\\.|(?!\1)[\s\S])*)\1|`((?:\\.|[^`])*)`/g, (_m, _q, fbody: string | undefined, tbody: string | undefined) => ` ${interpolations(fbody ?? tbody ?? '').join(' , ')} `)
    .replace(/(?<!\w)[rRbBuU]{0,2}("""|'''|"|')(?:\\.|(?!\1)[\s\S])*\1/g, ' "" ');
}

/** Names and dotted chains an expression reads, callee names left out (`len(ids)` reads `ids`). */
function chainsOf(expr: string): string[] {
  const code = codeOf(expr);
  const out: string[] = [];
  for (const m of code.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)(\s*\()?/g)) {
    const chain = m[1].replace(/\s+/g, '');
    if (KEYWORDS.has(chain)) continue;
    if (m[2]) {
      // a call: its receiver is read (`self.settings.get(...)` reads `self.settings`); a call
      // on the object itself or a plain function gives a value of its own (`self._tail_log()`)
      if (PASS_THROUGH.test(chain)) continue;
      const dot = chain.lastIndexOf('.');
      const recv = dot > 0 ? chain.slice(0, dot) : '';
      out.push(recv && !KEYWORDS.has(recv) ? recv : `${chain}()`);
      continue;
    }
    // keyword argument names are not reads
    if (new RegExp(`(?<![\\w$.])${chain.replace(/[.$]/g, '\\$&')}\\s*=(?!=)`).test(code) && !new RegExp(`(?<![\\w$.])${chain.replace(/[.$]/g, '\\$&')}(?!\\s*=[^=])`).test(code)) continue;
    out.push(chain);
  }
  return out;
}

/** The right-hand side of the last assignment to `name` in `source` before `beforeLine` (0-based), or of `for name in X`. */
function assignedValue(lines: string[], name: string, beforeIdx: number): { text: string; idx: number } | null {
  const esc = name.replace(/[.$]/g, '\\$&');
  for (let i = Math.min(beforeIdx, lines.length - 1); i >= 0; i--) {
    const m = new RegExp(`^\\s*(?:(?:const|let|var)\\s+)?${esc}\\s*(?::[^=]+)?=(?!=)\\s*(.+)$`).exec(lines[i]) ?? new RegExp(`^\\s*(?:async\\s+)?for\\s+(?:[\\w\\s,()]*,\\s*)?${esc}\\s*(?:,[^:]*)?\\s+in\\s+(.+):\\s*$`).exec(lines[i]);
    if (m) {
      // a value spread over lines: join until the brackets close
      let text = m[1];
      let depth = [...codeOf(text)].reduce((d, ch) => d + ('([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0), 0);
      for (let j = i + 1; depth > 0 && j < lines.length; j++) {
        text += ` ${lines[j].trim()}`;
        depth += [...codeOf(lines[j])].reduce((d, ch) => d + ('([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0), 0);
      }
      return { text, idx: i };
    }
  }
  return null;
}

/** A value made only of placeholder marks (`", ".join("?" * len(ids))`, `",".join(["%s"] * n)`). */
function isPlaceholderValue(value: string): boolean {
  return /(["'])\s*(?:\?|%s|\$\d+)\s*\1/.test(value) && /\bjoin\b|\*|repeat|Array\(/.test(value) && !/\{[^}]*\}/.test(value.replace(/["'][^"']*["']/g, ''));
}

/**
 * Where the values of `expr` come from, following local variables back through at most two
 * assignments. `params` are the function's parameter names (receivers excluded).
 */
export function inputKinds(expr: string, source: string, startLine: number, line: number, params: readonly string[]): Map<InputKind, string[]> {
  const out = new Map<InputKind, string[]>();
  const lines = source.split('\n');
  const add = (k: InputKind, name: string) => {
    const list = out.get(k) ?? out.set(k, []).get(k)!;
    if (!list.includes(name)) list.push(name);
  };
  const visit = (e: string, idx: number, depth: number, via?: string) => {
    const chains = chainsOf(e);
    for (const c of chains) {
      const name = via ? `${via} (from ${c})` : c;
      const head = c.split('.')[0];
      if (c.endsWith('()')) add(/^(?:self|this|cls)\./.test(c) ? 'state' : 'unknown', name);
      else if (REQUEST.test(c) && !params.includes(head)) add('request', name);
      else if (ENVIRONMENT.test(c)) add('environment', name);
      else if (CONFIG.test(c)) add('config', name);
      else if (params.includes(head)) add(REQUEST.test(head) ? 'request' : 'parameter', via ? `${via} (from ${c})` : c);
      else if (/^[A-Z][A-Z0-9_]+$/.test(head)) add('constant', name);
      else if (/^(?:self|this|cls)\./.test(c)) add('state', name);
      else if (COUNT_ONLY.test(head)) continue;
      else if (depth < 2) {
        const value = assignedValue(lines, head, idx - 1);
        if (value === null) add('unknown', name);
        else if (isPlaceholderValue(value.text)) add('placeholders', via ?? c);
        else if (chainsOf(value.text).length === 0) add('literal', via ?? c);
        else visit(value.text, value.idx, depth + 1, via ?? head);
      } else add('unknown', name);
    }
  };
  visit(expr, line - startLine, 0);
  return out;
}

const NOT_REACHABLE: readonly InputKind[] = ['literal', 'constant', 'placeholders'];
const OPERATOR: readonly InputKind[] = ['config', 'environment'];

/** `a`, `b` and `c`; a traced name `x (from y)` reads `x` (from `y`). */
function names(xs: string[]): string {
  const q = [...new Set(xs)].slice(0, 3).map((x) => x.replace(/^(.*?) \(from (.*)\)$/, '`$1` (from `$2`)').replace(/^([^`].*)$/, '`$1`'));
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** One clause per kind present: who controls each value. */
function whoControls(kinds: Map<InputKind, string[]>): string {
  const parts: string[] = [];
  const say: [InputKind, (n: string) => string][] = [
    ['request', (n) => `${n} from the request (anyone who can send one controls it)`],
    ['parameter', (n) => `${n} from the function's parameters (its callers decide)`],
    ['unknown', (n) => `${n}, whose origin this function does not show`],
    ['state', (n) => `${n} from the object's state`],
    ['config', (n) => `${n} from the configuration (whoever runs the program sets it)`],
    ['environment', (n) => `${n} from the environment (whoever starts the process sets it)`],
    ['placeholders', (n) => `${n}, which holds only placeholder marks`],
    ['constant', (n) => `the constant${(kinds.get('constant')?.length ?? 0) > 1 ? 's' : ''} ${n}`],
  ];
  for (const [k, s] of say) {
    const v = kinds.get(k);
    if (v && v.length > 0) parts.push(s(names(v)));
  }
  return parts.join('; ');
}

function onlyFrom(kinds: Map<InputKind, string[]>, allowed: readonly InputKind[]): boolean {
  return [...kinds.keys()].every((k) => allowed.includes(k));
}

// ---------------------------------------------------------------------------------------------
// Hard-coded paths and addresses (B108, B104)

/** Names that say a path keeps data beyond one run. */
const PERSISTENT = /repo|data|db\b|database|sqlite|state|store|storage|devlog|home|root|archive|output|out_?dir|history|cache|vault|journal/i;
const LOG = /\blog\b|log_?(?:path|file|dir)|\.log\b/i;
const SCRATCH = /tmp|temp|scratch|lock|pid|sock/i;
/** Calls that read or load configuration. */
const LOADER = /(?:^|\.)(?:(?:load|read|get|parse|make)_?(?:settings|config|configuration|conf)|(?:load|read)Config|(?:load|read)Settings|Settings|Config)$/;

/** The key, keyword or variable a literal is bound to on its statement (`repo_path` in `{"repo_path": Path("/tmp/x")}`). */
function boundName(statement: string, literal: string): string | null {
  const at = statement.indexOf(literal);
  if (at < 0) return null;
  const before = statement.slice(0, at);
  const typed = /([A-Za-z_$][\w$]*)\s*:\s*[\w[\]|. ,]+?\s*=\s*$/.exec(before);
  if (typed) return typed[1];
  const m = /(?:["']?([A-Za-z_$][\w$]*)["']?\s*[:=]\s*(?:[\w.]+\s*\(\s*)?)$/.exec(before.replace(/\s+$/, ''));
  return m?.[1] ?? null;
}

/** The calls that enclose position `at` of `statement`, innermost first (`load_settings` around a dict). */
function enclosingCalls(statement: string, at: number): string[] {
  const out: string[] = [];
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const ch = statement[i];
    if (')]}'.includes(ch)) depth++;
    else if ('([{'.includes(ch)) {
      if (depth > 0) depth--;
      else if (ch === '(') {
        const m = /([A-Za-z_$][\w$.]*)\s*$/.exec(statement.slice(0, i));
        if (m) out.push(m[1]);
      }
    }
  }
  return out;
}

function pathFit(f: FindingLike, statement: string): FindingFit | null {
  const literal = /^[rRbBuU]*(["'])(.*)\1$/.exec((f.code ?? '').trim());
  if (!literal) return null;
  const value = literal[2];
  const quoted = f.code!.trim();
  const name = boundName(statement, quoted) ?? '';
  const calls = enclosingCalls(statement, statement.indexOf(quoted));
  const loader = calls.find((c) => LOADER.test(c));
  const isDefault = new RegExp(`^(?:async\\s+)?def\\s|^[A-Za-z_]\\w*\\s*:\\s*[\\w\\[\\]|. ]+=\\s*${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(statement);
  // the rule's own sentence says what another account can do; this says who that can be
  const who = 'The path is a literal in the code: no caller or request reaches it, only another account on the same machine could use it (a single-user machine or a container of its own has none)';
  if (f.rule === 'B104') {
    const set = isDefault || /host|bind|listen|addr/i.test(name) ? `it is the default of \`${name || 'host'}\`, which configuration can change` : 'it is fixed in the code';
    return {
      lowRisk: false,
      input: `\`${value}\` is a literal and ${set}; it makes the server reachable from every network the machine is on`,
      fix: `default to 127.0.0.1 and set ${value} explicitly where every interface is wanted (a container, behind a proxy)`,
    };
  }
  const role = `${name} ${value} ${calls.join(' ')}`;
  const readVia = loader ? `. It is handed to \`${loader}\` as a literal, so it wins over what the configuration says` : '';
  if (LOG.test(role) && !SCRATCH.test(name)) {
    return { lowRisk: true, input: `${who}. \`${value}\` is a log file${name ? ` (\`${name}\`)` : ''}: it must outlive the process and be found again, so a random temporary name does not fit${readVia}`, fix: 'keep the log in a directory of the user that runs the program (the state directory, $XDG_STATE_HOME, or /var/log/<program>/ created with mode 0700) and name it in one place that every reader and writer takes it from' };
  }
  if (PERSISTENT.test(role) && !/\b(?:tmp|temp|scratch)_?\w*\b/i.test(name)) {
    return { lowRisk: true, input: `${who}. \`${value}\` is ${name ? `\`${name}\`, ` : ''}where data is kept between runs, not a scratch file: tempfile would hand out a new empty location at every start and the data would be lost${readVia}`, fix: `default it to a directory under the user's data directory ($XDG_DATA_HOME, ~/.local/share/<program>) created with mode 0700${loader ? `, and drop the literal from the \`${loader}\` call so the configured value is used` : ', or require it in the configuration'}` };
  }
  return { lowRisk: true, input: `${who}. Nothing shows the file must outlive the run, so it is a scratch file`, fix: 'create it with tempfile.mkstemp / tempfile.TemporaryDirectory, which pick a fresh name and open it atomically with mode 0600' };
}

// ---------------------------------------------------------------------------------------------
// Shell commands (B602, B604, B605, js-exec*)

/** The first positional argument of the call named by `callee` in `statement`. */
function firstArgument(statement: string, callee: RegExp): string | null {
  const m = callee.exec(statement);
  if (!m) return null;
  const open = statement.indexOf('(', m.index + m[0].length);
  if (open < 0) return null;
  const close = matchParen(statement, open);
  const args = splitTopLevel(statement.slice(open + 1, close < 0 ? undefined : close), false);
  // a statement cut before its closing parenthesis still has a first argument before a comma
  if (close < 0 && args.length < 2) return null;
  return args[0] ?? '';
}

const SHELL_META = /[|&;<>()$`*?~]|\{|\}/;

function isPlainLiteral(expr: string): boolean {
  return /^[rRbBuU]*(["'])(?:\\.|(?!\1).)*\1$/.test(expr) || /^`[^`$]*`$/.test(expr);
}

function shellFit(f: FindingLike, statement: string, source: string, startLine: number, params: readonly string[]): FindingFit | null {
  const arg = firstArgument(statement, /(?:subprocess\.\w+|os\.(?:system|popen)|\b(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|call|run|check_output|check_call|Popen|getoutput|getstatusoutput))\s*(?=\()/);
  if (!arg) return null;
  if (isPlainLiteral(arg)) {
    const cmd = arg.replace(/^[rRbBuU]*["'`]|["'`]$/g, '');
    const needsShell = SHELL_META.test(cmd);
    return {
      lowRisk: true,
      input: `The command is the fixed string \`${cmd.length > 60 ? `${cmd.slice(0, 59)}…` : cmd}\`: no input reaches the shell, so this is not an injection point`,
      fix: needsShell ? `nothing to fix for injection; the command uses the shell's own syntax (${[...new Set(cmd.match(/[|&;<>$`*?~]/g) ?? [])].join(' ')}), so the shell stays, and the program names are best given with full paths` : `optional: pass it as a list (${f.rule.startsWith('js-') ? 'execFile/spawn with an argument array' : 'subprocess.run([...]) without shell=True'}) to skip /bin/sh`,
    };
  }
  const kinds = inputKinds(arg, source, startLine, f.line, params);
  if (kinds.size === 0) return null;
  const values = [...kinds.values()].flat().map((v) => v.replace(/ \(from .*\)$/, ''));
  if (onlyFrom(kinds, NOT_REACHABLE)) {
    return { lowRisk: true, input: `The command is built from ${whoControls(kinds)} only: nothing outside the code reaches the shell`, fix: 'no injection to fix; a list of arguments without the shell would still drop the dependency on /bin/sh' };
  }
  const quoteFix = f.rule.startsWith('js-') ? 'pass the program and each value as an array to execFile/spawn without a shell, so each value is one argument whatever it contains' : `pass a list (the program, then ${names(values)} each as an element of its own) and drop shell=True; where the shell is really needed, wrap each value in shlex.quote`;
  if (onlyFrom(kinds, [...NOT_REACHABLE, ...OPERATOR])) {
    return { lowRisk: true, input: `The command is built from ${whoControls(kinds)}: only someone who can already change the configuration or environment can change it, so this is low risk unless other users can write them`, fix: quoteFix };
  }
  return { lowRisk: false, input: `The command is built from ${whoControls(kinds)}: a quote, space or \`;\` in ${values.length > 1 ? 'them' : 'it'} becomes shell syntax`, fix: quoteFix };
}

// ---------------------------------------------------------------------------------------------
// SQL built from strings (B608, js-sql-built, go-sql-built)

const IDENTIFIER_NAME = /table|column|col\b|cols\b|field|order|sort|ident|schema|name$/i;

function sqlFit(f: FindingLike, statement: string, source: string, startLine: number, params: readonly string[]): FindingFit | null {
  // what is formatted into the text: f-string / template interpolations, `% (...)`, `.format(...)`, `+ x +`
  const parts: string[] = [];
  for (const m of statement.matchAll(/\b[fF][rR]?("""|'''|"|')((?:\\.|(?!\1)[\s\S])*)\1|`((?:\\.|[^`])*)`/g)) parts.push(...interpolations(m[2] ?? m[3] ?? ''));
  const pct = /(["'])\s*%\s*(\([^()]*(?:\([^()]*\)[^()]*)*\)|[\w.]+)/.exec(statement);
  if (pct) parts.push(pct[2]);
  const fmt = /\.format\s*\(([^)]*)\)/.exec(statement);
  if (fmt) parts.push(fmt[1]);
  for (const m of statement.matchAll(/["']\s*\+\s*([\w.()[\]]+)|([\w.()[\]]+)\s*\+\s*["']/g)) parts.push(m[1] ?? m[2]);
  if (parts.length === 0) return null;
  const kinds = inputKinds(parts.join(' , '), source, startLine, f.line, params);
  if (kinds.size === 0) return null;
  // values bound: placeholder marks in the text, or an argument after the SQL string
  const bound = kinds.has('placeholders') || /\?|%s|%\(\w+\)s|:\w+|\$\d/.test(statement.replace(/f?(["'])[^"']*\{[^}]*\}[^"']*\1/g, '')) || /["'`]\s*,\s*[^\s)]/.test(statement);
  const identifiers = [...kinds.values()].flat().map((v) => v.replace(/ \(from .*\)$/, '')).filter((n) => IDENTIFIER_NAME.test(n));
  if (onlyFrom(kinds, NOT_REACHABLE)) {
    return {
      lowRisk: true,
      input: `Only ${whoControls(kinds)} ${kinds.size === 1 && (kinds.get('placeholders')?.length ?? 0) > 0 ? 'is' : 'are'} formatted into the SQL text${bound ? ' and the values go through parameter binding' : ''}: no input reaches it, so this is not an injection point`,
      fix: 'nothing to fix; keep every value a bound parameter and the formatted part built from the code alone',
    };
  }
  const fix = identifiers.length > 0
    ? `${names(identifiers)} name${identifiers.length > 1 ? '' : 's'} a table or column, which placeholders cannot bind: check ${identifiers.length > 1 ? 'them' : 'it'} against a fixed set of allowed names before formatting${bound ? ', and keep the values bound as they are' : ', and pass every value as a bound parameter'}`
    : `put a placeholder (? or %s, as the driver takes) where ${names([...kinds.values()].flat())} ${[...kinds.values()].flat().length > 1 ? 'go' : 'goes'} and pass ${[...kinds.values()].flat().length > 1 ? 'them' : 'it'} in the parameters tuple`;
  if (onlyFrom(kinds, [...NOT_REACHABLE, ...OPERATOR])) return { lowRisk: true, input: `The SQL text is built from ${whoControls(kinds)}: an attacker would need to change the configuration first, so this is low risk`, fix };
  return { lowRisk: false, input: `The SQL text is built from ${whoControls(kinds)}`, fix };
}

// ---------------------------------------------------------------------------------------------
// Unescaped values in HTML messages (py-html-message)

function htmlFit(f: FindingLike, statement: string, source: string, startLine: number, params: readonly string[]): FindingFit | null {
  const fstring = /\b[fF][rR]?("""|'''|"|')((?:\\.|(?!\1)[\s\S])*)\1/.exec(f.code ?? statement);
  const values = fstring ? interpolations(fstring[2]).map((v) => v.trim()) : [];
  if (values.length === 0) return null;
  const kinds = inputKinds(values.join(' , '), source, startLine, f.line, params);
  if (kinds.size === 0) return null;
  const escaped = values.map((v) => `\`{html.escape(${v})}\``).join(', ');
  if (onlyFrom(kinds, NOT_REACHABLE)) return { lowRisk: true, input: `The markup holds ${whoControls(kinds)} only: text fixed in the code, so it cannot break the message`, fix: 'nothing to fix while the values stay fixed in the code' };
  return { lowRisk: false, input: `The markup holds ${whoControls(kinds)}: text the code does not fix in advance`, fix: `write ${escaped} in the f-string, so a < or & in the value arrives as text` };
}

// ---------------------------------------------------------------------------------------------

/**
 * The fix that fits one finding in its function. `source` is the function's source starting at
 * file line `startLine`; `params` are its parameter names (receivers excluded). Null when the
 * rule has no context-specific reading or the statement cannot be read (the rule's own fix
 * then stands).
 */
export function fitFinding(f: FindingLike, source: string, startLine: number, params: readonly string[]): FindingFit | null {
  const statement = statementAt(source, startLine, f.line);
  if (!statement) return null;
  switch (f.rule) {
    case 'B108':
    case 'B104':
      return pathFit(f, statement);
    case 'B602':
    case 'B604':
    case 'B605':
    case 'js-exec':
    case 'js-exec-built':
    case 'js-spawn-shell':
      return shellFit(f, statement, source, startLine, params);
    case 'B608':
    case 'js-sql-built':
      return sqlFit(f, statement, source, startLine, params);
    case 'py-html-message':
      return htmlFit(f, statement, source, startLine, params);
    default:
      return null;
  }
}
