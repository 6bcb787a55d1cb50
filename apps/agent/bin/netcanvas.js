#!/usr/bin/env node
// The installed `netcanvas` command. The CLI is TypeScript run as it is (no build step), so tsx's
// loader is registered before the entry is imported.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
