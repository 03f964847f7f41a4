#!/usr/bin/env node
// Thin launcher so the package manager can link the bin before the build exists.
import { run } from '../dist/cli.js';

await run();
