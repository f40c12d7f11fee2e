// Child process: loads the built main bundle against the electron stub, then drives what it
// registered and prints one JSON report on stdout.
const stubUrl = new URL('../stubs/electron-main.mjs', import.meta.url).href;
const loaded = new Promise((ok) => (globalThis.__electronStubLoaded = ok));
await import(stubUrl);
globalThis.__electronStub.onLoaded = () => globalThis.__electronStubLoaded();
await import(process.argv[2]);
await loaded;
const rec = globalThis.__electronStub;
const win = rec.windows[0];
const trusted = { senderFrame: { url: 'app://pos/index.html', parent: null } };
const foreign = { senderFrame: { url: 'https://evil.example/', parent: null } };
const info = await rec.ipc.get('pos:app.info')(trusted, {});
const refused = await rec.ipc.get('pos:app.info')(foreign, {});
const badInput = await rec.ipc.get('pos:sale.quote')(trusted, { lines: [{ productId: 'x', qty: -1 }] });
const anna = await rec.ipc.get('pos:member.identify')(trusted, { code: '2000000100012' });
const perm = (p, url, d) => new Promise((ok) => rec.permissionRequest({ getURL: () => url }, p, ok, { requestingUrl: url, ...d }));
const nav = (url) => {
  const contents = new (class { constructor() { this.l = {}; } on(e, f) { this.l[e] = f; } setWindowOpenHandler(f) { this.open = f; } })();
  rec.appListeners.get('web-contents-created')({}, contents);
  let prevented = false;
  contents.l['will-navigate']({ preventDefault: () => (prevented = true) }, url);
  return { prevented, open: contents.open({ url: 'https://x' }), webviewGuard: typeof contents.l['will-attach-webview'] === 'function' };
};
const proto = async (url) => {
  const r = await rec.protocolHandler.f({ url });
  return { status: r.status, csp: r.headers.get('content-security-policy'), type: r.headers.get('content-type') };
};
const headers = await new Promise((ok) => rec.headersReceived({ responseHeaders: {} }, (r) => ok(r.responseHeaders)));
process.stdout.write(JSON.stringify({
  channels: [...rec.ipc.keys()].sort(),
  webPreferences: win.opts.webPreferences,
  url: win.url,
  privileged: rec.privileged,
  scheme: rec.protocolHandler.scheme,
  info, refused, badInput, annaName: anna.ok ? anna.value?.name : anna,
  permissions: {
    camera: await perm('media', 'app://pos/index.html', { mediaTypes: ['video'] }),
    micro: await perm('media', 'app://pos/index.html', { mediaTypes: ['audio'] }),
    foreignCamera: await perm('media', 'https://evil.example/', { mediaTypes: ['video'] }),
    geo: await perm('geolocation', 'app://pos/index.html', {}),
    checkMedia: rec.permissionCheck({}, 'media', 'app://pos'),
    checkForeign: rec.permissionCheck({}, 'media', 'https://evil.example'),
  },
  navEvil: nav('https://evil.example/'),
  navOwn: nav('app://pos/#/manager'),
  protoIndex: await proto('app://pos/index.html'),
  protoTraversal: await proto('app://pos/..%2f..%2fetc/passwd.txt'),
  protoOtherHost: await proto('app://evil/index.html'),
  cspHeader: headers['Content-Security-Policy'],
}) + '\n');
process.exit(0);
