'use strict';
// The cl100k_base vocabulary as a file of its own. `npm run build` bundles it apart, next to each bundle
// (dist/cl100k.cjs, dist/cli/cl100k.cjs), and wordiness.ts requires it by path on first use: inside the
// main bundle its megabyte of literals was parsed on every start, about 40 ms that a pre-commit run
// never needs. From the sources, the same relative path finds this file.
module.exports = { encode: require('gpt-tokenizer/cjs/encoding/cl100k_base').encode };
