#!/usr/bin/env node
// `crm` of the installed package: the crm shell's levels on the local daemon (`lifeline crm ...`); its configure
// level works on the running cluster (--live), as crmsh's does, unless --cib names a file.
import { main } from '../dist/src/cli/main.js';
const argv = process.argv.slice(2);
main(['crm', ...argv, ...(argv[0] === 'configure' ? ['--live'] : [])]).then((code) => { process.exitCode = code; });
