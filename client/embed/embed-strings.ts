/** The iframe's words, in English and Chinese (the host passes `locale`, else the browser's language). */

export interface EmbedStrings {
  chat: string;
  close: string;
  placeholder: string;
  send: string;
  you: string;
  pending: string;
  delivered: string;
  connecting: string;
  online: string;
  offline: string;
  offlineFirst: string;
  starting: string;
  blocked: string;
  notAllowed: string;
  unavailable: string;
  stopped: string;
  picture: string;
  sendPicture: string;
  pictureFailed: string;
}

const en: EmbedStrings = {
  chat: 'Chat',
  close: 'Close chat',
  placeholder: 'Write a message…',
  send: 'Send',
  you: 'You',
  pending: 'Waiting to send',
  delivered: 'Delivered',
  connecting: 'Connecting…',
  online: 'Online',
  offline: 'Offline: your messages go out when you are back.',
  offlineFirst: 'You are offline. The chat starts when you are back online.',
  starting: 'Starting the chat…',
  blocked: 'This chat has been closed by the site.',
  notAllowed: 'This page may not show this chat.',
  unavailable: 'The chat is not available right now.',
  stopped: 'The chat stopped syncing. Reload the page to try again.',
  picture: 'Picture',
  sendPicture: 'Send a picture',
  pictureFailed: 'The picture could not be sent',
};

const zh: EmbedStrings = {
  chat: '聊天',
  close: '关闭聊天',
  placeholder: '输入消息…',
  send: '发送',
  you: '你',
  pending: '等待发送',
  delivered: '已送达',
  connecting: '正在连接…',
  online: '在线',
  offline: '离线：恢复网络后消息会自动发送。',
  offlineFirst: '你已离线。恢复网络后即可开始聊天。',
  starting: '正在启动聊天…',
  blocked: '该网站已关闭此聊天。',
  notAllowed: '此页面不能显示该聊天。',
  unavailable: '聊天暂时不可用。',
  stopped: '同步已停止。请刷新页面重试。',
  picture: '图片',
  sendPicture: '发送图片',
  pictureFailed: '图片发送失败',
};

export function embedStrings(locale: string): EmbedStrings {
  return locale.toLowerCase().startsWith('zh') ? zh : en;
}
