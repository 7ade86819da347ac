/** Character sets shared by rule patterns and sample generators. */
export const DIGITS = '0123456789';
export const HEX = '0123456789abcdef';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const ALNUM = `${DIGITS}${UPPER}${LOWER}`;
export const BASE64URL = `${ALNUM}-_`;
export const BASE64 = `${ALNUM}+/`;
