/**
 * One run of `job` at a time: asked while it runs, it runs once more after
 * it (however often it was asked), and the caller's promise resolves after
 * that run. For work that reads "everything pending" each time.
 */
export function coalesced(job: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      await job();
    } while (again);
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = loop().finally(() => {
      running = undefined;
    });
    return running;
  };
}
