/**
 * Security sinks and performance loop rules of the languages added in issue 15, each language
 * with a snippet that must report and one that must not (parameterised queries, fixed commands,
 * in-memory work, loops over different data).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { indexOf } from '../blocking/helpers.ts';
import { SECURITY_RULES } from '../../src/analysis/security/rules.ts';
import { LANGUAGES } from '../../src/languages/registry.ts';

type Hit = { l: number; r: string };

async function facts(path: string, source: string): Promise<{ sec: string[]; perf: string[] }> {
  const idx = await indexOf({ [path]: source });
  const f = idx.files[0].facts as { security?: { f: Hit[] }; performance?: { f: Hit[] } };
  assert.ok(f.security && f.performance, `${path}: security and performance facts`);
  return { sec: f.security.f.map((h) => `${h.l} ${h.r}`), perf: f.performance.f.map((h) => `${h.l} ${h.r}`) };
}

describe('security and performance facts of Java, C, C++, C#, Ruby and PHP', () => {
  it('every new language has security and performance collectors, and every rule id it reports has a page text', () => {
    for (const id of ['java', 'c', 'cpp', 'csharp', 'ruby', 'php']) {
      const l = LANGUAGES.find((x) => x.id === id)!;
      assert.ok(l.facts.security && l.facts.performance, id);
      for (const [rid, rule] of Object.entries(l.facts.securityRules ?? {})) assert.equal(SECURITY_RULES[rid], rule, `${id}: ${rid} merged`);
    }
  });

  it('Java: exec and SQL built by concatenation, ObjectInputStream, MD5; loop rules', async () => {
    const r = await facts('src/S.java', `class S {
  void f(List<String> items, String user) throws Exception {
    Runtime.getRuntime().exec("ls " + user);
    stmt.executeQuery("SELECT * FROM t WHERE u = '" + user + "'");
    Object o = new ObjectInputStream(in).readObject();
    MessageDigest.getInstance("MD5");
    String s = "";
    for (String x : items) {
      s += x;
      Pattern.compile("a+");
      for (String y : items) {}
      stmt.executeQuery(x);
    }
  }
  void ok(List<String> items, List<String> others, String user) throws Exception {
    PreparedStatement ps = conn.prepareStatement("SELECT * FROM t WHERE u = ?");
    new ProcessBuilder("git", "log").start();
    MessageDigest.getInstance("SHA-256");
    StringBuilder sb = new StringBuilder();
    for (String x : items) { sb.append(x); for (String y : others) {} }
  }
}
`);
    assert.deepEqual(r.sec, ['3 java-exec-built', '4 java-sql-built', '5 java-deserialize', '6 java-weak-hash', '17 java-exec']);
    assert.deepEqual(r.perf, ['9 perf-string-concat', '10 perf-regex-in-loop', '11 perf-nested-loop', '12 perf-query-in-loop']);
  });

  it('C: system, strcpy, sprintf, a non-literal format, gets; strcat, regcomp and fopen in a loop', async () => {
    const r = await facts('src/s.c', `void f(char *in, char **items, int n) {
  char buf[10];
  system(in);
  strcpy(buf, in);
  sprintf(buf, "%s", in);
  printf(in);
  gets(buf);
  for (int i = 0; i < n; i++) {
    strcat(buf, items[i]);
    regcomp(&re, "a", 0);
    fopen(items[i], "r");
  }
}
void ok(char *in, int n) {
  char buf[10];
  strcpy(buf, "\\"\\"");
  snprintf(buf, sizeof buf, "%s", in);
  printf("%s\\n", in);
  fgets(buf, sizeof buf, stdin);
  for (int i = 0; i < n; i++) buf[i] = 0;
}
`);
    assert.deepEqual(r.sec, ['3 c-system', '4 c-strcpy', '5 c-sprintf', '6 c-format', '7 c-gets', '9 c-strcpy', '16 c-strcpy-const']);
    assert.deepEqual(r.perf, ['9 perf-string-concat', '10 perf-regex-in-loop', '11 perf-io-in-loop']);
  });

  it('C++: the C rules, a std::regex and a std::ifstream constructed in a loop', async () => {
    const r = await facts('src/s.cc', `#include <regex>
void f(const std::vector<std::string>& names) {
  for (const auto& n : names) {
    std::regex re("a+");
    std::ifstream in(n);
    for (const auto& m : names) {}
  }
  system(cmd.c_str());
}
`);
    assert.deepEqual(r.sec, ['8 c-system']);
    assert.deepEqual(r.perf, ['4 perf-regex-in-loop', '5 perf-io-in-loop', '6 perf-nested-loop']);
  });

  it('C#: Process.Start and SqlCommand with built strings, BinaryFormatter, MD5; loop rules; parameters and StringBuilder are fine', async () => {
    const r = await facts('src/S.cs', `class S {
  void F(List<string> items, string user) {
    Process.Start("cmd", "/c dir " + user);
    var cmd = new SqlCommand("SELECT * FROM t WHERE u = '" + user + "'", conn);
    var bf = new BinaryFormatter();
    var h = MD5.Create();
    string s = "";
    foreach (var x in items) {
      s += x;
      var re = new Regex("a+");
      foreach (var y in items) {}
      _db.Orders.Find(x);
    }
  }
  void Ok(List<string> items, string user) {
    var cmd = new SqlCommand("SELECT * FROM t WHERE u = @u", conn);
    cmd.Parameters.AddWithValue("@u", user);
    var sb = new StringBuilder();
    foreach (var x in items) sb.Append(x);
  }
}
`);
    assert.deepEqual(r.sec, ['3 cs-process-built', '4 cs-sql-built', '5 cs-deserialize', '6 cs-weak-hash']);
    assert.deepEqual(r.perf, ['9 perf-string-concat', '10 perf-regex-in-loop', '11 perf-nested-loop', '12 perf-query-in-loop']);
  });

  it('Ruby: system with interpolation, Marshal.load, YAML.load, interpolated SQL; each-blocks are loops', async () => {
    const r = await facts('lib/s.rb', `def f(items, name)
  system("ls #{name}")
  Marshal.load(data)
  YAML.load(text)
  User.where("name = '#{name}'")
  s = ""
  items.each do |x|
    s += x
    Regexp.new("a")
    User.find(x)
    items.each { |y| y }
  end
end

def ok(items, name)
  system("git", "log", name)
  YAML.safe_load(text)
  User.where(name: name)
  buf = +""
  items.each { |x| buf << x }
end
`);
    assert.deepEqual(r.sec, ['2 rb-shell-built', '3 rb-marshal', '4 rb-yaml-load', '5 rb-sql-built']);
    assert.deepEqual(r.perf, ['8 perf-string-concat', '9 perf-regex-in-loop', '10 perf-query-in-loop', '11 perf-nested-loop']);
  });

  it('PHP: eval, exec with a variable, unserialize, SQL with a variable; I/O and queries in a loop', async () => {
    const r = await facts('src/s.php', `<?php
function f($items, $name) {
  eval($code);
  exec("ls " . $name);
  $o = unserialize($data);
  mysqli_query($db, "SELECT * FROM t WHERE n = '$name'");
  foreach ($items as $x) {
    file_get_contents($x);
    $this->db->query("SELECT * FROM t WHERE id = " . $x);
    foreach ($items as $y) {}
  }
}
function ok($items, $name) {
  exec('ls ' . escapeshellarg($name));
  $stmt = $pdo->prepare('SELECT * FROM t WHERE n = ?');
  $o = unserialize($data, ['allowed_classes' => false]);
  $s = '';
  foreach ($items as $x) { $s .= $x; }
}
`);
    // an escaped argument leaves a plain (low) shell-command finding
    assert.deepEqual(r.sec, ['3 php-eval', '4 php-exec-built', '5 php-unserialize', '6 php-sql-built', '9 php-sql-built', '14 php-exec']);
    assert.deepEqual(r.perf, ['8 perf-io-in-loop', '9 perf-query-in-loop', '10 perf-nested-loop']);
  });
});

describe('TIL techniques and design-pattern idioms of the new languages', () => {
  const fileOf = async (path: string, source: string) => (await indexOf({ [path]: source })).files[0];

  it('a Rack middleware is a middleware pattern; a block-taking method is a TIL technique (Ruby)', async () => {
    const { patternIndicators } = await import('../../src/targets/finders/pattern-analysis.ts');
    const { techniqueOf } = await import('../../src/targets/finders/til.ts');
    const f = await fileOf('lib/rack/runtime.rb', `module Rack
  class Runtime
    def initialize(app, name = nil)
      @app = app
    end

    def call(env)
      start = Time.now
      status, headers, body = @app.call(env)
      [status, headers, body]
    end

    def each_header
      @headers.each { |k, v| yield k, v }
    end
  end
end
`);
    const middleware = patternIndicators(f).find((p) => p.pattern === 'middleware');
    assert.ok(middleware, 'middleware fires');
    assert.deepEqual(middleware.participants.map((p) => p.name).sort(), ['Rack.Runtime.call', 'Rack.Runtime.initialize']);
    const each = f.symbols.find((s) => s.name === 'each_header')!;
    assert.equal(techniqueOf(each, f.symbols, 'ruby')?.name, 'block-taking method');
    // the language's techniques are only the file's own language's
    assert.equal(techniqueOf(each, f.symbols, 'python'), null);
  });

  it('a Java builder and static factories are a factory pattern; try-with-resources is a TIL technique', async () => {
    const { patternIndicators } = await import('../../src/targets/finders/pattern-analysis.ts');
    const { techniqueOf } = await import('../../src/targets/finders/til.ts');
    const f = await fileOf('src/main/java/demo/Spec.java', `package demo;
public final class Spec {
  private final String name;
  private Spec(Builder b) { this.name = b.name; }
  public static Spec of(String name) { return builder().name(name).build(); }
  public static Builder builder() { return new Builder(); }
  public static final class Builder {
    private String name;
    public Builder name(String n) { this.name = n; return this; }
    public Spec build() { return new Spec(this); }
  }
  void write(Path p) throws IOException {
    try (Writer w = Files.newBufferedWriter(p)) { w.write(name); }
  }
}
`);
    const factory = patternIndicators(f).find((p) => p.pattern === 'factory');
    assert.ok(factory, 'factory fires');
    assert.ok(factory.participants.some((p) => p.name.endsWith('.build')));
    const write = f.symbols.find((s) => s.name === 'write')!;
    assert.deepEqual(techniqueOf(write, f.symbols, 'java'), { name: 'try-with-resources', what: 'every resource declared in `try (...)` is closed when the block ends, in reverse order, even when it throws', lines: [write.startLine + 1], weight: 20 });
  });

  it('a C++ class with a constructor and a destructor is RAII', async () => {
    const { techniqueOf } = await import('../../src/targets/finders/til.ts');
    const f = await fileOf('src/mutexlock.hpp', `class MutexLock {
 public:
  explicit MutexLock(Mutex* mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() { mu_->Unlock(); }
 private:
  Mutex* const mu_;
};
`);
    const cls = f.symbols.find((s) => s.kind === 'class')!;
    assert.equal(techniqueOf(cls, f.symbols, f.language)?.name, 'RAII');
  });
});
