// Behind a load balancer, a client's POST /api/realtime (what it listens to) may reach another process than the one
// holding its stream: that process asks the others over the bus, and the one holding the client applies the request
// (its checks and hooks included) and answers. Nobody answering means nobody holds the client: 404, as alone.
import { randomUUID } from 'node:crypto';
import type { MessageBus } from '../db/index.js';
import { ApiError, type ErrorData } from '../errors.js';
import type { Access } from '../records/index.js';
import type { RealtimeService, SubscribeRequest } from './realtime.js';

const ASK = 'realtime-subscribe';
const ANSWER = 'realtime-subscribed';
/** How long the asking process waits for the holder (a bus round trip takes milliseconds). */
const ANSWER_TIMEOUT_MS = 2_000;

interface Ask {
  id: string;
  clientId: string;
  subscriptions: unknown;
  access: Access;
  ip: string;
}

type Answer = { id: string; ok: true } | { id: string; ok: false; status: number; message: string; data: ErrorData };

const missing = () => ApiError.notFound('Missing or invalid client id.');

/** Lets `realtime` take subscription requests for clients connected to the other processes on `bus`. */
export function shareSubscriptions(realtime: RealtimeService, bus: MessageBus): void {
  const waiting = new Map<string, (answer: Answer) => void>();

  bus.subscribe(ANSWER, (message) => {
    const answer = message as Answer;
    waiting.get(answer.id)?.(answer);
  });

  bus.subscribe(ASK, async (message) => {
    const ask = message as Ask;
    // Not ours: the process holding the client answers (client ids are random, so one process at most).
    if (!realtime.clients.get(ask.clientId)) return;
    let answer: Answer;
    try {
      await realtime.subscribe({
        clientId: ask.clientId,
        subscriptions: ask.subscriptions,
        access: ask.access,
        ip: ask.ip,
      });
      answer = { id: ask.id, ok: true };
    } catch (err) {
      const e = err instanceof ApiError ? err : ApiError.badRequest();
      answer = { id: ask.id, ok: false, status: e.status, message: e.message, data: e.data };
    }
    await bus.publish(ANSWER, answer);
  });

  realtime.elsewhere = (request: SubscribeRequest & { clientId: string }) =>
    new Promise<void>((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => settle(undefined), ANSWER_TIMEOUT_MS);
      timer.unref();
      const settle = (answer: Answer | undefined) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (answer?.ok) resolve();
        else reject(answer ? new ApiError(answer.status, answer.message, answer.data) : missing());
      };
      waiting.set(id, settle);
      const ask: Ask = {
        id,
        clientId: request.clientId,
        subscriptions: request.subscriptions,
        access: request.access,
        ip: request.ip,
      };
      void bus.publish(ASK, ask);
    });
}
