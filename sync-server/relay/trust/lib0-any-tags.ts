/**
 * The type tags lib0's `writeAny` puts before each value of a `ContentAny` (lib0/encoding.js), for the two
 * readers of updates that walk values themselves: the scanner (bounds, without decoding) and the validator's
 * decoder. Bigint (122) and binary (116) are left out: the scanner refuses both.
 */
export const ANY_UNDEFINED = 127;
export const ANY_NULL = 126;
export const ANY_INT = 125;
export const ANY_FLOAT32 = 124;
export const ANY_FLOAT64 = 123;
export const ANY_FALSE = 121;
export const ANY_TRUE = 120;
export const ANY_STRING = 119;
export const ANY_OBJECT = 118;
export const ANY_ARRAY = 117;
