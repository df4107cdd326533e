// CodeWorm dashboard page: reads the JSON API, follows /api/events (server-sent events) and
// updates in place. Untrusted strings go through textContent; the only innerHTML is a page
// the server already sanitised (and the CSP forbids inline script besides).

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 25;
const LOG_MAX = 400;

const state = {
  labels: {}, // doc_type -> label
  feedOffset: 0,
  feedTotal: 0,
  nextCycleAt: null,
  cycleRunning: false,
  charts: {},
  knownIds: new Set(),
  statsJson: '',
};

// ---------- helpers ----------

async function api(path) {
  const res = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (res.status === 401) {
    location.href = '/login';
    throw new Error('unauthorized');
  }
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

const fmtInt = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '–');
const fmtPct = (n) => (typeof n === 'number' ? `${n.toFixed(n >= 99.95 || n === 0 ? 0 : 1)}%` : '–');
const label = (t) => state.labels[t] || String(t || '').replace(/_/g, ' ');

function parseTime(s) {
  if (!s) return null;
  const t = Date.parse(String(s));
  return Number.isNaN(t) ? null : new Date(t);
}

function ago(s) {
  const d = parseTime(s);
  if (!d) return String(s || '');
  const sec = Math.round((Date.now() - d.getTime()) / 1000);
  if (sec < 45) return 'just now';
  if (sec < 3600) return `${Math.round(sec / 60)} min ago`;
  if (sec < 86400) return `${Math.round(sec / 3600)} h ago`;
  if (sec < 86400 * 30) return `${Math.round(sec / 86400)} d ago`;
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

function pick(data, ...keys) {
  for (const k of keys) {
    const v = data && data[k];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

// ---------- counters ----------

function setValue(id, text) {
  const node = $(id);
  if (node.textContent === text) return;
  node.textContent = text;
  node.classList.remove('flash');
  void node.offsetWidth; // restart the animation
  node.classList.add('flash');
}

function applyStats(s) {
  const json = JSON.stringify(s);
  if (json === state.statsJson) return;
  state.statsJson = json;
  setValue('c-today', fmtInt(s.today));
  setValue('c-7', fmtInt(s.last_7_days));
  setValue('c-30', fmtInt(s.last_30_days));
  setValue('c-total', fmtInt(s.total_documented));
  setValue('c-success', fmtPct(s.success_rate));
  setValue('c-grounding', fmtPct(s.grounding_rate));
  if (s.next_cycle) state.nextCycleAt = parseTime(s.next_cycle.at);
  drawCharts(s);
}

// ---------- charts ----------

const PALETTE = ['#3fb950', '#58a6ff', '#bc8cff', '#d29922', '#f778ba', '#39c5cf', '#ff7b72', '#a5d6ff', '#7ee787', '#e3b341', '#d2a8ff', '#56d364'];

function drawCharts(s) {
  if (!window.Chart) return;
  const Chart = window.Chart;
  Chart.defaults.color = '#8b949e';
  Chart.defaults.borderColor = '#30363d';
  Chart.defaults.font.family = 'system-ui, sans-serif';

  const types = Object.entries(s.by_doc_type || {}).sort((a, b) => b[1] - a[1]);
  const typeData = { labels: types.map(([t]) => label(t)), datasets: [{ data: types.map(([, n]) => n), backgroundColor: types.map((_, i) => PALETTE[i % PALETTE.length]), borderRadius: 4, maxBarThickness: 22 }] };
  if (state.charts.types) {
    state.charts.types.data = typeData;
    state.charts.types.update();
  } else {
    state.charts.types = new Chart($('chart-types'), {
      type: 'bar',
      data: typeData,
      options: {
        indexAxis: 'y', maintainAspectRatio: false, animation: { duration: 300 },
        plugins: { legend: { display: false } },
        scales: { x: { grid: { color: '#21262d' }, ticks: { precision: 0 } }, y: { grid: { display: false } } },
      },
    });
  }

  const langs = Object.entries(s.by_language || {}).sort((a, b) => b[1] - a[1]);
  const langData = { labels: langs.map(([l]) => l), datasets: [{ data: langs.map(([, n]) => n), backgroundColor: langs.map((_, i) => PALETTE[i % PALETTE.length]), borderColor: '#161b22', borderWidth: 2 }] };
  if (state.charts.langs) {
    state.charts.langs.data = langData;
    state.charts.langs.update();
  } else {
    state.charts.langs = new Chart($('chart-langs'), {
      type: 'doughnut',
      data: langData,
      options: { maintainAspectRatio: false, cutout: '62%', animation: { duration: 300 }, plugins: { legend: { position: 'right', labels: { boxWidth: 12, padding: 10 } } } },
    });
  }
}

// ---------- heatmap (last year, weeks as columns like a contribution calendar) ----------

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  return n;
}

async function drawHeatmap() {
  const days = await api('/api/activity?days=371');
  const counts = days.map((d) => d.count).filter((n) => n > 0).sort((a, b) => a - b);
  const q = (p) => (counts.length ? counts[Math.min(counts.length - 1, Math.floor(p * counts.length))] : 1);
  const cuts = [q(0.25), q(0.5), q(0.75)];
  const level = (n) => (n <= 0 ? 0 : n <= cuts[0] ? 1 : n <= cuts[1] ? 2 : n <= cuts[2] ? 3 : 4);
  const colors = ['#1b222c', '#0e4429', '#006d32', '#26a641', '#39d353'];

  // start on the Sunday 52 weeks before this week's Sunday
  const first = new Date(days[0].date + 'T12:00:00');
  const offset = first.getDay();
  const cell = 11;
  const gap = 3;
  const left = 28;
  const top = 16;
  const weeks = Math.ceil((days.length + offset) / 7);
  const root = svg('svg', { viewBox: `0 0 ${left + weeks * (cell + gap)} ${top + 7 * (cell + gap)}`, role: 'img', 'aria-label': 'pages per day, last year' });
  ['Mon', 'Wed', 'Fri'].forEach((name, i) => {
    const t = svg('text', { x: 0, y: top + (i * 2 + 1) * (cell + gap) + cell - 2 });
    t.textContent = name;
    root.append(t);
  });
  // a month's label sits over its first full week; a label less than 3 weeks after the previous
  // one would overlap it, so the earlier (a partial first month) gives way
  let lastMonth = -1;
  let lastLabel = null;
  let lastLabelCol = -10;
  let total = 0;
  days.forEach((d, i) => {
    const pos = i + offset;
    const col = Math.floor(pos / 7);
    const row = pos % 7;
    const date = new Date(d.date + 'T12:00:00');
    if (row === 0 || i === 0) {
      const m = date.getMonth();
      if (m !== lastMonth && col < weeks - 1) {
        if (lastLabel && col - lastLabelCol < 3) lastLabel.remove();
        const t = svg('text', { x: left + col * (cell + gap), y: 10, class: 'month' });
        t.textContent = date.toLocaleDateString('en-US', { month: 'short' });
        root.append(t);
        lastMonth = m;
        lastLabel = t;
        lastLabelCol = col;
      }
    }
    total += d.count;
    const r = svg('rect', { x: left + col * (cell + gap), y: top + row * (cell + gap), width: cell, height: cell, fill: colors[level(d.count)], 'data-date': d.date, 'data-count': d.count });
    const title = svg('title');
    title.textContent = `${d.count} page${d.count === 1 ? '' : 's'} on ${date.toLocaleDateString('en-US', { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' })}`;
    r.append(title);
    root.append(r);
  });
  $('heatmap').replaceChildren(root);
  const scroller = $('heatmap').parentElement;
  scroller.scrollLeft = scroller.scrollWidth; // phones: show the recent weeks first
  $('heat-sum').textContent = `${fmtInt(total)} pages in the last year`;
}

// ---------- feed ----------

function feedEntry(item, isNew) {
  const a = el(
    'a',
    { href: `#/doc/${encodeURIComponent(item.id)}`, dataset: { id: item.id }, 'data-testid': 'feed-entry' },
    el('span', { class: 'badge', text: label(item.doc_type) }),
    el('span', { class: 'title', text: item.title }),
    el('span', { class: 'when', text: ago(item.documented_at), title: String(item.documented_at), dataset: { at: String(item.documented_at) } }),
    el('span', { class: 'where' }, item.git_commit ? el('span', { class: 'commit', text: `${item.git_commit} ` }) : null, `${item.source_repo} · ${item.source_file}`),
  );
  const li = el('li', { class: isNew ? 'new' : '' }, a);
  return li;
}

function feedQuery(offset) {
  const p = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
  if ($('f-repo').value) p.set('repo', $('f-repo').value);
  if ($('f-type').value) p.set('doc_type', $('f-type').value);
  return `/api/recent?${p}`;
}

async function loadFeed({ append = false, markNew = false } = {}) {
  const offset = append ? state.feedOffset : 0;
  const page = await api(feedQuery(offset));
  const list = $('feed');
  if (!append) list.replaceChildren();
  for (const item of page.items) {
    const isNew = markNew && !state.knownIds.has(item.id);
    state.knownIds.add(item.id);
    list.append(feedEntry(item, isNew));
  }
  if (!list.children.length) list.append(el('li', { class: 'empty', text: 'No pages yet. The worm is hungry.' }));
  state.feedOffset = offset + page.items.length;
  state.feedTotal = page.total;
  $('more').classList.toggle('hidden', state.feedOffset >= page.total);
}

// ---------- repositories ----------

async function loadRepos() {
  const repos = await api('/api/repos');
  const body = $('repos');
  body.replaceChildren();
  const repoSelect = $('f-repo');
  const chosen = repoSelect.value;
  repoSelect.replaceChildren(el('option', { value: '', text: 'all repositories' }));
  for (const r of repos) {
    repoSelect.append(el('option', { value: r.name, text: r.name }));
    const cov = typeof r.coverage === 'number' ? r.coverage : null;
    const covCell = el('td');
    if (cov === null) covCell.append(el('span', { class: 'muted small', text: 'unknown' }));
    else {
      const bar = el('span', { class: 'bar', title: `${r.documented_candidates} of ${r.candidates} candidate functions` }, el('span'));
      bar.firstChild.style.width = `${(cov * 100).toFixed(1)}%`;
      covCell.append(el('div', { class: 'cov' }, bar, el('span', { class: 'pct', text: `${Math.round(cov * 100)}%` })));
    }
    body.append(
      el(
        'tr',
        {},
        el('td', { class: 'name', text: r.name + (r.enabled === false ? ' (disabled)' : '') }),
        el('td', { class: 'num', text: fmtInt(r.documents) }),
        el('td', { class: 'muted', text: r.last_activity ? ago(r.last_activity) : '—', title: r.last_activity || '' }),
        covCell,
      ),
    );
  }
  if (!repos.length) body.append(el('tr', {}, el('td', { class: 'muted', colspan: '4', text: 'No repositories configured.' })));
  repoSelect.value = chosen;
}

// fleet mode (storage.url): queue, workers and their LLM hosts, throughput, failures
async function loadFleet() {
  const f = await api('/api/fleet');
  const card = $('fleet-card');
  if (!f.enabled) {
    card.classList.add('hidden');
    return false;
  }
  card.classList.remove('hidden');
  const body = $('fleet-workers');
  const failures = $('fleet-failures');
  body.replaceChildren();
  failures.replaceChildren();
  if (f.error || f.empty) {
    $('fleet-summary').textContent = f.error || 'no fleet run yet';
    return true;
  }
  const t = f.targets;
  $('fleet-summary').textContent =
    `${fmtInt(t.queued)} queued · ${fmtInt(t.generating)} generating · ${fmtInt(t.generated)} to publish · ${fmtInt(t.published)} published · ${fmtInt(t.failed)} failed · ` +
    `${f.throughput.last10MinPerMinute.toFixed(1)} pages/min`;
  for (const w of f.workers) {
    body.append(
      el(
        'tr',
        { class: w.alive ? '' : 'muted' },
        el('td', { class: 'name mono', text: w.id }),
        el('td', { class: 'mono', text: w.llm + (w.hostDown ? ` (out: ${w.hostDown})` : '') }),
        el('td', { class: 'num', text: fmtInt(w.busy) }),
        el('td', { class: 'num', text: fmtInt(w.generated) }),
        el('td', { class: 'num', text: fmtInt(w.failed) }),
        el('td', { class: 'muted', text: w.alive ? `${w.lastSeenSeconds} s ago` : 'gone' }),
      ),
    );
  }
  if (!f.workers.length) body.append(el('tr', {}, el('td', { class: 'muted', colspan: '6', text: 'No worker has started.' })));
  for (const x of f.recentFailures) failures.append(el('li', { text: `${x.target}: ${x.error}` }));
  return true;
}

async function loadDocTypes() {
  const types = await api('/api/doc_types');
  const sel = $('f-type');
  for (const t of types) {
    state.labels[t.doc_type] = t.label;
    sel.append(el('option', { value: t.doc_type, text: t.label }));
  }
}

// ---------- rendered page panel ----------

async function openDoc(id) {
  const panel = $('doc');
  const body = $('doc-body');
  body.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
  panel.classList.remove('hidden');
  panel.setAttribute('aria-hidden', 'false');
  $('scrim').classList.remove('hidden');
  try {
    const doc = await api(`/api/docs/${encodeURIComponent(id)}`);
    $('doc-type').textContent = label(doc.doc_type);
    $('doc-where').textContent = `${doc.source_repo} · ${doc.snippet_path}`;
    body.innerHTML = doc.html; // sanitised by the server (marked → js-xss allow-list)
    for (const a of body.querySelectorAll('a[href]')) {
      if (!a.getAttribute('href').startsWith('#')) {
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
      }
    }
    body.scrollTop = 0;
  } catch (err) {
    body.replaceChildren(el('p', { class: 'muted', text: `This page cannot be shown (${err.message}).` }));
  }
}

function closeDoc() {
  $('doc').classList.add('hidden');
  $('doc').setAttribute('aria-hidden', 'true');
  $('scrim').classList.add('hidden');
}

function route() {
  const m = /^#\/doc\/(.+)$/.exec(location.hash);
  if (m) openDoc(decodeURIComponent(m[1]));
  else closeDoc();
}

// ---------- live log and current activity ----------

const PHASES = {
  cycle_starting: ['starting', 'busy'],
  analyzing: ['analyzing', 'busy'],
  generating: ['generating', 'busy'],
  documentation_committed: ['committed', 'ok'],
  cycle_skipped: ['skipped', ''],
  cycle_failed: ['failed', 'bad'],
  daemon_started: ['started', 'ok'],
  daemon_stopping: ['stopping', 'bad'],
};

/** The detail shown after an event's kind in the live log (the kind itself is shown apart). */
function describe(ev) {
  const d = ev.data || {};
  const target = pick(d, 'target', 'display_name', 'name', 'function_name', 'file');
  const type = pick(d, 'doc_type', 'docType');
  const repo = pick(d, 'repo', 'source_repo');
  const parts = (...xs) => xs.filter(Boolean).join(' ');
  switch (ev.type) {
    case 'log':
      return String(pick(d, 'msg', 'message', 'event', 'text') ?? JSON.stringify(d));
    case 'cycle_starting':
      return type ? label(type) : '';
    case 'analyzing':
      return parts(target, repo ? `in ${repo}` : '');
    case 'generating':
      return parts(type ? label(type) : '', target ? `for ${target}` : '');
    case 'documentation_committed':
      return parts(pick(d, 'commit', 'git_commit') || '', pick(d, 'message', 'commit_message') || target || '');
    case 'cycle_skipped':
    case 'cycle_failed':
      return String(pick(d, 'reason', 'error') || '');
    case 'next_cycle': {
      const at = nextCycleTime(ev);
      return at ? `at ${at.toLocaleTimeString()}` : 'none scheduled';
    }
    case 'stats': {
      if (Array.isArray(d.coverage)) return `coverage of ${d.coverage.length} repositor${d.coverage.length === 1 ? 'y' : 'ies'} updated`;
      const total = pick(d, 'total', 'total_cycles');
      const rate = pick(d, 'successRate', 'success_rate');
      return typeof total === 'number' ? parts(`${total} cycles`, typeof rate === 'number' ? `· ${rate}% successful` : '') : '';
    }
    default:
      return String(target || '');
  }
}

function nextCycleTime(ev) {
  const d = ev.data || {};
  const at = pick(d, 'at', 'next_cycle', 'next_run', 'scheduled_for', 'time');
  if (typeof at === 'string') return parseTime(at);
  if (typeof at === 'number' && at > 1e12) return new Date(at);
  const secs = pick(d, 'in_seconds', 'seconds', 'delay_seconds');
  if (typeof secs === 'number') return new Date((parseTime(ev.ts) || new Date()).getTime() + secs * 1000);
  return null;
}

function appendLog(ev) {
  const list = $('log');
  const empty = list.querySelector('.empty');
  if (empty) empty.remove();
  const t = parseTime(ev.ts) || new Date();
  const level = String((ev.data && ev.data.level) || '').toLowerCase();
  const li = el(
    'li',
    { class: `${ev.type} ${level ? `lv-${level}` : ''}`, 'data-testid': 'log-line' },
    el('time', { datetime: t.toISOString(), text: t.toLocaleTimeString('en-GB', { hour12: false }) }),
    el('span', { class: 'msg' }, el('span', { class: 'kind', text: ev.type === 'log' ? level || 'log' : ev.type.replace(/_/g, ' ') }), describe(ev)),
  );
  list.append(li);
  while (list.children.length > LOG_MAX) list.firstChild.remove();
  if ($('follow').checked) list.scrollTop = list.scrollHeight;
}

function applyActivity(ev) {
  const phase = PHASES[ev.type];
  if (ev.type === 'next_cycle') state.nextCycleAt = nextCycleTime(ev); // null: nothing scheduled
  if (!phase) return;
  const d = ev.data || {};
  // between cycle_starting and its outcome the header says so instead of counting down
  state.cycleRunning = phase[1] === 'busy';
  tickCountdown();
  $('phase').textContent = phase[0];
  $('phase-dot').className = `dot ${phase[1]}`;
  const target = pick(d, 'target', 'display_name', 'name', 'function_name', 'file');
  if (target || ev.type === 'cycle_starting') $('target').textContent = target ? String(target) : '—';
  const type = pick(d, 'doc_type', 'docType');
  const badge = $('target-type');
  if (type) {
    badge.textContent = label(type);
    badge.classList.remove('hidden');
  } else if (ev.type === 'cycle_starting') badge.classList.add('hidden');
}

let refreshTimer = null;
function refreshAfterCommit() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    loadFeed({ markNew: true }).catch(console.error);
    drawHeatmap().catch(console.error);
    loadRepos().catch(console.error);
  }, 150);
}

