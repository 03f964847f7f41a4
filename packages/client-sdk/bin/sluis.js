#!/usr/bin/env node
// Thin launcher so the package manager can link the bin before the build exists.
import { runCli } from '../dist/node/cli.js';

await runCli();
