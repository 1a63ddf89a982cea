#!/usr/bin/env node
// `crm_failcount` of the installed package: `lifeline crm_failcount ...` under Pacemaker's command name.
import { main } from '../dist/src/cli/main.js';
main(['crm_failcount', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
