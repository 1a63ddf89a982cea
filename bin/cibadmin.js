#!/usr/bin/env node
// `cibadmin` of the installed package: `lifeline cibadmin ...` under Pacemaker's command name.
import { main } from '../dist/src/cli/main.js';
main(['cibadmin', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
