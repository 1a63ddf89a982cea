#!/usr/bin/env node
// `crm_ticket` of the installed package: `lifeline crm_ticket ...` under Pacemaker's command name.
import { main } from '../dist/src/cli/main.js';
main(['crm_ticket', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
