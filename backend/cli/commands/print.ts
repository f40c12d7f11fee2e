import type { Command } from 'commander';
import { KopilkaError } from '../../../core/util/errors';
import { listProfiles } from '../../../native/printer/profiles';
import { openPrinter } from '../../../native/printer/transports';
import { parseDeviceUri, formatDeviceUri } from '../../../native/devices/uri';
import {
  cancelJob,
  effectivePrinterUri,
  printSale,
  printTest,
  printX,
  printZ,
  processQueue,
  queueStatus,
  readPrinterSettings,
  reprintLastReceipt,
  writePrinterSettings,
  type PrintOutcome,
  type Target,
} from '../../printing';
import type { CliContext } from '../context';

type TargetOpts = { printer?: string; profile?: string };

function target(o: TargetOpts): Target {
  return {
    ...(o.printer ? { printerUri: formatDeviceUri(parseDeviceUri(o.printer)) } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
  };
}

function withTarget(cmd: Command): Command {
  return cmd
    .option('--printer <uri>', 'tcp://HOST:9100, serial:/dev/ttyUSB0?baud=38400, usb:/dev/usb/lp0, queue:NAME or virtual:DIR (default: the terminal setting)')
    .option('--profile <name>', 'printer profile, see `kopilka print profiles` (default: the terminal setting)');
}

/** Printed → one line; held → exit 1 with the reason, the job stays queued. */
function report(ctx: CliContext, what: string, o: PrintOutcome): void {
  if (!o.printed) {
    const kept = o.job.state === 'pending' ? ` The ${what} waits in the print queue (job ${o.job.id}) and prints when the printer is back.` : '';
    throw new KopilkaError('DEVICE', `${o.result.message ?? 'The printer did not take the job.'}${kept}`, { jobId: o.job.id, fault: o.result.fault, printer: o.job.printerUri });
  }
  ctx.out({ ok: true, printed: true, job: o.job }, `Printed ${what} on ${o.job.printerUri} (${o.job.bytes} bytes, profile ${o.job.profile})`);
}

export function register(program: Command, ctx: CliContext): void {
  const print = program.command('print').description('receipt printer: test print, receipts, X/Z reports, reprint, print queue, setup');

  withTarget(print.command('test').description('print a test receipt (Cyrillic, ₽, QR, loyalty block) to check the printer setup')).action(async (o: TargetOpts) => {
    report(ctx, 'test receipt', await printTest(await ctx.db(), target(o)));
  });

  withTarget(print.command('last').description('reprint the last customer receipt as a copy (the sale is not touched)')).action(async (o: TargetOpts) => {
    report(ctx, 'receipt copy', await reprintLastReceipt(await ctx.db(), target(o)));
  });

  withTarget(print.command('sale').argument('<sale>', 'sale id or receipt number').description('print the receipt of a stored sale')).action(async (sale: string, o: TargetOpts) => {
    report(ctx, 'receipt', await printSale(await ctx.db(), /^\d+$/.test(sale) ? Number(sale) : sale, target(o)));
  });

  withTarget(print.command('z').argument('<shift>', 'shift id or number').description('print the Z report of a closed shift')).action(async (shift: string, o: TargetOpts) => {
    report(ctx, 'Z report', await printZ(await ctx.db(), /^\d+$/.test(shift) ? Number(shift) : shift, target(o)));
  });

  withTarget(print.command('x').description('print an X report of the open shift')).action(async (o: TargetOpts) => {
    report(ctx, 'X report', await printX(await ctx.db(), target(o)));
  });

  print.command('queue').description('show receipts waiting for the printer').action(async () => {
    const s = queueStatus(await ctx.db());
    const lines = s.pending.map((j) => `  ${j.id}  ${j.kind}${j.copy ? ' (copy)' : ''}  ${j.ref ?? ''}  tries ${j.attempts}  ${j.lastError ?? ''}`);
    ctx.out({ ok: true, ...s }, s.pending.length ? [`${s.pending.length} waiting${s.blockedBy ? `: ${s.blockedBy.message}` : ''}`, ...lines].join('\n') : 'Nothing waiting for the printer');
  });

  print.command('retry').description('try the waiting receipts again now').action(async () => {
    const r = await processQueue(await ctx.db());
    if (r.held) throw new KopilkaError('DEVICE', `${r.message ?? 'The printer did not take the job'} (${r.printed.length} printed, job ${r.held.id} still waiting)`, { printed: r.printed, jobId: r.held.id, fault: r.fault });
    ctx.out({ ok: true, printed: r.printed }, `Printed ${r.printed.length} waiting job(s)`);
  });

  print.command('cancel').argument('<job>', 'print job id').description('drop a waiting job (e.g. the customer left)').action(async (job: string) => {
    const j = cancelJob(await ctx.db(), job);
    ctx.out({ ok: true, job: j }, `Cancelled job ${j.id}`);
  });

  print.command('status').option('--printer <uri>', 'printer address (default: the terminal setting)').description('ask the printer for paper/cover status (DLE EOT)').action(async (o: TargetOpts) => {
    const uri = o.printer ? formatDeviceUri(parseDeviceUri(o.printer)) : effectivePrinterUri(await ctx.db());
    const conn = await openPrinter(uri);
    try {
      if (!conn.twoWay) throw new KopilkaError('DEVICE', `${uri} is a one-way connection: the printer cannot report its status over it`);
      const st = await conn.status();
      ctx.out({ ok: true, uri, status: st }, `${uri}: ${st.fault ?? 'ready'}${st.paperNearEnd ? ' (paper near end)' : ''}`);
    } finally {
      await conn.close();
    }
  });

  print.command('profiles').description('list printer profiles (paper width, code page, vendor)').action(() => {
    const list = listProfiles();
    ctx.out({ ok: true, profiles: list }, list.map((p) => `${p.name.padEnd(22)} ${p.paper} mm, ${p.columns} col, ${p.codepage} (ESC t ${p.codepageNumber})  ${p.description}`).join('\n'));
  });

  print
    .command('setup')
    .description('show or change this terminal’s printer settings')
    .option('--printer <uri>', 'printer address; "" = the virtual printer in the data folder')
    .option('--profile <name>', 'printer profile')
    .option('--qr-template <url>', 'QR on receipts, e.g. https://shop.example/r/{receipt}?s={total}; "" = none')
    .option('--drawer <auto|never>', 'open the cash drawer on cash sales')
    .option('--no-check-status', 'do not ask the printer for status before printing')
    .option('--check-status', 'ask the printer for paper/cover status before printing')
    .action(async (o: { printer?: string; profile?: string; qrTemplate?: string; drawer?: 'auto' | 'never'; checkStatus?: boolean }) => {
      const db = await ctx.db();
      const patch = {
        ...(o.printer !== undefined ? { uri: o.printer === '' ? '' : formatDeviceUri(parseDeviceUri(o.printer)) } : {}),
        ...(o.profile !== undefined ? { profile: o.profile } : {}),
        ...(o.qrTemplate !== undefined ? { qrTemplate: o.qrTemplate } : {}),
        ...(o.drawer !== undefined ? { drawer: o.drawer } : {}),
        ...(process.argv.some((a) => a === '--no-check-status' || a === '--check-status') && o.checkStatus !== undefined ? { checkStatus: o.checkStatus } : {}),
      };
      const s = Object.keys(patch).length ? writePrinterSettings(db, patch) : readPrinterSettings(db);
      ctx.out({ ok: true, settings: s, effectiveUri: effectivePrinterUri(db, s) }, `printer ${effectivePrinterUri(db, s)}, profile ${s.profile}, QR ${s.qrTemplate || 'none'}, drawer ${s.drawer}, status check ${s.checkStatus ? 'on' : 'off'}`);
    });
}
