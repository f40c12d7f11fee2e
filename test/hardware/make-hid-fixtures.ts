/**
 * Writes test/fixtures/hid/*.hex: 64-byte HID POS input reports (one per line, hex) in the
 * layout Honeywell/Zebra/Datalogic scanners send (usage page 0x8C, report id 2). There is no
 * USB bus in this sandbox, so these are built byte-for-byte from the documented layout
 * (HID POS usage tables 1.02; Access-IS LSR118 manual App. B) rather than captured with
 * usbmon; replace them with usbmon captures from a real scanner when one is at hand.
 * Run: node --import tsx test/hardware/make-hid-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function reports(aim: string, data: string, vendorCode = 0x00): Buffer[] {
  const bytes = Buffer.from(data, 'utf8');
  const out: Buffer[] = [];
  for (let off = 0; off < bytes.length || off === 0; off += 56) {
    const chunk = bytes.subarray(off, off + 56);
    const r = Buffer.alloc(64);
    r[0] = 0x02;
    r[1] = chunk.length;
    r.write(aim, 2, 'latin1');
    chunk.copy(r, 5);
    r[61] = vendorCode;
    r[63] = off + 56 < bytes.length ? 0x01 : 0x00;
    out.push(r);
    if (off + 56 >= bytes.length) break;
  }
  return out;
}

const dir = join(import.meta.dirname, '..', 'fixtures', 'hid');
const trigger = Buffer.from('04010000', 'hex'); // a 4-byte trigger report: not scanned data, must be ignored
const files: Record<string, Buffer[]> = {
  'honeywell-ean13.hex': reports(']E0', '4601234567893', 0x64),
  'zebra-code128-card.hex': [trigger, ...reports(']C0', 'KP-000003')],
  'honeywell-qr-long.hex': reports(']Q1', 'KOPILKA:CARD:' + 'A'.repeat(40) + '-' + 'b'.repeat(40) + '-0123456789', 0x73),
};
for (const [name, list] of Object.entries(files)) writeFileSync(join(dir, name), list.map((b) => b.toString('hex')).join('\n') + '\n');
console.log(Object.keys(files).join(', '));
