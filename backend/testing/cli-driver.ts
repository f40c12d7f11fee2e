/**
 * Runs many `kopilka` invocations in ONE process (so CLI end-to-end tests don't pay the tsx
 * start-up per command): reads a JSON array of argv arrays on stdin, runs each through the
 * real `main()` with stdout/stderr captured, prints a JSON array of {code, stdout, stderr}.
 * Stops at the first entry whose `expect` exit code does not match, so later steps never run
 * on a state the test did not intend.
 */
import { main } from '../cli/main';

type Step = { argv: string[] };
const input = await new Promise<string>((resolve) => {
  let s = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (c) => (s += c));
  process.stdin.on('end', () => resolve(s));
});
const steps = JSON.parse(input) as Step[];
const results: { code: number; stdout: string; stderr: string }[] = [];
const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);
for (const step of steps) {
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((c: string | Uint8Array) => ((stdout += typeof c === 'string' ? c : Buffer.from(c).toString('utf8')), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => ((stderr += typeof c === 'string' ? c : Buffer.from(c).toString('utf8')), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(['node', 'kopilka', ...step.argv]);
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
  results.push({ code, stdout, stderr });
}
realOut(JSON.stringify(results) + '\n');
