#!/usr/bin/env node
// `crm_verify` of the installed package: `lifeline crm_verify ...` under Pacemaker's command name.
import { main } from '../dist/src/cli/main.js';
main(['crm_verify', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
