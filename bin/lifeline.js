#!/usr/bin/env node
// Entry point of the installed `lifeline` command: runs the compiled CLI (npm run build writes dist/).
import { main } from '../dist/src/cli/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
