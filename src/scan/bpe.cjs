'use strict';
// A CommonJS seam, so that the bundler evaluates the vocabulary only when it is first asked for. Loading
// it costs about 100 ms and a megabyte of strings, which a scan that never meets a generic candidate
// (most pre-commit runs) should not pay; an ES import would be evaluated at start-up.
module.exports = {
  loadEncoder: () => require('gpt-tokenizer/cjs/encoding/cl100k_base').encode,
};
