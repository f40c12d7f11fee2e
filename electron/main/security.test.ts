import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTENT_SECURITY_POLICY, isAppUrl, isExternalUrlAllowed, isNavigationAllowed, isPermissionAllowed, isPermissionCheckAllowed,
  isTrustedSender, isWebviewAllowed, secureWebPreferences, windowOpenPolicy,
} from './security';

test('only app://pos counts as our origin (parsed, not prefix-matched)', () => {
  assert.equal(isAppUrl('app://pos/index.html'), true);
  assert.equal(isAppUrl('app://pos/#/manager'), true);
  for (const bad of ['app://pos.evil.com/', 'app://posx/', 'app://evil/pos', 'https://pos/', 'file:///pos/index.html', 'app://user@pos/', 'app://pos:8080/', 'javascript:alert(1)', '', 'not a url', 42]) {
    assert.equal(isAppUrl(bad), false, String(bad));
  }
});

test('webPreferences keep isolation, sandbox and web security on', () => {
  const p = secureWebPreferences('/x/preload.cjs');
  assert.equal(p.contextIsolation, true);
  assert.equal(p.sandbox, true);
  assert.equal(p.nodeIntegration, false);
  assert.equal(p.nodeIntegrationInSubFrames, false);
  assert.equal(p.webSecurity, true);
  assert.equal(p.allowRunningInsecureContent, false);
  assert.equal(p.webviewTag, false);
  assert.equal(p.experimentalFeatures, false);
  assert.equal(p.preload, '/x/preload.cjs');
});

test('CSP forbids inline/eval script, foreign hosts and framing', () => {
  const dirs = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => { const [k, ...v] = d.trim().split(/\s+/); return [k!, v]; }));
  assert.deepEqual(dirs.get('default-src'), ["'none'"]);
  assert.deepEqual(dirs.get('script-src'), ["'self'"]);
  assert.deepEqual(dirs.get('object-src'), ["'none'"]);
  assert.deepEqual(dirs.get('frame-ancestors'), ["'none'"]);
  assert.ok(!CONTENT_SECURITY_POLICY.includes('unsafe-eval'));
  assert.ok(!CONTENT_SECURITY_POLICY.includes('unsafe-inline'));
  assert.ok(!/https?:|\*/.test(CONTENT_SECURITY_POLICY));
});

test('IPC senders: own origin and top frame only', () => {
  assert.equal(isTrustedSender({ senderFrame: { url: 'app://pos/index.html', parent: null } }), true);
  assert.equal(isTrustedSender({ senderFrame: { url: 'app://pos/index.html', parent: {} } }), false, 'iframe');
  assert.equal(isTrustedSender({ senderFrame: { url: 'https://evil.example/', parent: null } }), false);
  assert.equal(isTrustedSender({ senderFrame: null }), false, 'frame gone');
  assert.equal(isTrustedSender({}), false);
});

test('navigation, new windows, webviews and external links are refused', () => {
  assert.equal(isNavigationAllowed('app://pos/#/manager'), true);
  assert.equal(isNavigationAllowed('https://example.com/'), false);
  assert.equal(isNavigationAllowed('file:///etc/passwd'), false);
  assert.deepEqual(windowOpenPolicy(), { action: 'deny' });
  assert.equal(isWebviewAllowed(), false);
  assert.equal(isExternalUrlAllowed('https://example.com'), false);
});

test('permissions: camera for our origin only; no microphone, geolocation or foreign origins', () => {
  assert.equal(isPermissionAllowed('media', 'app://pos/index.html', { mediaTypes: ['video'] }), true);
  assert.equal(isPermissionAllowed('media', 'app://pos/index.html', { mediaTypes: ['video', 'audio'] }), false);
  assert.equal(isPermissionAllowed('media', 'app://pos/index.html', { mediaTypes: ['audio'] }), false);
  assert.equal(isPermissionAllowed('media', 'app://pos/index.html', {}), false);
  assert.equal(isPermissionAllowed('media', 'https://evil.example/', { mediaTypes: ['video'] }), false);
  for (const p of ['geolocation', 'notifications', 'hid', 'serial', 'usb', 'clipboard-read', 'openExternal']) {
    assert.equal(isPermissionAllowed(p, 'app://pos/'), false, p);
  }
  assert.equal(isPermissionCheckAllowed('media', 'app://pos'), true);
  assert.equal(isPermissionCheckAllowed('media', 'https://evil.example'), false);
  assert.equal(isPermissionCheckAllowed('geolocation', 'app://pos'), false);
});
