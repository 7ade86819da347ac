'use strict';
// The RE2 port as a file of its own. `npm run build` bundles it apart, next to each bundle (dist/re2js.cjs,
// dist/cli/re2js.cjs), and linear-pattern.ts requires it by path on first use: only a config with custom
// patterns or allowed-value patterns needs it, and inside the main bundles its 260 KB were compiled and
// evaluated on every start, a pre-commit run's included. From the sources, the same relative path finds this file.
module.exports = require('re2js');
