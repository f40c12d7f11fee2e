import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KopilkaError } from '../../core/util/errors';
import type { PrinterFault } from './status';

/**
 * Raw printing through the Windows spooler: the job goes to winspool.drv (OpenPrinter,
 * StartDocPrinter with the RAW datatype, WritePrinter) so the driver passes our ESC/POS bytes
 * through untouched. Node has no binding for it, so a fixed PowerShell script declares the
 * calls with Add-Type (P/Invoke) and runs them.
 *
 * Nothing from the outside is ever part of the script text: the printer name and the path of
 * the temp file holding the bytes reach it as environment variables, and the script is passed
 * as -EncodedCommand (base64 UTF-16LE), so no quoting can turn a name into code. Names are
 * still validated, to refuse what cannot be a Windows printer name with a clear message.
 */
const SCRIPT = String.raw`
$ErrorActionPreference = 'Stop'
# Win32 messages are localised (Cyrillic on a Russian Windows): send them as UTF-8, as Node reads them.
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
Add-Type -TypeDefinition @'
using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
public static class KopilkaRawPrint {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public class DocInfo {
    [MarshalAs(UnmanagedType.LPWStr)] public string Name;
    [MarshalAs(UnmanagedType.LPWStr)] public string OutputFile;
    [MarshalAs(UnmanagedType.LPWStr)] public string Datatype;
  }
  [DllImport("winspool.drv", EntryPoint = "OpenPrinterW", SetLastError = true, CharSet = CharSet.Unicode)]
  static extern bool OpenPrinter(string name, out IntPtr printer, IntPtr defaults);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool ClosePrinter(IntPtr printer);
  [DllImport("winspool.drv", EntryPoint = "StartDocPrinterW", SetLastError = true, CharSet = CharSet.Unicode)]
  static extern int StartDocPrinter(IntPtr printer, int level, [In] DocInfo doc);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndDocPrinter(IntPtr printer);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool StartPagePrinter(IntPtr printer);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndPagePrinter(IntPtr printer);
  [DllImport("winspool.drv", SetLastError = true)]
  static extern bool WritePrinter(IntPtr printer, byte[] data, int count, out int written);
  static Exception Fail(string step) {
    int code = Marshal.GetLastWin32Error();
    return new Exception("KOPILKA_SPOOLER " + step + " " + code + " " + new Win32Exception(code).Message);
  }
  public static int Print(string name, byte[] data) {
    IntPtr h;
    if (!OpenPrinter(name, out h, IntPtr.Zero)) throw Fail("OpenPrinter");
    try {
      DocInfo doc = new DocInfo();
      doc.Name = "Kopilka receipt";
      doc.Datatype = "RAW";
      if (StartDocPrinter(h, 1, doc) == 0) throw Fail("StartDocPrinter");
      try {
        if (!StartPagePrinter(h)) throw Fail("StartPagePrinter");
        int written;
        if (!WritePrinter(h, data, data.Length, out written)) throw Fail("WritePrinter");
        if (written != data.Length) throw new Exception("KOPILKA_SPOOLER WritePrinter 0 wrote " + written + " of " + data.Length + " bytes");
        EndPagePrinter(h);
      } finally { EndDocPrinter(h); }
    } finally { ClosePrinter(h); }
    return data.Length;
  }
}
'@
try {
  $bytes = [System.IO.File]::ReadAllBytes($env:KOPILKA_RAW_FILE)
  [void][KopilkaRawPrint]::Print($env:KOPILKA_PRINTER, $bytes)
} catch {
  # PowerShell wraps what the C# threw ("Exception calling Print ..."): report the innermost message.
  $e = $_.Exception
  while ($e.InnerException) { $e = $e.InnerException }
  [Console]::Error.WriteLine($e.Message)
  exit 3
}
`;

