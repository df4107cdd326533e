/**
 * A small but realistic Python + TypeScript repository for cycle and finder tests: a package
 * with an entry file, classes with methods, branching functions, an async handler calling a
 * sync helper that writes a file, an observer, and a history of several commits.
 */
import { commitAll, makeRepo, writeFiles } from './git-repo.ts';

const branchy = (name: string, extra = '') => `def ${name}(items, limit=10, verbose=False):
    """Filter and summarise items${extra}."""
    result = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, str) and item.startswith("#"):
            if verbose:
                print("skip", item)
            continue
        elif isinstance(item, int) and item > limit:
            result.append(limit)
        else:
            result.append(item)
    total = 0
    for value in result:
        if isinstance(value, int):
            total += value
    return {"items": result, "total": total}
`;

export const SAMPLE_FILES: Record<string, string> = {
  'app/__init__.py': '"""The sample app."""\nfrom .store import Store\nfrom .events import EventBus\n\n__all__ = ["Store", "EventBus"]\n',
  'app/store.py': `"""Persistence for the sample app."""
import json
import sqlite3


class Store:
    """Stores records in SQLite."""

    def __init__(self, path):
        self.path = path
        self.conn = sqlite3.connect(path)

    def save(self, record):
        cur = self.conn.cursor()
        cur.execute("INSERT INTO records VALUES (?)", (json.dumps(record),))
        self.conn.commit()
        return cur.lastrowid

    def delete(self, record_id):
        self.conn.execute("DELETE FROM records WHERE id = ?", (record_id,))
        self.conn.commit()

    def find_all(self, limit=100):
        rows = self.conn.execute("SELECT body FROM records LIMIT ?", (limit,)).fetchall()
        out = []
        for (body,) in rows:
            try:
                out.append(json.loads(body))
            except ValueError:
                continue
        return out

    def get_by_id(self, record_id):
        row = self.conn.execute("SELECT body FROM records WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            return None
        return json.loads(row[0])
`,
  'app/events.py': `"""A tiny observer."""


class EventBus:
    def __init__(self):
        self._listeners = {}

    def subscribe(self, name, callback):
        self._listeners.setdefault(name, []).append(callback)

    def unsubscribe(self, name, callback):
        if callback in self._listeners.get(name, []):
            self._listeners[name].remove(callback)

    def emit(self, name, payload):
        for callback in list(self._listeners.get(name, [])):
            try:
                callback(payload)
            except Exception as exc:
                print("listener failed", exc)
`,
  'app/handlers.py': `"""Request handlers."""
import asyncio
import time


def _append_to_log(path, line):
    with open(path, "a") as f:
        f.write(line + "\\n")


async def fetch_status(session, url):
    await asyncio.sleep(0)
    return url


async def handle_request(request, log_path, retries=3):
    """Handle one request and log it."""
    attempt = 0
    while attempt < retries:
        attempt += 1
        status = await fetch_status(request, request.get("url"))
        if status is None:
            time.sleep(0.1)
            continue
        if request.get("verbose"):
            _append_to_log(log_path, "verbose " + str(status))
        elif request.get("quiet"):
            pass
        else:
            _append_to_log(log_path, str(status))
        return status
    return None
`,
  'app/filters.py': `"""Filters."""\n\n${branchy('filter_items')}\n\n${branchy('filter_other', ' again')}`,
  'web/index.ts': `export { greet } from './greet';\nexport const VERSION = '1.0';\n`,
  'web/greet.ts': `export function greet(name: string, loud = false): string {
  if (!name) {
    return 'hello';
  }
  const parts: string[] = [];
  for (const p of name.split(' ')) {
    if (p.length > 3 && loud) {
      parts.push(p.toUpperCase());
    } else if (p.length > 0) {
      parts.push(p);
    } else {
      continue;
    }
  }
  const joined = parts.join(' ');
  const suffix = loud ? '!' : '.';
  const greeting = 'hello ' + joined + suffix;
  const trimmed = greeting.trim();
  return trimmed.length > 80 ? trimmed.slice(0, 80) : trimmed;
}
`,
};

/** Build the sample repository with two commits a few days apart; returns its path. */
export async function makeSampleRepo(): Promise<string> {
  const day = 86_400_000;
  const first = { ...SAMPLE_FILES };
  delete first['app/filters.py'];
  const dir = await makeRepo(first, { date: new Date(Date.now() - 5 * day), message: 'Add store, events and handlers' });
  await writeFiles(dir, { 'app/filters.py': SAMPLE_FILES['app/filters.py'] });
  await commitAll(dir, 'Add filters', new Date(Date.now() - 2 * day));
  return dir;
}
