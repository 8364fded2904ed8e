#!/usr/bin/env node
import { processIO } from './io.js';
import { runCli } from './program.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());
process.exitCode = await runCli(process.argv.slice(2), processIO(), { signal: controller.signal });
