import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KopilkaError } from '../../core/util/errors';
import { formatDeviceUri, parseDeviceUri } from '../../native/devices/uri';
import { printBytes } from '../../native/printer/transports';
import { checkWindowsPrinterName, spoolerCommand, spoolerFailure } from '../../native/printer/winspool';

/**
 * The Windows spooler transport (queue: on win32). PowerShell and winspool.drv exist only on
 * Windows: here we check how the command is built (nothing from outside inside the script),
 * name validation, URI encoding and how failures map to faults; the test that really prints
 * runs only on win32.
 */
const script = (args: readonly string[]) => Buffer.from(args[args.indexOf('-EncodedCommand') + 1]!, 'base64').toString('utf16le');

describe('Windows spooler (RAW) command construction', () => {
  it('a fixed script declares OpenPrinter/StartDocPrinter(RAW)/WritePrinter; name and file travel only as environment variables', () => {
    const a = spoolerCommand('EPSON TM-T20III Receipt', 'C:\\Temp\\kopilka-spool-1\\job.bin');
    const b = spoolerCommand('\\\\shop-pc\\Kitchen (2)', 'C:\\Temp\\x.bin');
    assert.equal(a.file, 'powershell.exe');
    assert.deepEqual(a.args.slice(0, 5), ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass']);
    assert.deepEqual(a.args, b.args, 'the script never depends on the printer or the file');
    const text = script(a.args);
    for (const needle of ['winspool.drv', 'OpenPrinterW', 'StartDocPrinterW', 'StartPagePrinter', 'WritePrinter', 'EndDocPrinter', 'ClosePrinter', '"RAW"', '$env:KOPILKA_PRINTER', '$env:KOPILKA_RAW_FILE', 'ReadAllBytes', 'exit 3', 'InnerException', '[System.Text.Encoding]::UTF8']) {
      assert.ok(text.includes(needle), `script has ${needle}`);
    }
    assert.ok(!text.includes('EPSON') && !text.includes('Kitchen'), 'no printer name in the script');
    assert.deepEqual(a.env, { KOPILKA_PRINTER: 'EPSON TM-T20III Receipt', KOPILKA_RAW_FILE: 'C:\\Temp\\kopilka-spool-1\\job.bin' });
    // The here-string that holds the C# must close where it should: exactly one opener and one closer.
    assert.equal(text.split("@'").length - 1, 1);
    assert.equal(text.split("'@").length - 1, 1);
  });

  it('names that could be read as code, or cannot be printer names, are refused before anything runs', () => {
    for (const bad of ['', ' EPSON', 'EPSON ', 'a"; calc; "', "a'b", 'a`b', '$(calc)', 'x;y', 'a|b', 'a&b', 'a\nb', 'a\rb', 'x'.repeat(221), 'a<b', 'a,b', 'a*']) {
      assert.throws(() => spoolerCommand(bad, 'C:\\x.bin'), (e) => e instanceof KopilkaError && e.code === 'VALIDATION' && /not a Windows printer name/.test(e.message), JSON.stringify(bad));
    }
    for (const good of ['RECEIPT', 'EPSON TM-T20III Receipt', '\\\\shop-pc\\Kitchen (2)', 'Принтер чеков #1', 'XP-80C (copy 1)']) assert.equal(checkWindowsPrinterName(good), good);
  });

  it('queue: URIs carry Windows names %-encoded; a raw space is still refused; round trip', () => {
    const d = parseDeviceUri('queue:EPSON%20TM-T20III%20Receipt');
    assert.deepEqual(d, { kind: 'queue', name: 'EPSON TM-T20III Receipt' });
    assert.equal(formatDeviceUri(d), 'queue:EPSON%20TM-T20III%20Receipt');
    const unc = { kind: 'queue', name: '\\\\shop-pc\\Принтер (2)' } as const;
    assert.deepEqual(parseDeviceUri(formatDeviceUri(unc)), unc);
    assert.equal(formatDeviceUri(parseDeviceUri('queue:RECEIPT')), 'queue:RECEIPT');
    for (const bad of ['queue:a b', 'queue:%ZZ', 'queue:%E0%A4', 'queue:a%0Ab', 'queue:']) assert.throws(() => parseDeviceUri(bad), (e) => e instanceof KopilkaError && e.code === 'VALIDATION', bad);
  });

  it('spooler failures become the cashier\'s fault and message', () => {
    assert.deepEqual(spoolerFailure(3, 'KOPILKA_SPOOLER OpenPrinter 1801 The printer name is invalid.\r\n'), { fault: 'offline', message: 'Windows has no printer with this name (check Settings → Printers & scanners)', step: 'OpenPrinter', win32: 1801 });
    assert.equal(spoolerFailure(3, 'KOPILKA_SPOOLER OpenPrinter 1722 The RPC server is unavailable.').fault, 'offline');
    assert.equal(spoolerFailure(3, 'KOPILKA_SPOOLER StartDocPrinter 5 Access is denied.').fault, 'error');
    assert.match(spoolerFailure(3, 'KOPILKA_SPOOLER StartDocPrinter 1804 The specified datatype is invalid.').message, /RAW/);
    assert.deepEqual(spoolerFailure(3, 'KOPILKA_SPOOLER WritePrinter 0 wrote 10 of 20 bytes'), { fault: 'error', message: 'WritePrinter failed: wrote 10 of 20 bytes', step: 'WritePrinter', win32: 0 });
    assert.deepEqual(spoolerFailure(3, 'KOPILKA_SPOOLER StartPagePrinter 6 The handle is invalid.'), { fault: 'offline', message: 'StartPagePrinter failed: The handle is invalid.', step: 'StartPagePrinter', win32: 6 });
    assert.deepEqual(spoolerFailure(1, 'Add-Type : Cannot add type.\r\nAt line:3'), { fault: 'error', message: 'Add-Type : Cannot add type.' });
    assert.deepEqual(spoolerFailure(1, ''), { fault: 'error', message: 'PowerShell exited with 1' });
  });

  it('off Windows, queue: stays CUPS and refuses a name CUPS cannot have', { skip: process.platform === 'win32' && 'Windows uses the spooler' }, async () => {
    await assert.rejects(printBytes('queue:EPSON%20TM-T20III', Uint8Array.of(0x1b, 0x40)), (e) => e instanceof KopilkaError && e.code === 'VALIDATION' && /CUPS/.test(e.message));
  });

  it('on Windows: an unknown printer is a DEVICE fault from OpenPrinter (error 1801)', { skip: process.platform !== 'win32' && 'needs Windows (winspool.drv, PowerShell)' }, async () => {
    await assert.rejects(printBytes('queue:Kopilka%20No%20Such%20Printer', Uint8Array.of(0x1b, 0x40, 0x0a)), (e) => {
      const details = (e as KopilkaError).details as { fault?: string; win32?: number } | undefined;
      return e instanceof KopilkaError && e.code === 'DEVICE' && details?.fault === 'offline' && details.win32 === 1801;
    });
    // With a real receipt printer installed, KOPILKA_TEST_WINDOWS_PRINTER=<name> prints a test line.
    const name = process.env.KOPILKA_TEST_WINDOWS_PRINTER;
    if (name) {
      const bytes = Uint8Array.from([0x1b, 0x40, ...Buffer.from('Kopilka spooler test\n\n\n\n', 'latin1'), 0x1d, 0x56, 0x01]);
      const r = await printBytes(`queue:${encodeURIComponent(name)}`, bytes);
      assert.equal(r.bytes, bytes.length);
    }
  });
});
