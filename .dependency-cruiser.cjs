/** Layering rules; see docs/conventions.md. `test/lint/boundaries.test.ts` runs this. */
const forbid = (name, from, to, comment) => ({ name, severity: 'error', comment, from: { path: from }, to: { path: to } });
module.exports = {
  forbidden: [
    forbid('core-is-pure', '^core/', '^(backend|native|server|renderer|electron)/', 'core is the pure domain'),
    { name: 'core-no-node', severity: 'error', comment: 'core runs in the browser too (tests may use node:test)', from: { path: '^core/', pathNot: '\\.test\\.tsx?$' }, to: { dependencyTypes: ['core'] } },
    forbid('core-no-electron', '^core/', 'node_modules/electron/', 'core never sees electron'),
    forbid('backend-layer', '^backend/', '^(renderer|electron|server)/|node_modules/electron/', 'backend is Node-only and electron-free'),
    forbid('native-layer', '^native/', '^(renderer|electron|server|backend)/|node_modules/electron/', 'drivers depend on core only'),
    forbid('server-layer', '^server/', '^(renderer|electron|backend|native)/|node_modules/electron/', 'the server shares only core'),
    forbid('renderer-layer', '^renderer/', '^(backend|native|server|electron)/|node_modules/electron/', 'the renderer talks through the contract'),
    { name: 'renderer-no-node', severity: 'error', from: { path: '^renderer/', pathNot: '\\.test\\.tsx?$' }, to: { dependencyTypes: ['core'] } },
    { name: 'electron-only-in-shell', severity: 'error', comment: 'no binary here: only electron/ may load it', from: { pathNot: '^electron/' }, to: { path: 'node_modules/electron/' } },
    forbid('electron-layer', '^electron/', '^(renderer|server)/', 'main/preload never import the UI'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
