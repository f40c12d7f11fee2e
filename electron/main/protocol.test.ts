import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { contentTypeFor, resolveAppPath } from './protocol';

const root = resolve('/srv/app/dist/renderer');

test('app:// paths resolve inside the renderer folder', () => {
  assert.equal(resolveAppPath(root, 'app://pos/'), join(root, 'index.html'));
  assert.equal(resolveAppPath(root, 'app://pos/manager/program'), join(root, 'index.html'), 'client route');
  assert.equal(resolveAppPath(root, 'app://pos/assets/index-abc.js'), join(root, 'assets/index-abc.js'));
  assert.equal(resolveAppPath(root, 'app://pos/assets/a%20b.css'), join(root, 'assets/a b.css'));
});

test('traversal, other hosts and odd encodings are refused', () => {
  for (const bad of [
    'app://pos/assets/..%2f..%2f..%2fetc/shadow.txt',
    'app://pos/..%5c..%5cwindows%5cwin.ini',
    'app://pos/a%00.js',
    'app://pos/%E0%A4%A.js',
    'app://evil/index.js',
    'https://pos/index.js',
    'garbage',
  ]) {
    assert.equal(resolveAppPath(root, bad), null, bad);
  }
});

test('dot segments the URL parser folds away still land inside the root', () => {
  // new URL() already collapses literal ../ so this is /etc/passwd.txt under root, never /etc.
  assert.equal(resolveAppPath(root, 'app://pos/../../etc/passwd.txt'), join(root, 'etc/passwd.txt'));
  assert.equal(resolveAppPath(root, 'app://pos/%2e%2e/%2e%2e/etc/passwd.txt'), join(root, 'etc/passwd.txt'));
});

test('content types', () => {
  assert.match(contentTypeFor('a.js'), /javascript/);
  assert.match(contentTypeFor('index.html'), /text\/html/);
  assert.equal(contentTypeFor('x.bin'), 'application/octet-stream');
});
