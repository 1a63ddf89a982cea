#!/usr/bin/env node
// `crm_standby` of the installed package: `lifeline crm_standby ...` under Pacemaker's command name.
import { main } from '../dist/src/cli/main.js';
main(['crm_standby', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