function onEvent(ev) {
  appendLog(ev);
  applyActivity(ev);
  if (ev.type === 'documentation_committed') refreshAfterCommit();
}

function connect() {
  const source = new EventSource('/api/events');
  const conn = $('conn');
  source.addEventListener('open', () => {
    conn.textContent = 'live';
    conn.className = 'pill pill-live';
  });
  source.addEventListener('error', () => {
    conn.textContent = 'reconnecting';
    conn.className = 'pill pill-wait';
    // a refused stream (503: too many open, 401: signed out) is not retried by the browser
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 15_000);
  });
  source.addEventListener('backlog', (m) => {
    $('log').replaceChildren();
    const events = JSON.parse(m.data);
    for (const ev of events) {
      appendLog(ev);
      applyActivity(ev);
    }
    if (!events.length) $('log').append(el('li', { class: 'empty', text: 'Waiting for the worm…' }));
  });
  source.addEventListener('codeworm', (m) => onEvent(JSON.parse(m.data)));
  source.addEventListener('dashboard_stats', (m) => applyStats(JSON.parse(m.data)));
}

function tickCountdown() {
  const out = $('countdown');
  if (state.cycleRunning) {
    out.textContent = 'in progress';
    out.title = '';
    return;
  }
  if (!state.nextCycleAt) {
    out.textContent = '—';
    return;
  }
  const sec = Math.round((state.nextCycleAt.getTime() - Date.now()) / 1000);
  if (sec <= 0) {
    out.textContent = 'due';
    return;
  }
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  const pad = (n) => String(n).padStart(2, '0');
  out.textContent = h ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
  out.title = state.nextCycleAt.toLocaleString();
}

