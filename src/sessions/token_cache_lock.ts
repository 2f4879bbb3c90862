/**
 * An exclusive lock shared by threads of control in this process and by other
 * processes: an in-process queue per lock file, then an advisory OS lock on it.
 *
 * @module
 */

/** Tail of the in-process queue for each lock file path. */
const queues = new Map<string, Promise<void>>();

const FIRST_DELAY_MS = 1;
const MAX_DELAY_MS = 25;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function acquireFileLock(lockPath: string, timeoutMs: number): Promise<Deno.FsFile> {
  const file = await Deno.open(lockPath, { read: true, write: true, create: true, mode: 0o600 });
  try {
    const deadline = Date.now() + timeoutMs;
    let delay = FIRST_DELAY_MS;
    while (!(await file.tryLock(true))) {
      if (Date.now() >= deadline) {
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for the token cache lock ${lockPath}; ` +
            "another taiga-mcp process may be stuck holding it",
        );
      }
      // Jitter keeps several waiting processes from retrying in lockstep.
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}

/**
 * Runs `fn` while holding an exclusive lock on `lockPath` (created with mode
 * 0600 if missing). Callers in this process are queued first, so the OS lock
 * is only contended between processes.
 *
 * @throws {Error} when the lock is not obtained within `timeoutMs`.
 */
export async function withFileLock<T>(
  lockPath: string,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  const previous = queues.get(lockPath) ?? Promise.resolve();
  let release = (): void => {};
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  queues.set(lockPath, tail);
  try {
    await previous;
    const file = await acquireFileLock(lockPath, timeoutMs);
    try {
      return await fn();
    } finally {
      file.close();
    }
  } finally {
    release();
    if (queues.get(lockPath) === tail) queues.delete(lockPath);
  }
}
