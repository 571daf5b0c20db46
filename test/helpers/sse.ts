// A raw Server-Sent Events reader over fetch, for tests that check the realtime protocol byte by byte (the SDK
// tests use the official SDK instead).

export interface SseEvent {
  id: string;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The client id from PB_CONNECT. */
  clientId: string;
  /** Every event received so far, PB_CONNECT included. */
  events: SseEvent[];
  /** Waits (at most `ms`) until an event named `name` arrives after the `seen` first ones; undefined on timeout. */
  next(name: string, ms?: number, seen?: number): Promise<SseEvent | undefined>;
  /** Resolves once the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

function parseBlock(block: string): SseEvent | undefined {
  if (block.startsWith(':')) return undefined; // a keep-alive comment
  const event: SseEvent = { id: '', event: 'message', data: '' };
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (field === 'id') event.id = value;
    else if (field === 'event') event.event = value;
    else if (field === 'data') event.data = value;
  }
  return event;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let endedResolve!: () => void;
  const ended = new Promise<void>((resolve) => (endedResolve = resolve));
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const event = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) events.push(event);
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // aborted by close()
    }
    endedResolve();
    for (const wake of waiters) wake();
  })();

  const next = async (name: string, ms = 2000, seen = 0): Promise<SseEvent | undefined> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = events.slice(seen).find((e) => e.event === name);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      });
    }
  };
  const connect = res.status === 200 ? await next('PB_CONNECT') : undefined;
  return {
    status: res.status,
    headers: res.headers,
    clientId: connect ? (JSON.parse(connect.data) as { clientId: string }).clientId : '',
    events,
    next,
    ended,
    close: () => abort.abort(),
  };
}
