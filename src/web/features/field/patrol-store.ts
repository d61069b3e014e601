import { type PatrolPoint, POINT_INTERVAL_MS } from '../../../shared/patrols.ts';
import { ApiError } from '../../api/client.ts';
import { newClientKey } from '../../api/client-key.ts';
import { indexedDbCacheStore, type KeyValueStore } from './inspection-cache.ts';

/**
 * Patrols kept on the phone (日巡查): the start, every recorded point and the end are written to IndexedDB first
 * and sent when there is signal, like the outbox's reports. The patrol's key is chosen here, so a patrol started
 * without signal has a name at once; each point carries a sequence number, so a batch whose answer was lost is
 * sent again and stored once. A patrol is forgotten once its start, points and end have all been acknowledged.
 */
export interface LocalPatrol {
  key: string;
  owner: number;
  startedAt: string;
  endedAt: string | null;
  startSent: boolean;
  endSent: boolean;
  /** Points not yet acknowledged by the server, oldest first. */
  pending: PatrolPoint[];
  nextSeq: number;
  /** Points recorded, and of them acknowledged. */
  recorded: number;
  sent: number;
  /** Points the server refused (a wrong clock): dropped so the rest can go, counted for the user to see. */
  refused: number;
  last: { lon: number; lat: number; at: string } | null;
  /** Distance walked, estimated on the phone (the server's figure is thinned and authoritative). */
  distanceM: number;
  error: string | null;
}

/** How the store reaches the server; the real one calls the API, tests give their own. */
export interface PatrolSender {
  start(key: string, startedAt: string): Promise<unknown>;
  points(key: string, points: PatrolPoint[]): Promise<unknown>;
  end(key: string, endedAt: string): Promise<unknown>;
}

/** At most this many points per request (the server's cap is 500). */
const SLICE = 200;

const keyOf = (owner: number, key: string) => `patrol:${owner}:${key}`;

