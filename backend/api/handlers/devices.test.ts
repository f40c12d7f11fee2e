import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SerialPort } from 'serialport';
import { CHANNELS, EVENTS, dispatch, parseEvent } from '../../../core/contract';
import { createTestStore, type TestStore } from '../../testing/store';
import { addStaff } from '../../staff/staff';
import { startFakePrinter, type FakePrinter } from '../../../test/hardware/fake-printer';
import { ptyPair } from '../../../test/hardware/pty';
import { decodeQrPng } from '../../../test/hardware/zxing-decode';
import { createApi, createSessionRegistry } from '../index';

/** The devices channels through the real contract boundary (dispatch parses input and output). */
let store: TestStore;
let fp: FakePrinter;
let dir: string;
const events: { name: string; payload: unknown }[] = [];
let call: (name: string, input?: unknown) => Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }>;

before(async () => {
  store = await createTestStore('kopilka-devices-api-');
  dir = mkdtempSync(join(tmpdir(), 'kopilka-devices-'));
  fp = await startFakePrinter();
  const handlers = createApi({
    db: store.db,
    sessions: createSessionRegistry(),
    emit: (name, payload) => {
      assert.notEqual(parseEvent(EVENTS, name, payload), null, `event ${name} matches the contract`);
      events.push({ name, payload });
    },
  });
  call = (name, input = {}) => dispatch(CHANNELS, handlers, name, input) as never;
  addStaff(store.db, null, { name: 'Ольга', role: 'owner', pin: '2468' });
});
after(async () => {
  await fp.close();
  store.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('devices channels', () => {
  it('settings: read, refuse without a manager session, change with one', async () => {
    const g = await call('printer.settings.get');
    assert.equal(g.ok, true);
    assert.equal(g.value.settings.uri, '');
    assert.match(g.value.effectiveUri, /^virtual:.*prints$/);
    assert.ok(g.value.profiles.some((p: { name: string }) => p.name === 'xprinter-80-1251'));
    const denied = await call('printer.settings.set', { session: 'x'.repeat(32), uri: fp.uri });
    assert.equal(denied.error?.code, 'UNAUTHENTICATED');
    const login = await call('auth.login', { pin: '2468' });
    assert.equal(login.ok, true, JSON.stringify(login.error));
    const set = await call('printer.settings.set', { session: login.value.session, uri: fp.uri, profile: 'epson-58' });
    assert.equal(set.ok, true, JSON.stringify(set.error));
    assert.equal(set.value.effectiveUri, fp.uri);
    const bad = await call('printer.settings.set', { session: login.value.session, uri: 'ftp://x' });
    assert.equal(bad.error?.code, 'VALIDATION');
  });

  it('test print, queue while paper is out, retry, preview of the printed job (QR decodes)', async () => {
    const t = await call('printer.test');
    assert.equal(t.ok, true, JSON.stringify(t.error));
    assert.equal(t.value.printed, true);
    fp.fault = 'paper_out';
    const held = await call('printer.test');
    assert.equal(held.value.printed, false);
    assert.equal(held.value.fault, 'paper_out');
    assert.match(held.value.message, /out of paper/);
    fp.fault = null;
    const pv = await call('printer.preview', { jobId: t.value.job.id });
    assert.equal(pv.ok, true, JSON.stringify(pv.error));
    assert.ok(pv.value.text.some((l: string) => l.includes('Тестовая печать')));
    const png = Buffer.from(pv.value.png, 'base64');
    assert.equal(decodeQrPng(png, { y0: Math.round(pv.value.height * 0.55), y1: pv.value.height }), 'https://kopilka.example/r/T1-42?s=68650');
    const q = await call('printer.queue');
    assert.deepEqual(q.value.pending, []);
    assert.ok(events.some((e) => e.name === 'printer.queue'));
  });

  it('scan.route classifies; devices.discover answers without hardware', async () => {
    const r = await call('scan.route', { source: 'camera', symbology: 'qr', data: 'KOPILKA:CARD:AbC-12345' });
    assert.deepEqual(r.value, { kind: 'member', code: 'AbC-12345' });
    const d = await call('devices.discover');
    assert.equal(d.ok, true, JSON.stringify(d.error));
    assert.ok(Array.isArray(d.value.serial.items));
  });

  it('scanner.listen on a serial PTY pushes typed, routed scan events', async () => {
    const login = await call('auth.login', { pin: '2468' });
    const pty = await ptyPair();
    const dev = new SerialPort({ path: pty.b, baudRate: 9600, autoOpen: false });
    await new Promise<void>((res, rej) => dev.open((e) => (e ? rej(e) : res())));
    try {
      const uri = `serial:${pty.a}?baud=9600`;
      const l = await call('scanner.listen', { session: login.value.session, uri });
      assert.equal(l.ok, true, JSON.stringify(l.error));
      assert.deepEqual((await call('scanner.sources')).value, [{ uri, state: 'ready', detail: 'serial scanner' }]);
      dev.write(']E04601234567893\r\n');
      const t0 = Date.now();
      while (!events.some((e) => e.name === 'scan.event') && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 10));
      const ev = events.find((e) => e.name === 'scan.event')!.payload as { data: string; route: { kind: string }; aim: string };
      assert.equal(ev.data, '4601234567893');
      assert.equal(ev.aim, ']E0');
      assert.equal(ev.route.kind, 'product');
      assert.ok(events.some((e) => e.name === 'device.scanned'));
      const s = await call('scanner.stop', { session: login.value.session, uri });
      assert.deepEqual(s.value, { stopped: true });
    } finally {
      await new Promise<void>((res) => dev.close(() => res()));
      await pty.close();
    }
  });
});
