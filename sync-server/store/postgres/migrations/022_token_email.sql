-- Email change (issue 15 account settings): a token mailed to the new address carries that address,
-- which using the token sets (auth/one-time-tokens.ts). NULL for every other purpose.
ALTER TABLE one_time_tokens ADD COLUMN email text;
