/**
 * Security sink rules as data: what a finding is called, how severe it is, why it matters and
 * how to fix it. The Python rules are the checks of the Python security linter bandit (ids
 * `B102`…`B609` as bandit names them, severities as bandit 1.6 rates them; see
 * https://bandit.readthedocs.io/en/latest/plugins/ and `blacklists/calls.html`). The JS/TS
 * rules are their equivalents for Node and the browser (eslint-plugin-security and the OWASP
 * cheat sheets: `eval`, `child_process` with built strings, `innerHTML`, request-derived paths
 * and SQL, disabled TLS checks, `Math.random` for tokens). Go and Rust have the few cheap ones
 * gosec / cargo-geiger look for first.
 *
 * Which code matches a rule is decided by the collectors in `collect.ts`; this file holds only
 * what a page says about a match.
 */

export type SecuritySeverity = 'high' | 'medium' | 'low';

export interface SecurityRule {
  /** Short title of the rule, e.g. `subprocess call with shell=True`. */
  title: string;
  severity: SecuritySeverity;
  /**
   * How sure a match is a real sink (bandit's confidence for its checks): a call to a known API
   * is `high`; a literal that merely looks like a path, an address or a credential is `medium`;
   * SQL recognised in a string is `low`. Default `high`.
   */
  confidence?: SecuritySeverity;
  /** Why a reader should care, one sentence. */
  why: string;
  /** What to do instead, one sentence. */
  fix: string;
}

