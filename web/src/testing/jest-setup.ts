import { TextDecoder, TextEncoder } from 'node:util';
import { configure } from '@testing-library/dom';

// jsdom has no TextEncoder/TextDecoder, which react-router uses at import time.
if (typeof globalThis.TextEncoder === 'undefined') Object.assign(globalThis, { TextEncoder, TextDecoder });

// findBy* and waitFor wait on renders, which take well over their default second on a loaded machine:
// a test waits for what it expects, it does not time it (Jest's own timeout still ends a stuck test).
configure({ asyncUtilTimeout: 30_000 });
