import type { Command } from 'commander';
import { routeScan } from '../../../core/scan/router';
import { fail } from '../../../core/util/errors';
import { discoverDevices } from '../../../native/devices/discovery';
import { openScanner } from '../../../native/scanner/open';
import type { CliContext } from '../context';

/**
 * `kopilka scan --source <uri>`: read a scanner and print each scan as it arrives — with
 * --json exactly one JSON object per line: {source, symbology, data, aim?, route}.
 * `kopilka scan --list` shows connected serial/HID devices, USB printers and print queues.
 */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('scan')
    .description('read a barcode scanner (serial:, hid:VID:PID, stdin:) and print each scan; --list shows devices')
    .option('--source <uri>', 'serial:/dev/ttyACM0?baud=9600, hid:0c2e:0b61 or stdin:')
    .option('--count <n>', 'stop after this many scans')
    .option('--timeout <seconds>', 'stop after this long')
    .option('--list', 'list serial ports, HID devices, USB printers and print queues')
    .action(async (o: { source?: string; count?: string; timeout?: string; list?: boolean }) => {
      if (o.list) {
        const r = await discoverDevices();
        const sect = (title: string, f: { items: readonly { uri: string }[]; problem?: string }) => [`${title}:`, ...f.items.map((i) => `  ${i.uri}`), ...(f.items.length ? [] : ['  (none)']), ...(f.problem ? [`  ! ${f.problem}`] : [])];
        ctx.out({ ok: true, ...r }, [...sect('Serial ports', r.serial), ...sect('HID devices', r.hid), ...sect('USB printers', r.usbPrinters), ...sect('Print queues', r.queues)].join('\n'));
        return;
      }
      if (!o.source) fail('VALIDATION', 'Say which scanner to read: --source serial:/dev/ttyACM0?baud=9600, hid:VID:PID or stdin: (or --list)');
      const max = o.count ? Number(o.count) : Infinity;
      if (o.count && (!Number.isInteger(max) || max < 1)) fail('VALIDATION', '--count must be a whole number ≥ 1');
      const seconds = o.timeout ? Number(o.timeout) : 0;
      if (o.timeout && !(seconds > 0)) fail('VALIDATION', '--timeout must be a number of seconds > 0');
      let n = 0;
      let finish!: () => void;
      const done = new Promise<void>((res) => (finish = res));
      const handle = await openScanner(o.source, (e) => {
        if (n >= max) return;
        n++;
        const route = routeScan(e);
        process.stdout.write((ctx.json() ? JSON.stringify({ ...e, route }) : `${e.symbology}\t${e.data}\t→ ${route.kind}`) + '\n');
        if (n >= max) finish();
      });
      const timer = seconds ? setTimeout(finish, seconds * 1000) : null;
      const onSig = () => finish();
      process.once('SIGINT', onSig);
      process.once('SIGTERM', onSig);
      const ended = (handle as { done?: Promise<void> }).done;
      if (ended) void ended.then(finish);
      await done;
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSig);
      process.off('SIGTERM', onSig);
      await handle.stop();
    });
}
