// A node:test reporter that prints only the closing line CI reads: `N passed, N failed, N skipped`.
// Suites are not counted, only tests; a file that crashes before its tests run counts as failed.
export default async function* summary(source) {
  let passed = 0, failed = 0, skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    if (d.details?.type === 'suite') {
      // A suite failing on its own (hook error, file crash) with no failing child still counts once.
      if (event.type === 'test:fail' && d.details?.error?.failureType !== 'subtestsFailed') failed++;
      continue;
    }
    if (d.skip || d.todo) skipped++;
    else if (event.type === 'test:pass') passed++;
    else failed++;
  }
  yield `\n${passed} passed, ${failed} failed, ${skipped} skipped\n`;
}
