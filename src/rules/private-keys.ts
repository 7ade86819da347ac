import type { Rule } from '../scan/types.js';

export const privateKeyRules: Rule[] = [];
