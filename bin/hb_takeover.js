#!/usr/bin/env node
// `hb_takeover` alias of the installed package: `lifeline takeover ...` under heartbeat's command name.
import { main } from '../dist/src/cli/main.js';
main(['takeover', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
