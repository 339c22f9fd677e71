/**
 * The API's error texts in Chinese, beside the English ones in shared/api.ts
 * (`ERROR_MESSAGES`, which the server and non-app clients read). Typed as a
 * complete record: a new error code without its Chinese text does not compile.
 */
import { ERROR_MESSAGES, type ErrorCode } from '../../shared/api.js';
import { NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../shared/limits.js';
import type { ServerLocale } from './request-locale.js';

const CHINESE: Record<ErrorCode, string> = {
  invalid_request: '请求无效。',
  invalid_email: '请输入有效的邮箱地址。',
  password_too_short: `密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符。`,
  password_too_long: `密码最多 ${PASSWORD_MAX_LENGTH} 个字符。`,
  password_too_weak: '这个密码太容易被猜到。请多加几个不常见的词。',
  name_required: '请输入你的名字。',
  name_too_long: `名字最多 ${NAME_MAX_LENGTH} 个字符。`,
  email_taken: '这个邮箱已经注册过账号。',
  invalid_credentials: '邮箱或密码错误。',
  not_activated: '这个账号还没有激活。请在邮件中查找激活链接。',
  invalid_token: '这个链接无效或已被使用。',
  token_expired: '这个链接已过期。请重新申请。',
  unauthenticated: '请登录。',
  forbidden: '你无权这样做。',
  bad_origin: '这个请求来自其他网站，已被拒绝。',
  not_found: '未找到。',
  user_not_found: '没有使用这个邮箱的已激活账号。',
  cannot_chat_with_self: '你不能和自己开始会话。',
  rate_limited: '尝试次数太多。请稍等后再试。',
  internal_error: '服务器出错了。',
  mail_unavailable: '邮件无法发送。请稍后再试。',
  storage_unavailable: '服务器空间已满或存储出错。你发送的内容都没有丢失；请稍后再试。',
  not_friends: '只能和好友一对一聊天。请先发送好友请求。',
  friend_not_found: '此人（已）不是你的好友。',
  already_friends: '你们已经是好友了。',
  request_pending: '已有一条好友请求在等待处理。',
  request_not_found: '这条好友请求已不存在。',
  cannot_befriend_self: '你不能给自己发送好友请求。',
  blocked: '你无法联系此人。',
  conversation_not_found: '这个会话不存在，或者你不在其中。',
  not_a_member: '此人不是这个会话的成员。',
  already_a_member: '此人已经是成员了。',
  owner_cannot_leave: '退出前，请先把群转让给其他成员，或解散这个群。',
  cannot_remove_owner: '不能移除群主。',
  member_limit: '这个群已满。',
  group_limit: '此人加入的群已经太多了。',
  invite_invalid: '这个邀请链接已失效。',
  invite_expired: '这个邀请链接已过期。',
  removed_from_group: '你已被移出这个群。请向群主或管理员索取新的邀请链接。',
  title_required: '请给群起个名字。',
  title_too_long: `群名称最多 ${NAME_MAX_LENGTH} 个字符。`,
  text_too_long: '文字太长了。',
  unsupported_media_type: '只能上传 PNG、JPEG、GIF 和 WebP 图片。',
  payload_too_large: '文件太大了。',
  push_endpoint_not_allowed: '服务器不向这个浏览器推送服务发送通知。',
  wrong_password: '当前密码不正确。',
  session_not_found: '这个会话已经结束了。',
};

const TEXTS: Record<ServerLocale, Record<ErrorCode, string>> = { en: ERROR_MESSAGES, 'zh-CN': CHINESE };

/** The error's text in `locale`. */
export function errorText(code: ErrorCode, locale: ServerLocale): string {
  return TEXTS[locale][code];
}

/**
 * What to send for a refusal: its own precise English text (`detail`) to an
 * English reader, the code's text in the reader's language otherwise.
 */
export function refusalText(code: ErrorCode, locale: ServerLocale, detail: string | undefined): string {
  return locale === 'en' && detail !== undefined ? detail : errorText(code, locale);
}