function metresBetween(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether a failure may pass by itself (no signal, server busy or down): then the same request is sent later. */
function transient(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return (
    error.status === 0 ||
    error.status === 401 ||
    error.status === 408 ||
    error.status === 429 ||
    error.status >= 500
  );
}

export type PatrolStore = ReturnType<typeof createPatrolStore>;

export function createPatrolStore(store: KeyValueStore, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  const listeners = new Set<() => void>();
  let running: Promise<boolean> | null = null;
  let rerun = false;
  // One change at a time: a point recorded while a batch is being sent must not be lost by either write.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const changed = () => {
    for (const listener of listeners) listener();
  };

  async function list(owner: number): Promise<LocalPatrol[]> {
    const prefix = `patrol:${owner}:`;
    const found: LocalPatrol[] = [];
    for (const key of await store.keys()) {
      if (!key.startsWith(prefix)) continue;
      const patrol = await store.get<LocalPatrol>(key);
      if (patrol) found.push(patrol);
    }
    return found.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  const save = async (patrol: LocalPatrol) => {
    await store.set(keyOf(patrol.owner, patrol.key), patrol);
    changed();
  };
  const load = (owner: number, key: string) => store.get<LocalPatrol>(keyOf(owner, key));

  /**
   * Sends what waits, patrol by patrol: start, points in slices, end. Stops at the first failure that may pass
   * by itself (tried again later); a refusal of points drops them (counted), so one bad clock reading cannot
   * hold back the rest of the track. Requests go out without holding the store, so recording never waits on
   * the network; each answer is then applied to the patrol as it stands.
   */
  async function sendOnce(owner: number, sender: PatrolSender): Promise<boolean> {
    const update = (key: string, change: (patrol: LocalPatrol) => void) =>
      serial(async () => {
        const patrol = await load(owner, key);
        if (!patrol) return;
        change(patrol);
        await save(patrol);
      });
    for (const { key } of await list(owner)) {
      try {
        let patrol = await load(owner, key);
        if (patrol && !patrol.startSent) {
          await sender.start(key, patrol.startedAt);
          await update(key, (p) => {
            p.startSent = true;
          });
        }
        for (;;) {
          patrol = await load(owner, key);
          const slice = patrol?.pending.slice(0, SLICE) ?? [];
          if (slice.length === 0) break;
          const seqs = new Set(slice.map((point) => point.seq));
          try {
            await sender.points(key, slice);
            await update(key, (p) => {
              p.pending = p.pending.filter((point) => !seqs.has(point.seq));
              p.sent += slice.length;
            });
          } catch (error) {
            if (transient(error)) throw error;
            // The server does not know the patrol (its start was lost): start it again next time.
            if (error instanceof ApiError && error.status === 404) {
              await update(key, (p) => {
                p.startSent = false;
              });
              throw error;
            }
            await update(key, (p) => {
              p.pending = p.pending.filter((point) => !seqs.has(point.seq));
              p.refused += slice.length;
              p.error = error instanceof Error ? error.message : String(error);
            });
          }
        }
        patrol = await load(owner, key);
        if (patrol?.endedAt && !patrol.endSent) {
          await sender.end(key, patrol.endedAt);
          await update(key, (p) => {
            p.endSent = true;
          });
        }
        await serial(async () => {
          const done = await load(owner, key);
          if (done?.endSent && done.pending.length === 0) {
            await store.del(keyOf(owner, key));
            changed();
          }
        });
      } catch (error) {
        if (transient(error)) return false;
        await update(key, (p) => {
          p.error = error instanceof Error ? error.message : String(error);
        });
      }
    }
    return true;
  }

  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    list,
    /** The patrol under way, if any (one at a time). */
    active: async (owner: number) => (await list(owner)).find((p) => p.endedAt === null) ?? null,

    start: (owner: number) =>
      serial(async () => {
        const running = (await list(owner)).find((p) => p.endedAt === null);
        if (running) return running;
        const patrol: LocalPatrol = {
          key: newClientKey(),
          owner,
          startedAt: now().toISOString(),
          endedAt: null,
          startSent: false,
          endSent: false,
          pending: [],
          nextSeq: 0,
          recorded: 0,
          sent: 0,
          refused: 0,
          last: null,
          distanceM: 0,
          error: null,
        };
        await save(patrol);
        return patrol;
      }),

    /** Keeps a position fix; one within POINT_INTERVAL_MS of the last kept point is skipped. */
    record: (
      owner: number,
      key: string,
      fix: { lon: number; lat: number; accuracy: number | null; at: Date },
    ) =>
      serial(async () => {
        const patrol = await load(owner, key);
        if (!patrol || patrol.endedAt) return false;
        // A fix taken before the patrol started (a cached position) would be refused by the server.
        const at = fix.at < new Date(patrol.startedAt) ? now() : fix.at;
        if (patrol.last && at.getTime() - Date.parse(patrol.last.at) < POINT_INTERVAL_MS - 250) return false;
        if (patrol.last) patrol.distanceM += metresBetween(patrol.last, fix);
        patrol.pending.push({
          seq: patrol.nextSeq++,
          lon: Number(fix.lon.toFixed(7)),
          lat: Number(fix.lat.toFixed(7)),
          at: at.toISOString(),
          accuracy: fix.accuracy === null ? null : Math.round(fix.accuracy),
        });
        patrol.recorded++;
        patrol.last = { lon: fix.lon, lat: fix.lat, at: at.toISOString() };
        await save(patrol);
        return true;
      }),

    end: (owner: number, key: string) =>
      serial(async () => {
        const patrol = await load(owner, key);
        if (!patrol || patrol.endedAt) return;
        patrol.endedAt = now().toISOString();
        await save(patrol);
      }),

    /** Sends what waits (sendOnce); true when everything went. */
    sync(owner: number, sender: PatrolSender): Promise<boolean> {
      // One send at a time; a call during one (a patrol just ended) has it go round once more when done.
      if (running) {
        rerun = true;
        return running;
      }
      running = (async () => {
        try {
          let sent: boolean;
          do {
            rerun = false;
            sent = await sendOnce(owner, sender);
          } while (rerun && sent);
          return sent;
        } finally {
          running = null;
        }
      })();
      return running;
    },
  };
}

let shared: PatrolStore | null = null;

/** The phone's patrols, in their own IndexedDB database. */
export function patrolStore(): PatrolStore {
  shared ??= createPatrolStore(indexedDbCacheStore('gridgov-field-patrols', 'patrols'));
  return shared;
}
