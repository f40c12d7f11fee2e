import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private CUPS scheduler for tests: its own config, spool and port on 127.0.0.1, one raw
 * queue whose "device" is a capture backend writing each job's bytes to a file. The real
 * `lp` talks to it through CUPS_SERVER, so `queue:NAME` printing runs end to end.
 * Needs cupsd (Debian package cups-daemon); `available()` says whether it is installed.
 */
export const CUPSD = '/usr/sbin/cupsd';
export function cupsdAvailable(): boolean {
  return existsSync(CUPSD) && existsSync('/usr/lib/cups/daemon/cups-exec') && spawnSync('which', ['lpadmin']).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

export type Cups = { server: string; queue: string; capture: string; close(): Promise<void> };

export async function startCups(queue = 'KOPILKA_TEST'): Promise<Cups> {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-cups-'));
  chmodSync(dir, 0o755);
  for (const d of ['spool', 'tmp', 'state', 'cache', 'log', 'bin/backend']) mkdirSync(join(dir, d), { recursive: true });
  symlinkSync('/usr/lib/cups/daemon', join(dir, 'bin', 'daemon'));
  const capture = join(dir, 'capture.bin');
  writeFileSync(capture, '');
  chmodSync(capture, 0o666);
  // A CUPS backend: called with the job file as argv[6]; copies the bytes as they are.
  const backend = join(dir, 'bin', 'backend', 'capture');
  writeFileSync(backend, `#!/bin/sh\n[ $# -eq 0 ] && { echo 'direct capture "Unknown" "Kopilka test capture"'; exit 0; }\nout="\${DEVICE_URI#capture:}"\nif [ -n "$6" ]; then cat "$6" >> "$out"; else cat >> "$out"; fi\n`);
  chmodSync(backend, 0o700);
  const port = await freePort();
  writeFileSync(join(dir, 'cupsd.conf'), `Listen 127.0.0.1:${port}\nLogLevel warn\nDefaultAuthType None\nWebInterface No\nBrowsing No\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n`);
  writeFileSync(
    join(dir, 'cups-files.conf'),
    [`ServerRoot ${dir}`, `RequestRoot ${dir}/spool`, `TempDir ${dir}/tmp`, `StateDir ${dir}/state`, `CacheDir ${dir}/cache`, `ErrorLog ${dir}/log/error_log`,
      `AccessLog ${dir}/log/access_log`, `PageLog ${dir}/log/page_log`, `ServerBin ${dir}/bin`, 'DataDir /usr/share/cups', 'SystemGroup root'].join('\n') + '\n',
  );
  const child: ChildProcess = spawn(CUPSD, ['-f', '-c', join(dir, 'cupsd.conf'), '-s', join(dir, 'cups-files.conf')], { stdio: 'ignore' });
  const server = `127.0.0.1:${port}`;
  let ok = false;
  for (let i = 0; i < 50 && !ok; i++) {
    await new Promise((r) => setTimeout(r, 100));
    ok = spawnSync('lpadmin', ['-h', server, '-p', queue, '-E', '-v', `capture:${capture}`, '-m', 'raw'], { encoding: 'utf8' }).status === 0;
  }
  if (!ok) {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
    throw new Error('private cupsd did not start');
  }
  return {
    server,
    queue,
    capture,
    close: () =>
      new Promise<void>((res) => {
        const done = () => { rmSync(dir, { recursive: true, force: true }); res(); };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
