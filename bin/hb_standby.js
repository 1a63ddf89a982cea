#!/usr/bin/env node
// `hb_standby` alias of the installed package: `lifeline standby ...` under heartbeat's command name.
import { main } from '../dist/src/cli/main.js';
main(['standby', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
