import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RealtimeFrameView } from '../../src/core/schemas/realtime.js';
import type { Principal } from '../../src/core/principal.js';
import { createMemoryPlane } from '../../src/plane/memory-plane.js';
import type { Plane } from '../../src/plane/plane.js';
import { createRedisClient, waitForRedis } from '../../src/plane/redis-client.js';
import { createRedisPlane } from '../../src/plane/redis-plane.js';
import { createLogger } from '../../src/services/logger.js';
import { planeKeys } from '../../src/services/plane-keys.js';
import type { FlowLimits, RealtimeSocket } from '../../src/services/realtime/connection.js';
import { entryOf } from '../../src/services/realtime/frames.js';
import { createRealtime, type Realtime } from '../../src/services/realtime/index.js';
import { TEST_REDIS_URL } from '../support/backends.js';
import { deleteRedisPrefix } from '../support/redis-keys.js';

/** A socket whose send buffer the test fills and drains by hand: the slow client. */
function fakeSocket() {
  const sent: RealtimeFrameView[] = [];
  let buffered = 0;
  let closed: { code: number; reason: string } | null = null;
  const socket: RealtimeSocket = {
    send: (frames) => void sent.push(...frames.map((f) => JSON.parse(String(f)) as RealtimeFrameView)),
    get bufferedAmount() {
      return buffered;
    },
    close: (code, reason) => {
      closed = { code, reason };
    },
  };
  return { socket, sent, fill: (bytes: number) => (buffered = bytes), closed: () => closed };
}

const noCalls = { active_calls: 0, total_today: 0, completed_today: 0, failed_today: 0, avg_duration: 0, date: '2026-01-01', timezone: 'UTC' };
const stats = async () => noCalls;
const metrics = (active: number) => ({ ...noCalls, active_calls: active, through_id: null });
const principal = (tenantId: number, userId = 1, tokenId = 1): Principal => ({ tenantId, userId, tokenId, role: 'analyst' });
const replay = { replayEvents: 5, replaySeconds: 300, heartbeatSeconds: 30, connectsPerMinute: 120, watchAnnounceSeconds: 5 };

