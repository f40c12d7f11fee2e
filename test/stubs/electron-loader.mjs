// Module hook: `electron` → the recording stub (see electron-main.mjs). Used only by tests.
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: new URL('./electron-main.mjs', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
