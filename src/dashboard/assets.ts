/**
 * The web page's files: everything in `src/dashboard/public/` plus Chart.js from
 * `node_modules`, read once into memory at start-up and served from there by exact name, so
 * no request path ever reaches the file system. The folder is found next to this module (tsx
 * runs, and `dist/` when the build copied it) or in `src/dashboard/public` of the package (a
 * `dist/` build that did not).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isDirectory() ?? false;
}

/**
 * The public folder's absolute path.
 * @throws Error when neither location exists (a broken install).
 */
export async function publicDir(): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'public'), path.resolve(here, '../../src/dashboard/public')];
  for (const c of candidates) if (await isDir(c)) return c;
  throw new Error(`dashboard web page files not found (looked in ${candidates.join(', ')})`);
}

/** Chart.js's UMD bundle, resolved through the package (its exports hide `dist/`). */
export function chartJsPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
}

/**
 * Load the page's files: `/index.html`, `/app.js`, … (URL path → file), and
 * `/vendor/chart.umd.js`.
 * @throws Error when the folder or Chart.js is missing.
 */
export async function loadAssets(): Promise<Map<string, Asset>> {
  const dir = await publicDir();
  const out = new Map<string, Asset>();
  const walk = async (d: string, prefix: string): Promise<void> => {
    for (const ent of await readdir(d, { withFileTypes: true })) {
      const full = path.join(d, ent.name);
      if (ent.isDirectory()) await walk(full, `${prefix}${ent.name}/`);
      else if (ent.isFile() && TYPES[path.extname(ent.name)]) {
        out.set(`/${prefix}${ent.name}`, { body: await readFile(full), type: TYPES[path.extname(ent.name)] });
      }
    }
  };
  await walk(dir, '');
  out.set('/vendor/chart.umd.js', { body: await readFile(chartJsPath()), type: TYPES['.js'] });
  return out;
}
