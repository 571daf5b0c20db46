// GET /api/realtime (the Server-Sent Events stream) and POST /api/realtime (what that stream carries), in
// PocketBase's protocol so the official SDKs' subscribe() works unchanged.
import type { Hono } from 'hono';
import type { ClientSink, RealtimeClient, RealtimeMessage, RealtimeService } from '../core/realtime/index.js';
import type { AppEnv } from './context.js';
import { clientIp } from './middlewares/rate-limit.js';
import { readBody } from './request-body.js';

/** Bytes a client may have waiting before it counts as unable to keep up and is disconnected. */
export const MAX_QUEUED_BYTES = 256 * 1024;
/** A comment line this often keeps idle connections open through proxies that close silent ones. */
export const KEEP_ALIVE_MS = 30_000;

const encoder = new TextEncoder();
const PING = encoder.encode(':\n\n');

/** The SSE side of one client: a byte stream with a bounded queue. */
class SseSink implements ClientSink {
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private ended = false;
  readonly stream: ReadableStream<Uint8Array>;

  /** `onEnd` runs once, when either side ends the stream. */
  constructor(private readonly onEnd: () => void) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        cancel: () => this.end(),
      },
      { highWaterMark: MAX_QUEUED_BYTES, size: (chunk) => chunk.byteLength },
    );
  }

  send(message: RealtimeMessage, clientId: string): boolean {
    return this.enqueue(encoder.encode(`id:${clientId}\nevent:${message.name}\ndata:${message.data}\n\n`));
  }

  ping(): boolean {
    return this.enqueue(PING);
  }

  /** False once more than MAX_QUEUED_BYTES wait: the socket is not draining. */
  private enqueue(chunk: Uint8Array): boolean {
    if (this.ended) return false;
    this.controller.enqueue(chunk);
    return (this.controller.desiredSize ?? 0) >= 0;
  }

  close(): void {
    if (this.ended) return;
    try {
      this.controller.close();
    } catch {
      // already cancelled by the other side
    }
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}

export function bindRealtimeRoutes(app: Hono<AppEnv>, realtime: RealtimeService): void {
  const open = new Map<SseSink, RealtimeClient>();
  let keepAlive: NodeJS.Timeout | undefined;
  const ping = () => {
    for (const [sink, client] of open) if (!sink.ping()) realtime.disconnect(client);
  };

  app.get('/api/realtime', async (c) => {
    const sink = new SseSink(() => {
      // The other side went away (or the server ended the stream): forget the client.
      const client = open.get(sink);
      open.delete(sink);
      if (client) realtime.disconnect(client);
      if (!open.size && keepAlive) {
        clearInterval(keepAlive);
        keepAlive = undefined;
      }
    });
    // The client id goes into every event's `id:` line; the SDK reads it from PB_CONNECT's.
    const client = await realtime.connect(clientIp(c), sink);
    open.set(sink, client);
    keepAlive ??= setInterval(ping, KEEP_ALIVE_MS).unref();
    return new Response(sink.stream, {
      headers: {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        // Tells nginx not to buffer the stream.
        'X-Accel-Buffering': 'no',
      },
    });
  });

  app.post('/api/realtime', async (c) => {
    const body = await readBody(c);
    await realtime.subscribe({
      clientId: body.clientId,
      subscriptions: body.subscriptions,
      access: c.get('access'),
      ip: clientIp(c),
    });
    return c.body(null, 204);
  });
}
