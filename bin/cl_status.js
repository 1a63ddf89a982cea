#!/usr/bin/env node
// `cl_status` alias of the installed package: `lifeline cl_status ...` under heartbeat's command name.
import { main } from '../dist/src/cli/main.js';
main(['cl_status', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
