#!/usr/bin/env node
// The `kopilka` command: loads the TypeScript CLI through tsx so `npx kopilka …` works without a build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../backend/cli/main.ts');
process.exitCode = await main(process.argv);
