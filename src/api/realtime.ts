// GET /api/realtime (the Server-Sent Events stream) and POST /api/realtime (what that stream carries), in
// PocketBase's protocol so the official SDKs' subscribe() works unchanged.
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Hono } from 'hono';
import type { ClientSink, RealtimeClient, RealtimeMessage, RealtimeService } from '../core/realtime/index.js';
import type { AppEnv } from './context.js';
import { clientIp } from './client-ip.js';
import { nodeResponse } from './middlewares/node-response.js';
import { readBody } from './request-body.js';

/** Bytes a client may have waiting before it counts as unable to keep up and is disconnected. */
export const MAX_QUEUED_BYTES = 256 * 1024;
/** A comment line this often keeps idle connections open through proxies that close silent ones. */
export const KEEP_ALIVE_MS = 30_000;

const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-store',
  // Tells nginx not to buffer the stream.
  'X-Accel-Buffering': 'no',
};
const encoder = new TextEncoder();
const PING = encoder.encode(':\n\n');

/**
 * The bytes of one event. Only PB_CONNECT carries the client id in its `id:` line (the SDKs read it there); an
 * EventSource keeps the last id it saw, so later events need not repeat it, and one event's bytes then serve
 * every client that gets it.
 */
const encoded = new WeakMap<RealtimeMessage, Uint8Array>();
function eventBytes(message: RealtimeMessage, clientId: string): Uint8Array {
  if (message.name === 'PB_CONNECT')
    return encoder.encode(`id:${clientId}\nevent:PB_CONNECT\ndata:${message.data}\n\n`);
  let bytes = encoded.get(message);
  if (!bytes) encoded.set(message, (bytes = encoder.encode(`event:${message.name}\ndata:${message.data}\n\n`)));
  return bytes;
}

interface SseSink extends ClientSink {
  ping(): boolean;
}

/** Served by Node: events go straight to the socket; what the socket has not taken yet counts as the queue. */
class NodeSink implements SseSink {
  private ended = false;
  private started = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly onEnd: () => void,
  ) {
    res.once('close', () => this.end());
  }

  send(message: RealtimeMessage, clientId: string): boolean {
    return this.write(eventBytes(message, clientId));
  }

  ping(): boolean {
    return this.write(PING);
  }

  private write(bytes: Uint8Array): boolean {
    if (this.ended) return false;
    // The head goes with the first event (PB_CONNECT): a connection refused before it still gets its error.
    if (!this.started) {
      this.started = true;
      this.res.writeHead(200, STREAM_HEADERS);
    }
    this.res.write(bytes);
    return this.res.writableLength <= MAX_QUEUED_BYTES;
  }

  close(): void {
    if (this.ended) return;
    if (this.started) this.res.end();
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}

/** Elsewhere (app.fetch): a byte stream with a bounded queue. */
class WebSink implements SseSink {
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private ended = false;
  readonly stream: ReadableStream<Uint8Array>;

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
    return this.enqueue(eventBytes(message, clientId));
  }

  ping(): boolean {
    return this.enqueue(PING);
  }

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

export function bindRealtimeRoutes(
  app: Hono<AppEnv>,
  realtime: RealtimeService,
  keepAliveMs: number = KEEP_ALIVE_MS,
): void {
  const open = new Map<SseSink, RealtimeClient>();
  let keepAlive: NodeJS.Timeout | undefined;
  const ping = () => {
    for (const [sink, client] of open) if (!sink.ping()) realtime.disconnect(client);
  };
  const ended = (sink: SseSink) => {
    // The other side went away (or the server ended the stream): forget the client.
    const client = open.get(sink);
    open.delete(sink);
    if (client) realtime.disconnect(client);
    if (!open.size && keepAlive) {
      clearInterval(keepAlive);
      keepAlive = undefined;
    }
  };

  app.get('/api/realtime', async (c) => {
    const res = nodeResponse(c);
    const sink: NodeSink | WebSink = res ? new NodeSink(res, () => ended(sink)) : new WebSink(() => ended(sink));
    const client = await realtime.connect(clientIp(c), sink);
    open.set(sink, client);
    keepAlive ??= setInterval(ping, keepAliveMs).unref();
    return sink instanceof WebSink ? new Response(sink.stream, { headers: STREAM_HEADERS }) : RESPONSE_ALREADY_SENT;
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
