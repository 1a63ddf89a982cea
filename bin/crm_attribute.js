#!/usr/bin/env node
// `crm_attribute` of the installed package: `lifeline crm_attribute ...` under Pacemaker's command name.
import { main } from '../dist/src/cli/main.js';
main(['crm_attribute', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