/** What Windows accepts in a printer name, minus what no sane one holds; `\\server\share` allowed. */
export function checkWindowsPrinterName(name: string): string {
  const ok = name.length > 0 && name.length <= 220 && !/[\x00-\x1f"'`$;|&<>,!*?]/.test(name) && name === name.trim();
  if (!ok) {
    throw new KopilkaError('VALIDATION', `"${name}" is not a Windows printer name. Use the name shown in Settings → Printers & scanners, e.g. queue:EPSON_TM-T20III`, { name });
  }
  return name;
}

export type SpoolerCommand = Readonly<{ file: string; args: readonly string[]; env: Readonly<Record<string, string>> }>;

/** The PowerShell invocation that prints `rawFile` on `printer` (validated); the script never changes. */
export function spoolerCommand(printer: string, rawFile: string): SpoolerCommand {
  checkWindowsPrinterName(printer);
  return {
    file: 'powershell.exe',
    args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(SCRIPT, 'utf16le').toString('base64')],
    env: { KOPILKA_PRINTER: printer, KOPILKA_RAW_FILE: rawFile },
  };
}

/** Win32 errors the spooler reports, as the cashier's fault and message. */
const WIN32: Readonly<Record<number, { fault: PrinterFault; what: string }>> = {
  1801: { fault: 'offline', what: 'Windows has no printer with this name (check Settings → Printers & scanners)' },
  5: { fault: 'error', what: 'Windows refused access to the printer (printer permissions)' },
  1722: { fault: 'offline', what: 'the print spooler service is not running (start "Print Spooler" in Services)' },
  1797: { fault: 'error', what: 'the printer driver is unknown to Windows (reinstall the printer)' },
  1804: { fault: 'error', what: 'the printer driver does not accept RAW jobs (use the "Generic / Text Only" driver)' },
  1905: { fault: 'offline', what: 'the printer was deleted from Windows' },
  1906: { fault: 'error', what: 'the printer is being deleted from Windows' },
};

export type SpoolerFailure = Readonly<{ fault: PrinterFault; message: string; step?: string; win32?: number }>;

/** Map the script's exit status and stderr (`KOPILKA_SPOOLER <step> <code> <text>`) to a fault. */
export function spoolerFailure(exitCode: number | null, stderr: string): SpoolerFailure {
  const m = /KOPILKA_SPOOLER (\w+) (\d+) ?(.*)/.exec(stderr);
  if (m) {
    const code = Number(m[2]);
    const known = WIN32[code];
    const step = m[1]!;
    if (known) return { fault: known.fault, message: known.what, step, win32: code };
    return { fault: step === 'WritePrinter' ? 'error' : 'offline', message: `${step} failed: ${m[3]!.trim() || `Windows error ${code}`}`, step, win32: code };
  }
  const text = stderr.trim().split(/\r?\n/)[0] ?? '';
  return { fault: 'error', message: text || `PowerShell exited with ${exitCode}` };
}

/** Send one job through the spooler (win32 only). Throws KopilkaError('DEVICE') with details.fault. */
export async function printViaSpooler(printer: string, bytes: Uint8Array, uri: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-spool-'));
  const file = join(dir, 'job.bin');
  try {
    writeFileSync(file, bytes);
    const cmd = spoolerCommand(printer, file);
    await new Promise<void>((resolve, reject) => {
      const ps = spawn(cmd.file, [...cmd.args], { env: { ...process.env, ...cmd.env }, stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
      let err = '';
      ps.stderr.on('data', (c: Buffer) => (err += c.toString()));
      ps.on('error', (e: NodeJS.ErrnoException) =>
        reject(new KopilkaError('DEVICE', e.code === 'ENOENT' ? 'PowerShell (powershell.exe) is missing: it is needed to print through the Windows spooler' : e.message, { uri, fault: 'error' })),
      );
      ps.on('close', (code) => {
        if (code === 0) return resolve();
        const f = spoolerFailure(code, err);
        reject(new KopilkaError('DEVICE', `The receipt printer "${printer}" cannot print: ${f.message}. The receipt waits in the print queue.`, { uri, fault: f.fault, ...(f.win32 !== undefined ? { win32: f.win32 } : {}), ...(f.step ? { step: f.step } : {}) }));
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
