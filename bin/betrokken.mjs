#!/usr/bin/env node
// The operator CLI as a command of its own (`npx betrokken …`, or this file run directly):
// without npm's "> betrokken@… cli" banner, so `--json` output is the only thing on stdout
// and pipes into jq. It runs the TypeScript sources through tsx, as `npm start` does.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
