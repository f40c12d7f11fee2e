import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SerialPort } from 'serialport';
import { textLines, tokenize } from './escpos-tokenizer';
import { epsonStatusByte, startFakePrinter, type FakePrinter } from './fake-printer';
import { ptyPair } from './pty';

/**
 * The real `kopilka` binary in child processes (async, so the fake printer and PTY device in
 * this process keep answering status queries while the CLI prints).
 */
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'kopilka.mjs');
let dir: string;
let fp: FakePrinter;
type Run = { code: number; stdout: string; stderr: string };

function cli(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, '--db', join(dir, 'k.db'), ...args], { env: { ...process.env, KOPILKA_PIN: '' } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    c.stdin.end(input ?? '');
  });
}
const DRIVER = join(import.meta.dirname, '..', '..', 'backend', 'testing', 'cli-driver.ts');
/** Several commands in one child process (the terminal core's cli-driver), run asynchronously. */
function batch(...argvs: string[][]): Promise<Run[]> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', DRIVER]);
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as Run[]) : reject(new Error(stderr))));
    c.stdin.end(JSON.stringify(argvs.map((a) => ({ argv: ['--db', join(dir, 'k.db'), '--json', ...a] }))));
  });
}
function okOf(r: Run, what = ''): Record<string, unknown> {
  assert.equal(r.code, 0, `${what}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}
async function settle(bytes: number) {
  const t0 = Date.now();
  while (fp.received().length < bytes && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kopilka-cli-print-'));
  fp = await startFakePrinter();
});
after(async () => {
  await fp.close();
  rmSync(dir, { recursive: true, force: true });
});

// Each batch is one child process (start-up dominates CLI test time on a busy machine).
describe('kopilka print / scan', () => {
  it('print sale <n> to a TCP printer with a 58 mm profile', async () => {
    const rs = await batch(
      ['init', '--demo'],
      ['staff', 'add', '--name', 'Анна', '--role', 'owner', '--new-pin', '1234'],
      ['sale', '--item', 'ESPRESSO:2', '--pay', 'cash:500'],
      ['print', 'sale', '1', '--printer', fp.uri, '--profile', 'epson-58'],
    );
    rs.forEach((r, i) => okOf(r, `step ${i}`));
    const job = okOf(rs[3]!).job as { bytes: number; profile: string };
    assert.equal(job.profile, 'epson-58');
    await settle(job.bytes);
    const lines = textLines(tokenize(fp.received()), 32);
    assert.ok(lines.some((l) => l.includes('ЧЕК № 1')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('Эспрессо')));
    assert.ok(lines.every((l) => [...l].length <= 32));
  });

  it('paper out: exit 1 with the job id; print queue shows it; print retry prints it; print last makes a copy', async () => {
    const before = fp.received().length;
    fp.fault = 'paper_out';
    const [r, qr] = await batch(['print', 'sale', '1', '--printer', fp.uri], ['print', 'queue']);
    assert.equal(r!.code, 1);
    const err = JSON.parse(r!.stderr.trim().split('\n').at(-1)!) as { error: { code: string; message: string; details: { jobId: string; fault: string } } };
    assert.equal(err.error.code, 'DEVICE');
    assert.equal(err.error.details.fault, 'paper_out');
    assert.match(err.error.message, /out of paper.*waits in the print queue/);
    assert.deepEqual((okOf(qr!).pending as { id: string }[]).map((j) => j.id), [err.error.details.jobId]);
    fp.fault = null;
    const [retry, q2, last] = await batch(['print', 'retry'], ['print', 'queue'], ['print', 'last', '--printer', fp.uri]);
    assert.deepEqual(okOf(retry!).printed, [err.error.details.jobId]);
    assert.deepEqual(okOf(q2!).pending, []);
    const copy = okOf(last!).job as { copy: boolean; bytes: number };
    assert.equal(copy.copy, true);
    await settle(before + 1);
    const lines = textLines(tokenize(fp.received().subarray(before)), 48);
    assert.ok(lines.some((l) => l.includes('КОПИЯ')));
  });

  it('print test (Xprinter WPC1251) and print z over a serial PTY printer', async () => {
    const pty = await ptyPair();
    const dev = new SerialPort({ path: pty.b, baudRate: 19200, autoOpen: false });
    await new Promise<void>((res, rej) => dev.open((e) => (e ? rej(e) : res())));
    const got: number[] = [];
    dev.on('data', (c: Buffer) => {
      for (const b of c) {
        got.push(b);
        const n = got.length;
        if (n >= 3 && got[n - 3] === 0x10 && got[n - 2] === 0x04) {
          const q = got[n - 1]!;
          got.length -= 3;
          dev.write(Buffer.of(epsonStatusByte(q, null)));
        }
      }
    });
    try {
      const uri = `serial:${pty.a}?baud=19200`;
      const [t, closed, zr] = await batch(
        ['print', 'test', '--printer', uri, '--profile', 'xprinter-80-1251'],
        ['shift', 'close', '--counted', '1240', '--pin', '1234'],
        ['print', 'z', '1', '--printer', uri],
      );
      okOf(closed!, 'shift close');
      const total = (okOf(t!).job as { bytes: number }).bytes + (okOf(zr!, 'print z').job as { bytes: number }).bytes;
      const t0 = Date.now();
      while (got.length < total && Date.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 10));
      assert.equal(got.length, total);
      const tokens = tokenize(Uint8Array.from(got), { 23: 'win1251', 17: 'cp866' });
      assert.deepEqual(tokens.filter((x) => x.t === 'codepage').map((x) => (x as { n: number }).n).filter((n, i, a) => a.indexOf(n) === i), [23, 17], 'Xprinter WPC1251 = ESC t 23, then the Epson profile\'s CP866 = 17');
      const lines = textLines(tokens, 48);
      assert.ok(lines.some((l) => l.includes('Тестовая печать')));
      assert.ok(lines.some((l) => /Z-ОТЧ[ЕЁ]Т/i.test(l)), lines.join('\n'));
    } finally {
      await new Promise<void>((res) => dev.close(() => res()));
      await pty.close();
    }
  });

  it('the default virtual printer stores a job and its PNG preview; bad addresses are refused', async () => {
    const [setup, test, bad] = await batch(['print', 'setup', '--printer', '', '--profile', 'epson-58'], ['print', 'test'], ['print', 'test', '--printer', 'lpt1']);
    okOf(setup!);
    okOf(test!);
    assert.deepEqual(readdirSync(join(dir, 'prints')).sort(), ['job-000001.bin', 'job-000001.png', 'job-000001.txt']);
    assert.equal(bad!.code, 1);
    assert.match(bad!.stderr, /not valid.*Examples/);
  });

  it('scan --source stdin: --json (the real binary) prints one JSON line per scan with its route', async () => {
    const r = await cli(['--json', 'scan', '--source', 'stdin:'], ']E04601234567893\nKOPILKA:CARD:AbC-12345\n');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines, [
      { source: 'virtual', symbology: 'ean13', data: '4601234567893', aim: ']E0', route: { kind: 'product', code: '4601234567893', maybeMember: false } },
      { source: 'virtual', symbology: 'qr', data: 'KOPILKA:CARD:AbC-12345', route: { kind: 'member', code: 'AbC-12345' } },
    ]);
  });
});
