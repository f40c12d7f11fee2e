import { createServer, type Server, type Socket } from 'node:net';
import type { PrinterFault } from '../../native/printer/status';

/**
 * A loopback "printer" on 127.0.0.1: stores every byte it receives and answers each
 * DLE EOT n like an Epson does — one status byte, written on its own after a short delay,
 * so the client sees answers arrive one byte at a time. Status bytes are computed here from
 * the Epson bit definitions (not with native/printer/status.ts) so the test stays independent.
 */
export type FakePrinter = {
  port: number;
  uri: string;
  fault: PrinterFault | null;
  /** Print data only (DLE EOT queries removed). */
  received(): Buffer;
  queries: number[];
  connections: number;
  close(): Promise<void>;
};

export function epsonStatusByte(n: number, fault: PrinterFault | null): number {
  const fixed = 0b0001_0010;
  switch (n) {
    case 1: return fixed | (fault ? 0b0000_1000 : 0); // bit 3: offline
    case 2: return fixed | (fault === 'cover_open' ? 0b100 : 0) | (fault === 'paper_out' ? 0b10_0000 : 0) | (fault === 'error' ? 0b100_0000 : 0);
    case 4: return fixed | (fault === 'paper_out' ? 0b110_0000 : 0); // bits 5,6: roll paper end
    default: return fixed;
  }
}

export async function startFakePrinter(opts: { answerDelayMs?: number; silent?: boolean } = {}): Promise<FakePrinter> {
  const data: Buffer[] = [];
  const sockets = new Set<Socket>();
  const fp: FakePrinter = {
    port: 0,
    uri: '',
    fault: null,
    queries: [],
    connections: 0,
    received: () => Buffer.concat(data),
    close: () => new Promise<void>((res) => { for (const s of sockets) s.destroy(); server.close(() => res()); }),
  };
  const server: Server = createServer((sock) => {
    fp.connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let pending: number[] = [];
    sock.on('data', (chunk: Buffer) => {
      pending.push(...chunk);
      const keep: number[] = [];
      for (let i = 0; i < pending.length; i++) {
        if (pending[i] === 0x10 && pending[i + 1] === 0x04) {
          if (i + 2 >= pending.length) { keep.push(...pending.slice(i)); break; }
          const n = pending[i + 2]!;
          fp.queries.push(n);
          if (!opts.silent) {
            const b = epsonStatusByte(n, fp.fault);
            setTimeout(() => { if (!sock.destroyed) sock.write(Uint8Array.of(b)); }, opts.answerDelayMs ?? 3);
          }
          i += 2;
        } else data.push(Buffer.of(pending[i]!));
      }
      pending = keep;
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  fp.port = (server.address() as { port: number }).port;
  fp.uri = `tcp://127.0.0.1:${fp.port}`;
  return fp;
}
