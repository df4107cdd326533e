/**
 * The dashboard's first paint: the page is served with the counters already filled in and the
 * stats embedded, so the first frame shows real numbers instead of dashes while the page's
 * script loads and asks the API.
 */
import type { StatsResponse } from './types.ts';

/** The same formats as the page's script (`fmtInt`, `fmtPct` in `public/app.js`). */
const fmtInt = (n: number): string => n.toLocaleString('en-US');
const fmtPct = (n: number | null): string => (typeof n === 'number' ? `${n.toFixed(n >= 99.95 || n === 0 ? 0 : 1)}%` : '–');

/** JSON that can sit inside a `<script>` element: no `</script>`, no `<!--`. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * `index.html` with the counters of `stats` written in (elements `id="c-today"` … `id="c-grounding"`)
 * and `stats` as `<script type="application/json" id="initial-stats">` before `</body>`; the
 * connection pill reads "up to date" (the numbers are as of the request) until the page's script
 * opens the live feed. Numbers only reach the HTML, so nothing from the database is interpreted
 * as markup.
 */
export function withInitialState(html: string, stats: StatsResponse): string {
  const values: Record<string, string> = {
    'c-today': fmtInt(stats.today),
    'c-7': fmtInt(stats.last_7_days),
    'c-30': fmtInt(stats.last_30_days),
    'c-total': fmtInt(stats.total_documented),
    'c-success': fmtPct(stats.success_rate),
    'c-grounding': fmtPct(stats.grounding_rate),
  };
  let out = html;
  for (const [id, text] of Object.entries(values)) {
    out = out.replace(new RegExp(`(id="${id}"[^>]*>)–(<)`), `$1${text}$2`);
  }
  // the numbers are as fresh as the page: say so instead of "connecting" until the live feed opens
  out = out.replace(
    /<span id="conn" class="pill pill-wait"([^>]*)>connecting</,
    '<span id="conn" class="pill pill-live" data-first-paint="1"$1>up to date<',
  );
  return out.replace('</body>', `<script type="application/json" id="initial-stats">${scriptSafeJson(stats)}</script>\n</body>`);
}
