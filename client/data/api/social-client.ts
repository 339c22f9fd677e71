/**
 * The browser's side of the friends, groups, invites and profiles API
 * (docs/API.md). Results are values, as in `api-client.ts`; the server
 * validates every request (`shared/social-api.ts`), so no zod here.
 */
import type { PersonSummary } from '../../../shared/schema.js';
import type { InviteView, MemberView, PublicProfile } from '../../../shared/social-api.js';
import { api, type ApiClient, type ApiResult } from './api-client.js';

export interface FriendRequestSent {
  id: string;
  /** The other person had already asked: the two are friends now. */
  accepted: boolean;
  conversationId?: string;
}

export interface InvitePreview {
  conversationId: string;
  title: string;
  memberCount: number;
}

export interface GroupChange {
  title?: string;
  notice?: string;
  /** Only the owner and admins pin messages. */
  pinsByAdmins?: boolean;
}

export interface ProfileChange {
  name?: string;
  bio?: string;
  location?: string;
}

export interface OwnProfile extends PublicProfile {
  email: string;
}

const path = encodeURIComponent;

export class SocialClient {
  constructor(private readonly client: ApiClient = api) {}

  // People and profiles

  searchPeople(query: string): Promise<ApiResult<PersonSummary[]>> {
    return this.client.request('GET', `/api/users/search?q=${path(query)}`);
  }

  profile(userId: string): Promise<ApiResult<PublicProfile>> {
    return this.client.request('GET', `/api/users/${path(userId)}`);
  }

  updateProfile(change: ProfileChange): Promise<ApiResult<OwnProfile>> {
    return this.client.request('PATCH', '/api/me', change);
  }

  /** The picture's bytes, already scaled down (client/data/pictures/image-scaling.ts). */
  uploadAvatar(picture: Blob): Promise<ApiResult<{ avatar: string }>> {
    return this.client.request('POST', '/api/me/avatar', picture);
  }

  // Friends and blocks

  sendFriendRequest(to: { userId: string } | { email: string }, note: string): Promise<ApiResult<FriendRequestSent>> {
    return this.client.request('POST', '/api/friends/requests', { ...to, note });
  }

  acceptRequest(requestId: string): Promise<ApiResult<{ conversationId: string }>> {
    return this.client.request('POST', `/api/friends/requests/${path(requestId)}/accept`);
  }

  declineRequest(requestId: string): Promise<ApiResult<unknown>> {
    return this.client.request('POST', `/api/friends/requests/${path(requestId)}/decline`);
  }

  withdrawRequest(requestId: string): Promise<ApiResult<unknown>> {
    return this.client.request('DELETE', `/api/friends/requests/${path(requestId)}`);
  }

  setRemark(friendId: string, remark: string): Promise<ApiResult<unknown>> {
    return this.client.request('PUT', `/api/friends/${path(friendId)}/remark`, { remark });
  }

  deleteFriend(friendId: string): Promise<ApiResult<unknown>> {
    return this.client.request('DELETE', `/api/friends/${path(friendId)}`);
  }

  blocked(): Promise<ApiResult<PersonSummary[]>> {
    return this.client.request('GET', '/api/blocks');
  }

  block(userId: string): Promise<ApiResult<unknown>> {
    return this.client.request('POST', '/api/blocks', { userId });
  }

  unblock(userId: string): Promise<ApiResult<unknown>> {
    return this.client.request('DELETE', `/api/blocks/${path(userId)}`);
  }

  // Groups

  createGroup(title: string, memberIds: string[]): Promise<ApiResult<{ id: string }>> {
    return this.client.request('POST', '/api/conversations', { kind: 'group', title, memberIds });
  }

  members(groupId: string): Promise<ApiResult<MemberView[]>> {
    return this.client.request('GET', `/api/conversations/${path(groupId)}/members`);
  }

  addMembers(groupId: string, userIds: string[]): Promise<ApiResult<unknown>> {
    return this.client.request('POST', `/api/conversations/${path(groupId)}/members`, { userIds });
  }

  removeMember(groupId: string, userId: string): Promise<ApiResult<unknown>> {
    return this.client.request('DELETE', `/api/conversations/${path(groupId)}/members/${path(userId)}`);
  }

  setRole(groupId: string, userId: string, role: 'admin' | 'member'): Promise<ApiResult<unknown>> {
    return this.client.request('PUT', `/api/conversations/${path(groupId)}/members/${path(userId)}/role`, { role });
  }

  transfer(groupId: string, userId: string): Promise<ApiResult<unknown>> {
    return this.client.request('POST', `/api/conversations/${path(groupId)}/transfer`, { userId });
  }

  leave(groupId: string): Promise<ApiResult<unknown>> {
    return this.client.request('POST', `/api/conversations/${path(groupId)}/leave`);
  }

  disband(groupId: string): Promise<ApiResult<unknown>> {
    return this.client.request('DELETE', `/api/conversations/${path(groupId)}`);
  }

  updateGroup(groupId: string, change: GroupChange): Promise<ApiResult<unknown>> {
    return this.client.request('PATCH', `/api/conversations/${path(groupId)}`, change);
  }

  uploadGroupPicture(groupId: string, picture: Blob): Promise<ApiResult<{ avatar: string }>> {
    return this.client.request('POST', `/api/conversations/${path(groupId)}/avatar`, picture);
  }

  // Invite links

  createInvite(groupId: string, expiresInHours: number, maxUses: number): Promise<ApiResult<InviteView>> {
    return this.client.request('POST', `/api/conversations/${path(groupId)}/invites`, { expiresInHours, maxUses });
  }

  invites(groupId: string): Promise<ApiResult<InviteView[]>> {
    return this.client.request('GET', `/api/conversations/${path(groupId)}/invites`);
  }

  revokeInvite(groupId: string, inviteId: string): Promise<ApiResult<unknown>> {
    return this.client.request('DELETE', `/api/conversations/${path(groupId)}/invites/${path(inviteId)}`);
  }

  previewInvite(code: string): Promise<ApiResult<InvitePreview>> {
    return this.client.request('GET', `/api/invites/${path(code)}`);
  }

  joinInvite(code: string): Promise<ApiResult<{ conversationId: string }>> {
    return this.client.request('POST', `/api/invites/${path(code)}/join`);
  }
}

/** The app's one social client. */
export const social = new SocialClient();
