#!/usr/bin/env node
// Committed so that npm links it at install, before `npm run build` writes dist/.
require('../../scripts/require-built.js')(__dirname, '../dist/main.js');