// ---------- start ----------

/** The stats embedded in the page by the server (`src/dashboard/first-paint.ts`), or null. */
function initialStats() {
  const node = document.getElementById('initial-stats');
  if (!node) return null;
  try {
    return JSON.parse(node.textContent || 'null');
  } catch {
    return null;
  }
}

async function main() {
  $('doc-close').addEventListener('click', () => {
    history.pushState(null, '', location.pathname);
    closeDoc();
  });
  $('scrim').addEventListener('click', () => $('doc-close').click());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('doc').classList.contains('hidden')) $('doc-close').click();
  });
  window.addEventListener('hashchange', route);
  $('more').addEventListener('click', () => loadFeed({ append: true }).catch(console.error));
  $('f-repo').addEventListener('change', () => loadFeed().catch(console.error));
  $('f-type').addEventListener('change', () => loadFeed().catch(console.error));

  // the server sent the numbers with the page: show them before anything else loads, then go
  // live as soon as the doc types' labels are known
  const first = initialStats();
  if (first) applyStats(first);
  await loadDocTypes().catch(console.error);
  state.statsJson = ''; // redraw the charts with the doc types' labels
  if (first) applyStats(first);
  connect();
  api('/api/session')
    .then((s) => $('signout').classList.toggle('hidden', s.via !== 'session'))
    .catch(console.error);
  loadFleet()
    .then((on) => on && setInterval(() => loadFleet().catch(console.error), 10_000))
    .catch(console.error);
  const [stats] = await Promise.all([api('/api/stats'), loadFeed(), drawHeatmap(), loadRepos()]);
  applyStats(stats);
  route();
  setInterval(tickCountdown, 1000);
  // keep "3 min ago" honest without reloading the feed
  setInterval(() => {
    for (const n of document.querySelectorAll('.feed .when[data-at]')) n.textContent = ago(n.dataset.at);
  }, 30_000);
  tickCountdown();
  document.body.dataset.ready = 'true';
}

// a module script runs once the document is parsed (and after the deferred Chart.js): no need to
// wait for the load event, which also waits for images and fonts
main().catch((err) => {
  console.error(err);
  document.body.dataset.ready = 'error';
});
