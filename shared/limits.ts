/** Limits shared by the client (to say no early) and the server (to enforce). */

export const NAME_MAX_LENGTH = 40;
export const PASSWORD_MIN_LENGTH = 8;
/** Long enough for any passphrase, short enough that hashing it is cheap. */
export const PASSWORD_MAX_LENGTH = 256;
export const EMAIL_MAX_LENGTH = 254;
export const MESSAGE_TEXT_MAX_LENGTH = 10_000;

/** Largest WebSocket frame the relay accepts, except a sync step 2 (the offline backlog: RELAY_MAX_SYNC_STEP2_BYTES). */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** Largest JSON body the HTTP API accepts. */
export const MAX_JSON_BODY = '32kb';

export const ACTIVATION_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
/** How long the link mailed to a new address works (account settings): long enough to read the mail, short like a reset. */
export const EMAIL_CHANGE_TOKEN_TTL_MS = 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A session is extended when less than this much of its life is left. */
export const SESSION_RENEW_WITHIN_MS = 15 * 24 * 60 * 60 * 1000;

export const FRIEND_NOTE_MAX_LENGTH = 200;
export const REMARK_MAX_LENGTH = 40;
export const BIO_MAX_LENGTH = 300;
export const LOCATION_MAX_LENGTH = 60;
export const GROUP_NOTICE_MAX_LENGTH = 1000;
/** Default cap on members of a group (configurable on the server: GROUP_MEMBER_LIMIT). */
export const DEFAULT_GROUP_MEMBER_LIMIT = 500;
/** People returned by one search. */
export const SEARCH_PAGE_SIZE = 20;
/** Default size limit of an uploaded picture (configurable: UPLOAD_MAX_BYTES). */
export const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
/** Default size limit of an uploaded file or voice message (configurable: FILE_UPLOAD_MAX_BYTES); the app checks it before queueing. */
export const DEFAULT_FILE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;
/** Largest `size` an attachment may declare: far above any upload limit an operator would set, so the rule never depends on the server's. */
export const ATTACHMENT_SIZE_MAX = 2 ** 31;
/** Longest voice message the app records; the rule allows a little more (a timer fires late). */
export const VOICE_MAX_DURATION_MS = 5 * 60 * 1000;
/** Bars of a voice message's waveform, each 0…VOICE_PEAK_MAX. */
export const VOICE_PEAKS_MAX = 64;
export const VOICE_PEAK_MAX = 100;
/** Avatars are scaled to at most this many pixels per side by the client before upload. */
export const AVATAR_MAX_SIDE = 512;

/** Pictures or files one message may carry. */
export const MESSAGE_ATTACHMENTS_MAX = 10;
export const ATTACHMENT_NAME_MAX_LENGTH = 255;
/** Widest or tallest picture a message may describe, in pixels. */
export const ATTACHMENT_SIDE_MAX = 100_000;
/** Characters of one reaction: an emoji, with room for skin tones and joined sequences. */
export const REACTION_MAX_LENGTH = 32;

/**
 * Earliest and latest time (ms since the epoch, UTC) a message's `createdAt`
 * or `editedAt` may hold: 2000-01-01 and 2100-01-01. Fixed, not "now ± skew":
 * the rule runs on both sides and must not depend on either clock (a device
 * with a wrong clock can still send), and order comes from the server's
 * `seq`, never from these times. Every value in range is a valid `Date`.
 */
export const MESSAGE_TIME_MIN_MS = Date.UTC(2000, 0, 1);
export const MESSAGE_TIME_MAX_MS = Date.UTC(2100, 0, 1);
