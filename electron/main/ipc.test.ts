import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { channel, CHANNEL_NAMES, EVENT_NAMES, CONTRACT_VERSION, ipcChannel } from '../../core/contract';
import { KopilkaError } from '../../core/util/errors';
import { setLogSink } from '../../core/util/logger';
import { createIpcPair } from '../../test/stubs/electron';
import { createBridge } from '../preload/bridge';
import { createEventEmitter, registerContract } from './ipc';

setLogSink(() => {});

const mini = {
  'math.double': channel(z.object({ n: z.number().int() }), z.object({ n: z.number().int() }), 'double'),
  'math.fail': channel(z.object({}), z.object({}), 'always fails'),
  'math.leaky': channel(z.object({}), z.object({ shown: z.string() }), 'answers too much'),
  'math.broken': channel(z.object({}), z.object({ n: z.number() }), 'answers garbage'),
} as const;
const handlers = {
  'math.double': ({ n }: { n: number }) => ({ n: n * 2 }),
  'math.fail': () => { throw new KopilkaError('NOT_FOUND', 'No such thing'); },
  'math.leaky': () => ({ shown: 'yes', secret: 'pin-hash' }) as { shown: string },
  'math.broken': () => { throw new TypeError('boom'); },
};

test('one handler per channel; results travel as envelopes', async () => {
  const pair = createIpcPair();
  const off = registerContract(pair.ipcMain, mini, handlers);
  assert.deepEqual(pair.ipcMain.channels(), Object.keys(mini).map((k) => ipcChannel(k as never)).sort());
  assert.deepEqual(await pair.ipcRenderer.invoke('pos:math.double', { n: 21 }), { ok: true, value: { n: 42 } });
  assert.deepEqual(await pair.ipcRenderer.invoke('pos:math.fail', {}), { ok: false, error: { code: 'NOT_FOUND', message: 'No such thing' } });
  const bad = (await pair.ipcRenderer.invoke('pos:math.double', { n: 'x' })) as { ok: false; error: { code: string; message: string } };
  assert.equal(bad.ok, false);
  assert.equal(bad.error.code, 'VALIDATION');
  assert.match(bad.error.message, /^n: /);
  assert.deepEqual(await pair.ipcRenderer.invoke('pos:math.leaky', {}), { ok: true, value: { shown: 'yes' } }, 'output parsed: extra keys stripped');
  const crash = (await pair.ipcRenderer.invoke('pos:math.broken', {})) as { ok: false; error: { code: string; message: string } };
  assert.equal(crash.error.code, 'INTERNAL');
  assert.ok(!('stack' in crash.error));
  off();
  assert.deepEqual(pair.ipcMain.channels(), []);
});

test('foreign origins and iframes are refused before the handler runs', async () => {
  const pair = createIpcPair();
  let calls = 0;
  registerContract(pair.ipcMain, mini, { ...handlers, 'math.double': ({ n }: { n: number }) => { calls++; return { n }; } });
  for (const [url, parent] of [['https://evil.example/', null], ['app://pos.evil/', null], ['app://pos/index.html', {}]] as const) {
    pair.setSender(url, parent);
    const r = (await pair.ipcRenderer.invoke('pos:math.double', { n: 1 })) as { ok: boolean; error: { code: string } };
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'FORBIDDEN');
  }
  assert.equal(calls, 0);
});

test('the bridge exposes exactly the contract channels plus on(); no generic invoke', () => {
  const pair = createIpcPair();
  const bridge = createBridge(pair.ipcRenderer, CHANNEL_NAMES, EVENT_NAMES, CONTRACT_VERSION);
  const keys = Object.keys(bridge).sort();
  assert.deepEqual(keys, [...CHANNEL_NAMES, 'contractVersion', 'on'].sort());
  for (const forbidden of ['invoke', 'send', 'ipcRenderer', 'sendSync']) assert.equal((bridge as Record<string, unknown>)[forbidden], undefined);
  assert.ok(Object.isFrozen(bridge));
  assert.throws(() => bridge.on('no.such.event' as never, () => {}), /Unknown event/);
});

test('events are validated before they reach the renderer and can be unsubscribed', () => {
  const pair = createIpcPair();
  const bridge = createBridge(pair.ipcRenderer, CHANNEL_NAMES, EVENT_NAMES, CONTRACT_VERSION);
  const events = { 'device.scanned': z.object({ code: z.string().min(1) }) };
  const emit = createEventEmitter(events, () => pair.webContents);
  const got: unknown[] = [];
  const off = bridge.on('device.scanned', (p) => got.push(p));
  assert.equal(emit('device.scanned', { code: '4601234567893', extra: 1 }), true);
  assert.equal(emit('device.scanned', { code: '' }), false, 'malformed payload dropped');
  off();
  assert.equal(pair.listenerCount('pos:event:device.scanned'), 0);
  emit('device.scanned', { code: 'after-off' });
  assert.deepEqual(got, [{ code: '4601234567893' }]);
});
