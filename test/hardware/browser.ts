import { createServer, type Server } from 'node:http';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

/**
 * Small real-browser harness for the scanner modules: bundle a test entry with esbuild,
 * serve it with an HTML shell from 127.0.0.1 (a secure context for getUserMedia), and launch
 * the system Chromium.
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function bundle(entry: string): Promise<string> {
  const out = await build({ entryPoints: [entry], bundle: true, write: false, format: 'iife', target: 'chrome120', logLevel: 'silent' });
  return out.outputFiles[0]!.text;
}

export type PageServer = { url: string; close(): Promise<void> };

export async function servePage(body: string, script: string): Promise<PageServer> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>scanner test</title></head><body>${body}<script src="/app.js"></script></body></html>`;
  const server: Server = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}
