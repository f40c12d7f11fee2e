import { CHANNEL_NAMES, type PosApi } from '../../../core/contract';
import { unwrap } from '../../../core/contract';
import { KopilkaError } from '../../../core/util/errors';
import { createEventBus } from './local';

/**
 * PosApi over HTTP to the browser host (scripts/web-host.ts): POST /api/<channel> with the
 * session token in a header; events arrive over Server-Sent Events. The host only listens on
 * 127.0.0.1 and refuses requests without the token.
 */
export function createWebApi(baseUrl: string, token: string, fetchImpl: typeof fetch = fetch): PosApi & { close(): void } {
  const api: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) {
    api[name] = async (input: unknown) => {
      let res: Response;
      try {
        res = await fetchImpl(`${baseUrl}/api/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-kopilka-token': token },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new KopilkaError('OFFLINE', 'The till backend is not answering: check that it is running');
      }
      return unwrap(await res.json().catch(() => null));
    };
  }
  const bus = createEventBus();
  let source: EventSource | null = null;
  if (typeof EventSource !== 'undefined') {
    source = new EventSource(`${baseUrl}/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (m) => {
      try {
        const { event, payload } = JSON.parse(m.data) as { event: string; payload: unknown };
        bus.emit(event as never, payload as never);
      } catch {
        /* a malformed event is dropped; the bus validates payloads too */
      }
    };
  }
  api.on = bus.on;
  api.close = () => source?.close();
  return api as PosApi & { close(): void };
}
