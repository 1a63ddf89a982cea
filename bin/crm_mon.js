#!/usr/bin/env node
// `crm_mon` of the installed package: `lifeline crm_mon ...` under Pacemaker's command name.
import { main } from '../dist/src/cli/main.js';
main(['crm_mon', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
