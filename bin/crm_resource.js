#!/usr/bin/env node
// `crm_resource` of the installed package: `lifeline crm_resource ...` under Pacemaker's command name.
import { main } from '../dist/src/cli/main.js';
main(['crm_resource', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