/** Rules by id. Python ids are bandit's test ids; other languages use `js-`, `go-`, `rust-`. */
export const SECURITY_RULES: Record<string, SecurityRule> = {
  // ---- Python (bandit)
  B102: { title: 'use of exec', severity: 'medium', why: 'exec runs arbitrary code; text an attacker can influence becomes code', fix: 'replace exec with explicit code or a lookup table; never pass it input' },
  B103: { title: 'permissive file mode', severity: 'medium', why: 'a group-executable or world-writable mode lets other users change or run the file', fix: 'use the narrowest mode that works (0o600 / 0o700 for private files)' },
  B307: { title: 'use of eval', severity: 'medium', why: 'eval runs arbitrary expressions; input reaching it becomes code', fix: 'use ast.literal_eval for literals, or parse the input explicitly' },
  B301: { title: 'pickle deserialisation', severity: 'medium', why: 'unpickling runs code chosen by whoever wrote the data', fix: 'load only trusted data, or use a data-only format such as JSON' },
  B302: { title: 'marshal deserialisation', severity: 'medium', why: 'marshal is not safe against malicious data', fix: 'load only trusted data, or use a data-only format such as JSON' },
  B303: { title: 'weak hash (MD5/SHA-1)', severity: 'medium', why: 'MD5 and SHA-1 collide; they do not protect passwords, signatures or integrity against an attacker', fix: 'use hashlib.sha256 or better (hashlib.scrypt / bcrypt for passwords), or pass usedforsecurity=False when it is not security' },
  B324: { title: 'hashlib.new with a weak hash', severity: 'medium', why: 'MD4/MD5/SHA-1 collide; they do not protect against an attacker', fix: 'choose sha256 or better, or pass usedforsecurity=False when it is not security' },
  B304: { title: 'insecure cipher', severity: 'high', why: 'ARC2/ARC4/Blowfish/DES/XOR/IDEA are broken', fix: 'use AES-GCM or ChaCha20-Poly1305 from a maintained library' },
  B305: { title: 'insecure cipher mode (ECB)', severity: 'medium', why: 'ECB encrypts equal blocks to equal ciphertext, so patterns in the data show', fix: 'use an authenticated mode such as GCM' },
  B306: { title: 'tempfile.mktemp race', severity: 'medium', why: 'the returned name can be created by another process before this one opens it', fix: 'use tempfile.mkstemp or NamedTemporaryFile, which create the file atomically' },
  B310: { title: 'URL open with any scheme', severity: 'medium', why: 'urlopen also opens file:// and custom schemes, so a URL from input can read local files', fix: 'check the scheme (http/https only) before opening a URL that input can reach' },
  B311: { title: 'non-cryptographic random', severity: 'low', why: 'the random module is predictable; values from it must not be tokens, passwords or keys', fix: 'use the secrets module (secrets.token_hex, secrets.choice) for anything secret' },
  B312: { title: 'telnet', severity: 'high', why: 'telnet sends everything, passwords included, in clear text', fix: 'use SSH (e.g. paramiko) or another encrypted protocol' },
  B313: { title: 'XML parsing of untrusted data', severity: 'medium', why: 'the standard XML parsers expand entities (billion laughs, external entities)', fix: 'parse untrusted XML with defusedxml' },
  B321: { title: 'FTP', severity: 'high', why: 'FTP sends credentials and data in clear text', fix: 'use SFTP/FTPS' },
  B323: { title: 'unverified SSL context', severity: 'medium', why: 'certificate and host name checks are off, so a man in the middle goes unnoticed', fix: 'use ssl.create_default_context()' },
  B325: { title: 'os.tempnam / os.tmpnam race', severity: 'medium', why: 'the name can be taken by another process before it is used', fix: 'use tempfile.mkstemp' },
  B501: { title: 'TLS certificate check disabled', severity: 'high', why: 'verify=False accepts any certificate, so a man in the middle can read and change the traffic', fix: 'keep verify=True (the default) or pass the CA bundle path' },
  B502: { title: 'insecure SSL/TLS protocol version', severity: 'high', why: 'SSLv2/SSLv3/TLSv1.0/1.1 are broken', fix: 'use ssl.create_default_context() and TLS 1.2 or later' },
  B504: { title: 'ssl.wrap_socket without a protocol version', severity: 'low', confidence: 'medium', why: 'ssl.wrap_socket is deprecated and may negotiate an old protocol', fix: 'use an SSLContext from ssl.create_default_context()' },
  B506: { title: 'yaml.load without a safe loader', severity: 'medium', why: 'yaml.load with the default or full loader can construct arbitrary Python objects', fix: 'use yaml.safe_load, or Loader=yaml.SafeLoader' },
  B507: { title: 'SSH host key not verified', severity: 'high', confidence: 'medium', why: 'AutoAddPolicy/WarningPolicy trust any host key, so a man in the middle goes unnoticed', fix: 'load known hosts and use RejectPolicy' },
  B601: { title: 'paramiko exec_command', severity: 'medium', confidence: 'medium', why: 'the command runs in a remote shell; input inside it can inject commands', fix: 'quote every argument with shlex.quote or avoid building the command from input' },
  B602: { title: 'subprocess call with shell=True', severity: 'high', why: 'the command goes through /bin/sh, so input inside it can inject commands', fix: 'pass the command as a list and drop shell=True' },
  B603: { title: 'subprocess call', severity: 'low', why: 'it starts a program; arguments that come from input must be checked', fix: 'keep the command a list of fixed program and checked arguments' },
  B604: { title: 'function call with shell=True', severity: 'medium', confidence: 'low', why: 'the callee likely runs a shell command; input inside it can inject commands', fix: 'pass arguments as a list and drop shell=True' },
  B605: { title: 'process started with a shell', severity: 'high', why: 'os.system / os.popen run the string through /bin/sh, so input inside it can inject commands', fix: 'use subprocess.run with a list of arguments' },
  B606: { title: 'process started without a shell', severity: 'low', confidence: 'medium', why: 'os.exec*/os.spawn* start a program; its path and arguments must not come from input unchecked', fix: 'check the program path and arguments, or use subprocess.run with a list' },
  B607: { title: 'process started with a partial path', severity: 'low', why: 'the program is looked up in PATH, which another user or the environment may control', fix: 'give the full path of the program' },
  B608: { title: 'SQL built from strings', severity: 'medium', confidence: 'low', why: 'values formatted into SQL text allow SQL injection', fix: 'use the driver\'s parameter binding (placeholders such as ? or %s with a separate argument tuple)' },
  B105: { title: 'hard-coded credential', severity: 'low', confidence: 'medium', why: 'a password or token in the source is readable by everyone who can read the code or its history', fix: 'read it from the environment or a secret store' },
  B106: { title: 'hard-coded credential argument', severity: 'low', confidence: 'medium', why: 'a password or token in the source is readable by everyone who can read the code or its history', fix: 'read it from the environment or a secret store' },
  B107: { title: 'hard-coded credential default', severity: 'low', confidence: 'medium', why: 'a default password or token works for anyone who reads the code', fix: 'require the value, or read it from the environment' },
  B104: { title: 'binding all interfaces', severity: 'medium', confidence: 'medium', why: "'0.0.0.0' listens on every network interface, not only the local one", fix: "bind to 127.0.0.1 or a configured address" },
  B108: { title: 'hard-coded temporary path', severity: 'medium', confidence: 'medium', why: 'a fixed name under /tmp can be created or linked by another user first', fix: 'use tempfile.mkstemp / TemporaryDirectory' },
  B201: { title: 'Flask debug mode', severity: 'high', confidence: 'medium', why: 'the Werkzeug debugger lets anyone who reaches it run code', fix: 'never run with debug=True outside development' },
  B701: { title: 'Jinja2 autoescape off', severity: 'high', why: 'templates render input as raw HTML (cross-site scripting)', fix: 'create the Environment with autoescape=True or select_autoescape()' },
  B703: { title: 'mark_safe', severity: 'medium', why: 'marked text is rendered without escaping (cross-site scripting)', fix: 'escape with format_html instead of mark_safe' },

  // ---- Python, CodeWorm's own rules (not bandit checks)
  'py-html-message': { title: 'unescaped text in an HTML message', severity: 'medium', confidence: 'low', why: 'the message is sent as HTML (a Telegram or chat parse mode, an e-mail body): a `<` or `&` in the interpolated text makes the service reject the whole message or read it as markup, and text someone else controls (log lines, exception messages, file names) can add links', fix: 'escape each interpolated value with html.escape before it goes into the markup, or send the text without a parse mode' },

  // ---- JavaScript / TypeScript
  'js-eval': { title: 'eval', severity: 'high', why: 'eval runs text as code; input reaching it becomes code', fix: 'parse the data (JSON.parse) or use a lookup table instead of eval' },
  'js-function': { title: 'Function constructor', severity: 'high', why: 'new Function(...) compiles text into code like eval', fix: 'write the function in source, or use a lookup table' },
  'js-vm': { title: 'vm code execution', severity: 'medium', why: 'the vm module is not a security boundary; code it runs can escape', fix: 'do not run untrusted code with vm; use a separate process with no privileges' },
  'js-exec-built': { title: 'shell command built from a string', severity: 'high', confidence: 'medium', why: 'child_process exec runs the string through a shell, so input inside it can inject commands', fix: 'use execFile/spawn with an argument array and no shell' },
  'js-exec': { title: 'shell command', severity: 'low', confidence: 'medium', why: 'child_process exec runs a shell command', fix: 'prefer execFile/spawn with an argument array' },
  'js-spawn-shell': { title: 'process spawned with shell: true', severity: 'high', why: 'the arguments go through a shell, so input inside them can inject commands', fix: 'drop shell: true and pass an argument array' },
  'js-inner-html': { title: 'HTML written from a value', severity: 'medium', confidence: 'medium', why: 'assigning innerHTML/outerHTML or calling document.write/insertAdjacentHTML with data allows cross-site scripting', fix: 'set textContent, or sanitise the HTML (e.g. DOMPurify) first' },
  'js-tls-off': { title: 'TLS certificate check disabled', severity: 'high', why: 'rejectUnauthorized: false / NODE_TLS_REJECT_UNAUTHORIZED=0 accept any certificate, so a man in the middle goes unnoticed', fix: 'keep certificate checks on; pass the CA with the `ca` option instead' },
  'js-random-token': { title: 'Math.random for a secret value', severity: 'medium', confidence: 'medium', why: 'Math.random is predictable; tokens, ids and keys made from it can be guessed', fix: 'use crypto.randomBytes / crypto.randomUUID / crypto.getRandomValues' },
  'js-weak-hash': { title: 'weak hash or cipher', severity: 'medium', why: 'MD5/SHA-1 collide and createCipher derives keys badly', fix: "use createHash('sha256') and createCipheriv with a random IV" },
  'js-sql-built': { title: 'SQL built from strings', severity: 'high', confidence: 'medium', why: 'values placed into SQL text allow SQL injection', fix: 'use placeholders and pass the values separately' },
  'js-request-path': { title: 'file path from the request', severity: 'high', confidence: 'medium', why: 'a path taken from the request can climb out of the intended directory (path traversal)', fix: 'resolve the path, check it stays inside the base directory, or look the name up in an allow list' },

  // ---- Go
  'go-shell': { title: 'command run through a shell', severity: 'high', why: 'sh -c runs the string as shell code, so input inside it can inject commands', fix: 'call the program directly with exec.Command(name, args...)' },
  'go-exec': { title: 'subprocess', severity: 'low', confidence: 'medium', why: 'it starts a program; arguments from input must be checked', fix: 'keep the program fixed and check its arguments' },
  'go-weak-hash': { title: 'weak hash (MD5/SHA-1)', severity: 'medium', why: 'MD5 and SHA-1 collide', fix: 'use crypto/sha256' },
  'go-tls-off': { title: 'TLS certificate check disabled', severity: 'high', why: 'InsecureSkipVerify accepts any certificate', fix: 'remove InsecureSkipVerify; configure RootCAs instead' },
  'go-math-rand': { title: 'math/rand', severity: 'low', confidence: 'medium', why: 'math/rand is predictable; it must not make tokens or keys', fix: 'use crypto/rand' },
  'go-sql-built': { title: 'SQL built with Sprintf', severity: 'medium', confidence: 'medium', why: 'values formatted into SQL text allow SQL injection', fix: 'use placeholders ($1, ?) and pass the values to Query/Exec' },
  'go-unsafe': { title: 'unsafe.Pointer', severity: 'low', confidence: 'medium', why: 'unsafe bypasses Go\'s memory safety', fix: 'keep unsafe code small and checked' },

  // ---- Rust
  'rust-unsafe': { title: 'unsafe block', severity: 'medium', confidence: 'medium', why: 'unsafe code can break memory safety if an invariant is wrong', fix: 'keep the block minimal and document the invariant it relies on (// SAFETY:)' },
  'rust-transmute': { title: 'mem::transmute', severity: 'high', why: 'transmute reinterprets bits with no checks', fix: 'use from_bits/to_ne_bytes/as conversions or a safe crate' },
  'rust-shell': { title: 'command run through a shell', severity: 'high', why: 'sh -c runs the string as shell code, so input inside it can inject commands', fix: 'run the program directly with Command::new(program).args(...)' },
  'rust-tls-off': { title: 'TLS certificate check disabled', severity: 'high', why: 'danger_accept_invalid_certs / hostnames accept any certificate', fix: 'keep certificate checks on; add the CA with add_root_certificate' },
};

/** Points of a finding's severity when ranking targets: a high finding outweighs several low ones. */
export const SEVERITY_POINTS: Record<SecuritySeverity, number> = { high: 9, medium: 3, low: 1 };
/** Weight of a rule's confidence when ranking targets. */
export const CONFIDENCE_WEIGHT: Record<SecuritySeverity, number> = { high: 1, medium: 0.6, low: 0.3 };
