// Do not modify this file by hand!
// Re-generate this file by running lit-localize

import { str } from '@lit/localize';

/* eslint-disable no-irregular-whitespace */
/* eslint-disable @typescript-eslint/no-explicit-any */

export const templates = {
  s0a552e96950fee13: str`与 ${0} 聊天`,
  s1d318e9d0ccba86b: `聊天`,
  s5d47d9945079dcc7: `关闭聊天`,
  s8739101d033ef475: `打开聊天`,
  sa3438c7bb4e9cce8: str`${0} 条未读`,
};
