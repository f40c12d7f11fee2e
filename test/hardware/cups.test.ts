import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { layoutReceipt } from '../../native/printer/layout';
import { getProfile } from '../../native/printer/profiles';
import { sampleSaleReceipt } from '../../native/printer/sample';
import { printBytes } from '../../native/printer/transports';
import { cupsdAvailable, startCups } from './cupsd';

const skip = cupsdAvailable() ? false : 'cupsd not installed (apt-get install cups-daemon)';

describe('queue: printing through a real CUPS scheduler and lp -o raw', { skip }, () => {
  it('the bytes reach the raw queue unchanged', async () => {
    const cups = await startCups();
    const prev = process.env.CUPS_SERVER;
    process.env.CUPS_SERVER = cups.server;
    try {
      const bytes = layoutReceipt(sampleSaleReceipt(), getProfile('epson-80')).bytes;
      await printBytes(`queue:${cups.queue}`, bytes);
      const t0 = Date.now();
      while (statSync(cups.capture).size < bytes.length && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(new Uint8Array(readFileSync(cups.capture)), bytes);
    } finally {
      if (prev === undefined) delete process.env.CUPS_SERVER;
      else process.env.CUPS_SERVER = prev;
      await cups.close();
    }
  });
});
