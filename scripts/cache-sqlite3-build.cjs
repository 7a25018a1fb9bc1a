#!/usr/bin/env node
// After `npm ci`: keeps the sqlite3 binary this machine compiled where sqlite3's installer
// (prebuild-install) looks before it downloads one, so that the next `npm ci` here unpacks it instead of
// compiling SQLite again. Why: the prebuilt binaries are on GitHub, which this machine cannot reach, so
// every `npm ci` compiled SQLite from source (about 80 s of one core, most of `npm ci`). The file is named
// after the download it stands for (package version, N-API version, platform, architecture): a new sqlite3
// misses it and compiles, and a failed unpack falls back to compiling too (sqlite3's install script).
// Used by .ci/run; does nothing when the file is there already or the binary does not load.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const packageDir = path.dirname(require.resolve('sqlite3/package.json'));
const binary = path.join('build', 'Release', 'node_sqlite3.node');

function cachedPrebuildPath() {
  // prebuild-install's own naming, from the same options its command line gets in sqlite3's install script
  // (`prebuild-install -r napi`); its N-API version is chosen from the package.json of the working directory.
  process.chdir(packageDir);
  process.argv.push('--runtime', 'napi');
  const pkg = require(path.join(packageDir, 'package.json'));
  const options = require('prebuild-install/rc')(pkg);
  const util = require('prebuild-install/util');
  return util.cachedPrebuild(util.getDownloadUrl({ ...options, pkg }));
}

const cached = cachedPrebuildPath();
if (fs.existsSync(cached)) {
  console.log(`sqlite3 binary already kept: ${cached}`);
} else {
  // Only a binary that loads is kept.
  execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(packageDir, binary))})`]);
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  const partial = `${cached}.${process.pid}.tmp`;
  execFileSync('tar', ['-czf', partial, binary], { cwd: packageDir });
  fs.renameSync(partial, cached);
  console.log(`sqlite3 binary kept for the next npm ci: ${cached}`);
}
