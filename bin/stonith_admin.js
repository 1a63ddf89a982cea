#!/usr/bin/env node
// `stonith_admin` of the installed package: `lifeline stonith_admin ...` under Pacemaker's command name.
import { main } from '../dist/src/cli/main.js';
main(['stonith_admin', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
