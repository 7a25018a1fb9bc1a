// Loads a command's build, or says how to make it (exit 70, as for a bug in jobmon: not a usage error).
const fs = require('node:fs');
const path = require('node:path');

module.exports = (dir, relative) => {
  const file = path.resolve(dir, relative);
  if (!fs.existsSync(file)) {
    process.stderr.write(
      `${path.basename(file)} is not built: run \`npm run build\` at the repository root\n`,
    );
    process.exit(70);
  }
  require(file);
};
