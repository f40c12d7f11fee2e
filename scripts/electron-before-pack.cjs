// electron-builder beforePack hook: rebuild better-sqlite3 (the one addon that is not N-API)
// for the target Electron ABI, and only here, at packaging time, on a machine with internet
// access (it downloads Electron headers). serialport and node-hid are N-API and need nothing.
// Never run this from postinstall: development and tests use the Node build.
const { join } = require('node:path');

module.exports = async function beforePack(context) {
  // ESM-only package (comes with electron-builder's app-builder-lib).
  const { rebuild } = await import('@electron/rebuild');
  const root = join(__dirname, '..');
  const electronVersion = context.packager.config.electronVersion || require(join(root, 'node_modules/electron/package.json')).version;
  const archNames = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };
  const arch = archNames[context.arch] || process.arch;
  process.stderr.write(`beforePack: rebuilding better-sqlite3 for Electron ${electronVersion} (${context.electronPlatformName}/${arch})\n`);
  await rebuild({ buildPath: root, electronVersion, arch, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
};
