/**
 * Request schemas of the friends, groups and profile API (docs/API.md),
 * shared so the client checks forms with the server's rules.
 */
import { z } from 'zod';
import { isValidId } from './doc-names.js';
import {
  BIO_MAX_LENGTH,
  FRIEND_NOTE_MAX_LENGTH,
  GROUP_NOTICE_MAX_LENGTH,
  LOCATION_MAX_LENGTH,
  NAME_MAX_LENGTH,
  REMARK_MAX_LENGTH,
} from './limits.js';
import type { MemberRole } from './schema.js';

const id = z.string().refine(isValidId, { message: 'invalid_request' });
const email = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: 'invalid_email' });

/** A request names the person by email or by id (from a search result). */
export const FriendRequestRequest = z
  .object({
    email: email.optional(),
    userId: id.optional(),
    note: z.string().trim().max(FRIEND_NOTE_MAX_LENGTH, { message: 'text_too_long' }).default(''),
  })
  .refine((body) => (body.email === undefined) !== (body.userId === undefined), { message: 'invalid_request' });
export type FriendRequestRequest = z.infer<typeof FriendRequestRequest>;

export const RemarkRequest = z.object({
  remark: z.string().trim().max(REMARK_MAX_LENGTH, { message: 'text_too_long' }),
});

export const BlockRequest = z.object({ userId: id });

const title = z.string().trim().min(1, { message: 'title_required' }).max(NAME_MAX_LENGTH, { message: 'title_too_long' });

export const CreateGroupRequest = z.object({
  kind: z.literal('group'),
  title,
  memberIds: z.array(id).max(100, { message: 'member_limit' }).default([]),
});

export const UpdateGroupRequest = z.object({
  title: title.optional(),
  notice: z.string().trim().max(GROUP_NOTICE_MAX_LENGTH, { message: 'text_too_long' }).optional(),
  avatar: z
    .string()
    .max(200)
    .regex(/^\/api\/blobs\/[0-9a-f]{64}$/, { message: 'invalid_request' })
    .nullable()
    .optional(),
  /** Only the owner and admins may pin and unpin messages (shared/pin-rights.ts). */
  pinsByAdmins: z.boolean().optional(),
});

export const AddMembersRequest = z.object({ userIds: z.array(id).min(1).max(100, { message: 'member_limit' }) });

export const SetRoleRequest = z.object({ role: z.enum(['admin', 'member']) });

export const TransferRequest = z.object({ userId: id });

export const CreateInviteRequest = z.object({
  /** Hours until the link stops working (default 7 days, at most 30 days). */
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24 * 7),
  /** 0 = no limit. */
  maxUses: z.number().int().min(0).max(10_000).default(0),
});

export const UpdateProfileRequest = z.object({
  name: z.string().trim().min(1, { message: 'name_required' }).max(NAME_MAX_LENGTH, { message: 'name_too_long' }).optional(),
  bio: z.string().trim().max(BIO_MAX_LENGTH, { message: 'text_too_long' }).optional(),
  location: z.string().trim().max(LOCATION_MAX_LENGTH, { message: 'text_too_long' }).optional(),
});

export interface PublicProfile {
  id: string;
  name: string;
  bio?: string;
  location?: string;
  avatar?: string;
}

export interface MemberView {
  id: string;
  name: string;
  avatar?: string;
  role: MemberRole;
}

export interface InviteView {
  id: string;
  /** The secret part of the link; only returned when the invite is made. */
  code?: string;
  url?: string;
  expiresAt: number;
  maxUses: number;
  uses: number;
}
