// Long core jobs (an import, the monthly run) hold the database until they answer; their progress
// is read from a separate command while they run. One way to do that for every progress bar.

const POLL_MS = 150;

/** Runs `job`, polling `read` for the progress bar meanwhile (a failed read only means the bar
 *  waits a little longer: the job's own answer tells what happened). Polling has stopped when
 *  this returns or throws. */
export async function withProgress<T, P>(job: () => Promise<T>, read: () => Promise<P | null>, show: (p: P) => void): Promise<T> {
  let polling = true;
  const poller = (async () => {
    while (polling) {
      try {
        const p = await read();
        if (polling && p) show(p);
      } catch {
        // See above.
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();
  try {
    return await job();
  } finally {
    polling = false;
    await poller;
  }
}
