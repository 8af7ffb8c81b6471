#!/usr/bin/env node
// The `flopscope` command: runs the TypeScript CLI through tsx's loader, so a fresh clone
// needs no build step after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src-main/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
