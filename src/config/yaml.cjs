'use strict';
// A CommonJS seam, so that the bundler evaluates the YAML parser only when a config file is read: as an
// ES import it was evaluated on every start, which a pre-commit run in a repository without a config
// file pays for nothing.
module.exports = { load: () => require('yaml') };
