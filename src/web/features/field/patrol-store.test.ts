import { describe, expect, it } from 'vitest';
import type { PatrolPoint } from '../../../shared/patrols.ts';
import { ApiError } from '../../api/client.ts';
import type { KeyValueStore } from './inspection-cache.ts';
import { createPatrolStore, type PatrolSender } from './patrol-store.ts';

function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => structuredClone(map.get(key)) as T | undefined,
    set: async (key, value) => {
      map.set(key, structuredClone(value));
    },
    del: async (key) => {
      map.delete(key);
    },
    keys: async () => [...map.keys()],
  };
}

/** A server that stores points by sequence number, as the real one does; `down` answers as no network. */
function fakeServer() {
  const patrols = new Map<string, { points: Map<number, PatrolPoint>; ended: string | null }>();
  const state = { down: false, refuseNext: false, calls: 0 };
  const offline = () => new ApiError({ status: 0, code: 'NETWORK' as never, message: 'offline' });
  const sender: PatrolSender = {
    start: async (key) => {
      state.calls++;
      if (state.down) throw offline();
      if (!patrols.has(key)) patrols.set(key, { points: new Map(), ended: null });
    },
    points: async (key, points) => {
      state.calls++;
      if (state.down) throw offline();
      const patrol = patrols.get(key);
      if (!patrol) throw new ApiError({ status: 404, code: 'NOT_FOUND', message: 'no patrol' });
      if (state.refuseNext) {
        state.refuseNext = false;
        throw new ApiError({ status: 400, code: 'VALIDATION_FAILED', message: 'points.0.at: in the future' });
      }
      for (const p of points) patrol.points.set(p.seq, p);
    },
    end: async (key, endedAt) => {
      state.calls++;
      if (state.down) throw offline();
      const patrol = patrols.get(key);
      if (patrol) patrol.ended = endedAt;
    },
  };
  return { patrols, state, sender };
}

describe('patrols kept on the phone', () => {
  it('keeps points at least 5 s apart, offline, and sends each once when the network returns', async () => {
    let clock = Date.parse('2026-11-23T01:00:00Z');
    const store = createPatrolStore(memoryStore(), { now: () => new Date(clock) });
    const server = fakeServer();
    const patrol = await store.start(7);
    const fix = (lat: number) => ({ lon: 112.95, lat, accuracy: 8, at: new Date(clock) });

    server.state.down = true;
    for (let i = 0; i < 10; i++) {
      clock += 2_500;
      await store.record(7, patrol.key, fix(22.85 + i * 0.0001));
    }
    // 25 s of fixes every 2.5 s: one kept per 5 s.
    const kept = (await store.active(7))?.pending ?? [];
    expect(kept.map((p) => p.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(await store.sync(7, server.sender)).toBe(false);
    expect((await store.active(7))?.pending).toHaveLength(5);

    server.state.down = false;
    expect(await store.sync(7, server.sender)).toBe(true);
    expect(server.patrols.get(patrol.key)?.points.size).toBe(5);
    expect((await store.active(7))?.pending).toHaveLength(0);

    clock += 10_000;
    await store.record(7, patrol.key, fix(22.86));
    await store.end(7, patrol.key);
    await store.sync(7, server.sender);
    expect(server.patrols.get(patrol.key)?.points.size).toBe(6);
    expect(server.patrols.get(patrol.key)?.ended).toBe(new Date(clock).toISOString());
    // Everything acknowledged: the phone forgets the patrol.
    expect(await store.list(7)).toEqual([]);
  });

  it('starts the patrol again when the server does not know it, and drops points it refuses', async () => {
    let clock = Date.parse('2026-11-23T01:00:00Z');
    const store = createPatrolStore(memoryStore(), { now: () => new Date(clock) });
    const server = fakeServer();
    const patrol = await store.start(8);
    await store.sync(8, server.sender);
    // The server lost the start (restored from a backup, say).
    server.patrols.clear();
    clock += 6_000;
    await store.record(8, patrol.key, { lon: 112.95, lat: 22.85, accuracy: null, at: new Date(clock) });
    await store.sync(8, server.sender);
    await store.sync(8, server.sender);
    expect(server.patrols.get(patrol.key)?.points.size).toBe(1);

    server.state.refuseNext = true;
    clock += 6_000;
    await store.record(8, patrol.key, { lon: 112.95, lat: 22.851, accuracy: null, at: new Date(clock) });
    await store.sync(8, server.sender);
    const after = await store.active(8);
    expect(after).toMatchObject({ refused: 1, pending: [] });
    expect(after?.error).toContain('points.0.at');
    // Another user's patrols are apart.
    expect(await store.list(9)).toEqual([]);
  });
});
