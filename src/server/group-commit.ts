/**
 * Joins writes that arrive together into one statement ("group commit"). Under load, every write in a
 * statement shares its parse, plan, round trip and commit, which is most of the cost of a small insert; when
 * the system is quiet a write goes alone at once (it waits for nothing but the current event-loop turn).
 *
 * `write` gets the batch and answers one result per item, in order. A failed batch is tried again item by
 * item, so one bad write fails alone, with its own error, and the others still land.
 */
export function createGroupCommit<In, Out>(options: {
  /** Most items in one statement; keeps the statement's size and the wait of its last item bounded. */
  maxBatch: number;
  /** Statements in flight at once (each holds a connection); writes arriving meanwhile form the next batch. */
  maxInFlight: number;
  write: (items: In[]) => Promise<Out[]>;
}): (item: In) => Promise<Out> {
  type Waiting = { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void };
  const queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function writeOne(waiting: Waiting) {
    try {
      const [out] = await options.write([waiting.item]);
      waiting.resolve(out as Out);
    } catch (error) {
      waiting.reject(error);
    }
  }

  async function flush(batch: Waiting[]) {
    try {
      const results = await options.write(batch.map((w) => w.item));
      for (const [i, w] of batch.entries()) w.resolve(results[i] as Out);
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error);
      else await Promise.all(batch.map(writeOne));
    }
  }

  function pump() {
    scheduled = false;
    while (inFlight < options.maxInFlight && queue.length > 0) {
      inFlight++;
      void flush(queue.splice(0, options.maxBatch)).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return (item) =>
    new Promise<Out>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // Writes parsed in the same event-loop turn join one statement.
      if (!scheduled) {
        scheduled = true;
        setImmediate(pump);
      }
    });
}
