#!/usr/bin/env node
// The CLI runs from the TypeScript sources through tsx (a runtime dependency), so the scenarios and
// templates it reads resolve next to the sources. FC functions are bundled separately (npm run build).
import { register } from 'tsx/esm/api';

register();
await import(new URL('../cli/main.ts', import.meta.url).href);
