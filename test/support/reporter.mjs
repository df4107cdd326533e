/**
 * The test suite's reporter for `node --test`: every failure in full as it happens (with the
 * file's captured output), then one line per test file, every skip with its reason, and one
 * summary line.
 * Node's TAP and spec reporters print a line per test (thousands); a reader needs to see
 * what failed, what was skipped and why, and the totals.
 */
import { relative } from 'node:path';
import { inspect } from 'node:util';

const rel = (f) => (f ? relative(process.cwd(), f) : '(no file)');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

export default async function* reporter(source) {
  const files = new Map(); // file -> { pass, fail, skip, stderr: string[] }
  const skips = [];
  const totals = {};
  let failures = 0;
  const of = (file) => {
    let f = files.get(file);
    if (!f) files.set(file, (f = { pass: 0, fail: 0, skip: 0, stderr: [] }));
    return f;
  };
  for await (const ev of source) {
    const d = ev.data ?? {};
    const isFileNode = d.file && d.name === d.file;
    switch (ev.type) {
      case 'test:stderr':
      case 'test:stdout':
        if (d.file) of(d.file).stderr.push(d.message);
        break;
      case 'test:pass':
        if (isFileNode) of(d.file).stderr = [];
        if (isFileNode || d.details?.type === 'suite') break;
        if (d.skip !== undefined) {
          of(d.file).skip += 1;
          skips.push(`  - ${rel(d.file)} › ${d.name}: ${typeof d.skip === 'string' ? d.skip : 'skipped'}`);
        } else of(d.file).pass += 1;
        break;
      case 'test:fail': {
        if (d.details?.type === 'suite') break; // its failing tests are reported themselves
        // a file that fails outside any test (a load error) is reported by its file node
        if (isFileNode && of(d.file).fail > 0) {
          of(d.file).stderr = [];
          break;
        }
        if (!isFileNode) of(d.file).fail += 1;
        failures += 1;
        const err = d.details?.error;
        const cause = err?.cause ?? err;
        const indent = (s) => s.replace(/^/gm, '    ');
        yield `\n✖ ${rel(d.file)} › ${d.name}\n${indent(inspect(cause, { depth: 4, colors: false }))}\n`;
        const captured = of(d.file).stderr.join('').trim();
        if (captured) yield `  output of ${rel(d.file)}:\n${indent(captured.slice(-4000))}\n`;
        of(d.file).stderr = [];
        break;
      }
      case 'test:complete':
        // a file's own node may complete before its tests' events arrive: lines are printed at the end
        if (isFileNode) Object.assign(of(d.file), { passed: d.details?.passed, ms: d.details?.duration_ms ?? 0 });
        break;
      case 'test:diagnostic': {
        const m = /^(\w+) ([\d.]+)$/.exec(d.message ?? '');
        if (m && d.nesting === 0) totals[m[1]] = Number(m[2]);
        else if (d.nesting === 0) yield `ℹ ${d.message}\n`;
        break;
      }
      default:
        break;
    }
  }
  yield '\n';
  for (const [file, f] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (f.passed === undefined) continue;
    yield `${f.passed ? '✔' : '✖'} ${rel(file)}  ${f.pass} passed${f.fail ? `, ${f.fail} failed` : ''}${f.skip ? `, ${f.skip} skipped` : ''}  ${secs(f.ms)}\n`;
  }
  if (skips.length) yield `\nskipped:\n${skips.join('\n')}\n`;
  const t = totals;
  yield `\n${failures || t.fail ? '✖ FAILED' : '✔ passed'}: ${t.tests ?? 0} tests, ${t.pass ?? 0} passed, ${t.fail ?? 0} failed, ${t.cancelled ?? 0} cancelled, ${t.skipped ?? 0} skipped in ${secs(t.duration_ms ?? 0)}\n`;
}