function flowSuite(name: string, makePlane: () => Promise<{ plane: Plane; dispose(): Promise<void> }>, enabled = true): void {
  describe.runIf(enabled)(name, () => {
    let fixture: { plane: Plane; dispose(): Promise<void> };
    const open: Realtime[] = [];
    let tenant = 100;
    beforeAll(async () => {
      fixture = await makePlane();
    });
    afterEach(async () => {
      for (const r of open.splice(0)) await r.stop();
    });
    afterAll(async () => fixture?.dispose());

    async function realtimeWith(limits: FlowLimits = { maxBufferedBytes: 1000, resumeBelowBytes: 100, maxLagMs: 60_000 }): Promise<Realtime> {
      const r = createRealtime({ config: replay, plane: fixture.plane, clock: Date.now, logger: createLogger('silent'), stats, limits });
      await r.start();
      open.push(r);
      return r;
    }
    const agentIds = (frames: RealtimeFrameView[]) => frames.filter((f) => f.event === 'agent.updated').map((f) => (f.data as { id: number }).id);

    it('a slow client gets nothing while its buffer is full, then the newest coalesced event and a resync', async () => {
      const r = await realtimeWith();
      const t = ++tenant;
      const c = fakeSocket();
      // A second, quick socket of the tenant: once it has an event, the slow one was offered it too.
      const quick = fakeSocket();
      await r.hub.attach(principal(t), c.socket, undefined);
      await r.hub.attach(principal(t), quick.socket, undefined);
      r.agentChanged(t, { id: 1 });
      await vi.waitFor(() => expect(agentIds(c.sent)).toEqual([1]));
      c.fill(5000);
      for (const id of [2, 3, 4]) r.agentChanged(t, { id });
      r.log.raise(t, 'metrics.updated', metrics(7));
      r.log.raise(t, 'metrics.updated', metrics(8));
      r.agentChanged(t, { id: 5 });
      await vi.waitFor(() => expect(agentIds(quick.sent)).toEqual([1, 2, 3, 4, 5]));
      // Heard and dropped: nothing was written, nothing is queued beyond the newest metrics.
      expect(c.sent).toHaveLength(1);
      c.fill(0);
      await vi.waitFor(() => expect(c.sent.map((f) => f.event)).toEqual(['agent.updated', 'metrics.updated', 'resync']));
      expect((c.sent[1]!.data as { active_calls: number }).active_calls).toBe(8);
      expect(c.sent[2]!.data).toEqual({ reason: 'slow_client' });
      const ids = c.sent.map((f) => f.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      r.agentChanged(t, { id: 6 });
      await vi.waitFor(() => expect(agentIds(c.sent)).toEqual([1, 6]));
      expect(c.sent.at(-1)!.id).toBe(c.sent.at(-2)!.id + 1);
    });

    it('a replay larger than the bound is cut short the same way: part of it, then a resync', async () => {
      const r = await realtimeWith({ maxBufferedBytes: 250, resumeBelowBytes: 100, maxLagMs: 60_000 });
      const t = ++tenant;
      const first = fakeSocket();
      await r.hub.attach(principal(t), first.socket, undefined);
      for (const id of [1, 2, 3, 4, 5]) {
        // One at a time: five frames in one turn would pass this small bound on this socket too.
        r.agentChanged(t, { id });
        await vi.waitFor(() => expect(agentIds(first.sent).at(-1)).toBe(id));
      }
      const base = first.sent[0]!.id;
      const late = fakeSocket();
      const attached = await r.hub.attach(principal(t), late.socket, base - 1);
      // About 110 bytes a frame: the third passes 250 bytes, so the rest waits for the drain.
      await vi.waitFor(() => expect(late.sent.map((f) => f.event)).toEqual(['agent.updated', 'agent.updated', 'agent.updated', 'resync']));
      expect(attached.replayed).toBe(5);
      expect(late.sent.map((f) => f.id)).toEqual([base, base + 1, base + 2, base + 4]);
      expect(late.sent[3]!.data).toEqual({ reason: 'slow_client' });
    });

    it('a client whose buffer stays full is closed with 4408', async () => {
      const r = await realtimeWith({ maxBufferedBytes: 1000, resumeBelowBytes: 100, maxLagMs: 0 });
      const t = ++tenant;
      const c = fakeSocket();
      await r.hub.attach(principal(t), c.socket, undefined);
      c.fill(5000);
      r.agentChanged(t, { id: 1 });
      await vi.waitFor(() => expect(c.closed()?.code).toBe(4408));
      expect(c.sent).toEqual([]);
    });

    it('a lost message is read back from the log, so members still get every event in order', async () => {
      const r = await realtimeWith();
      const t = ++tenant;
      const c = fakeSocket();
      await r.hub.attach(principal(t), c.socket, undefined);
      r.agentChanged(t, { id: 1 });
      await vi.waitFor(() => expect(agentIds(c.sent)).toEqual([1]));
      // Numbered and stored, but published where nobody listens: as if the message were lost on the way.
      const lost = [entryOf('agent.updated', { id: 2 }, new Date().toISOString()), entryOf('agent.updated', { id: 3 }, new Date().toISOString())];
      await fixture.plane.appendToLog(planeKeys.realtimeLog(t), 'nowhere', lost, { maxEntries: replay.replayEvents, retainMs: 300_000 }, Date.now());
      r.agentChanged(t, { id: 4 });
      await vi.waitFor(() => expect(agentIds(c.sent)).toEqual([1, 2, 3, 4]));
      const ids = c.sent.map((f) => f.id);
      expect(ids).toEqual(Array.from({ length: 4 }, (_, i) => ids[0]! + i));
    });

    it('when the lost messages are no longer in the log, members are told to resync', async () => {
      const r = await realtimeWith();
      const t = ++tenant;
      const c = fakeSocket();
      await r.hub.attach(principal(t), c.socket, undefined);
      r.agentChanged(t, { id: 1 });
      await vi.waitFor(() => expect(agentIds(c.sent)).toEqual([1]));
      const lost = Array.from({ length: 8 }, (_, i) => entryOf('agent.updated', { id: 10 + i }, new Date().toISOString()));
      await fixture.plane.appendToLog(planeKeys.realtimeLog(t), 'nowhere', lost, { maxEntries: replay.replayEvents, retainMs: 300_000 }, Date.now());
      r.agentChanged(t, { id: 20 });
      await vi.waitFor(() => expect(c.sent.map((f) => f.event)).toEqual(['agent.updated', 'resync']));
      expect(c.sent[1]!.data).toEqual({ reason: 'too_far_behind' });
      r.agentChanged(t, { id: 21 });
      await vi.waitFor(() => expect(agentIds(c.sent)).toEqual([1, 21]));
    });

    it('a revocation closes the sockets of that token, or of that user, and no others', async () => {
      const r = await realtimeWith();
      const t = ++tenant;
      const [byToken, sameUser, otherUser, otherTenant] = [fakeSocket(), fakeSocket(), fakeSocket(), fakeSocket()];
      await r.hub.attach(principal(t, 1, 11), byToken.socket, undefined);
      await r.hub.attach(principal(t, 1, 12), sameUser.socket, undefined);
      await r.hub.attach(principal(t, 2, 13), otherUser.socket, undefined);
      await r.hub.attach(principal(t + 1000, 1, 11), otherTenant.socket, undefined);
      r.tokensRevoked({ tenantId: t, tokenId: 11 });
      await vi.waitFor(() => expect(byToken.closed()?.code).toBe(4401));
      expect(sameUser.closed()).toBeNull();
      r.tokensRevoked({ tenantId: t, userId: 1 });
      await vi.waitFor(() => expect(sameUser.closed()?.code).toBe(4401));
      expect(otherUser.closed()).toBeNull();
      expect(otherTenant.closed()).toBeNull();
    });
  });
}

flowSuite('real-time flow (memory plane)', async () => {
  const plane = createMemoryPlane();
  return { plane, dispose: () => plane.close() };
});

flowSuite(
  'redis: real-time flow',
  async () => {
    const prefix = `vlbt:realtime-flow:${randomBytes(6).toString('hex')}:`;
    const client: Redis = createRedisClient(TEST_REDIS_URL!, prefix);
    await waitForRedis(client);
    const plane = createRedisPlane(client);
    return {
      plane,
      async dispose() {
        await plane.close();
        client.disconnect();
        await deleteRedisPrefix(TEST_REDIS_URL!, prefix);
      },
    };
  },
  Boolean(TEST_REDIS_URL),
);
