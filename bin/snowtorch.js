#!/usr/bin/env node
// Node >= 22.18 strips TypeScript types natively, so the CLI runs from source with no build step.
// The module compile cache keeps the stripped and compiled code of every module between runs
// (in the OS temp directory, or NODE_COMPILE_CACHE), so only the first start after a change
// pays for stripping and compiling: measured against shipping compiled JavaScript, the two
// start equally fast, and this keeps the code that runs the code in the repository.
import module from 'node:module';

module.enableCompileCache?.();
await import('../src/cli/main.ts');
