import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A linked PTY pair from socat: the app opens `a`, the test plays the device on `b`. */
export type PtyPair = { a: string; b: string; close(): Promise<void> };

export async function ptyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-pty-'));
  const a = join(dir, 'ttyA');
  const b = join(dir, 'ttyB');
  const child: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  const t0 = Date.now();
  while (!(existsSync(a) && existsSync(b))) {
    if (Date.now() - t0 > 5000 || child.exitCode !== null) throw new Error('socat did not create the PTY pair (apt-get install socat)');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    a,
    b,
    close: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) { rmSync(dir, { recursive: true, force: true }); return res(); }
        child.once('exit', () => { rmSync(dir, { recursive: true, force: true }); res(); });
        child.kill('SIGTERM');
      }),
  };
}
