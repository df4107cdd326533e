/**
 * Reading a file that should be a regular file, without trusting that it is (issue 11): a FIFO
 * or device named `*.md` must not block a libuv thread forever, and a huge file must not be read
 * whole. The file is opened with `O_NONBLOCK` (opening a FIFO returns at once), checked with
 * `fstat`, and read up to a size limit within a deadline.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The path is not a regular file, is too large, or did not read in time. */
export class UnsafeFileError extends Error {
  constructor(
    readonly file: string,
    readonly why: 'not a regular file' | 'too large' | 'timed out',
  ) {
    super(`${file}: ${why}; not read`);
    this.name = 'UnsafeFileError';
  }
}

/**
 * Read `file` as UTF-8 when it is a regular file of at most `maxBytes` bytes.
 * @param timeoutMs deadline for the whole read (default 10 s); a read still pending then is
 *   given up (its thread finishes on its own) and reported.
 * @throws UnsafeFileError (not regular, too large, timed out) or the fs error (missing, denied).
 */
export async function readRegularFile(file: string, maxBytes = 4 * 1024 * 1024, timeoutMs = 10_000): Promise<string> {
  // O_NONBLOCK: a FIFO without a writer opens at once instead of blocking a pool thread
  const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  let timer: NodeJS.Timeout | undefined;
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new UnsafeFileError(file, 'not a regular file');
    if (st.size > maxBytes) throw new UnsafeFileError(file, 'too large');
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UnsafeFileError(file, 'timed out')), timeoutMs);
    });
    return await Promise.race([fh.readFile({ encoding: 'utf8' }), deadline]);
  } finally {
    clearTimeout(timer);
    await fh.close().catch(() => undefined);
  }
}
