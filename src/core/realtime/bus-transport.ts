// Record changes between the processes sharing a database, over the coordination's message bus.
import type { MessageBus } from '../db/index.js';
import type { ChangeNotice, RealtimeTransport } from './record-feed.js';

/** The bus channel of record changes. */
const CHANNEL = 'realtime';

/** A RealtimeTransport on `bus`: each process's feed hears the changes the others commit and applies its own rules. */
export function busTransport(bus: MessageBus): RealtimeTransport {
  return {
    publish: (notice) => void bus.publish(CHANNEL, notice),
    subscribe: (receive) => {
      bus.subscribe(CHANNEL, (message) => receive(message as ChangeNotice));
    },
  };
}
