/** The launcher's few words, in English and Chinese; the iframe has its own (client/embed/embed-strings.ts). */

export interface LauncherStrings {
  open: string;
  close: string;
  chatWith(name: string): string;
  unread(count: number): string;
}

const en: LauncherStrings = {
  open: 'Open chat',
  close: 'Close chat',
  chatWith: (name) => (name ? `Chat with ${name}` : 'Chat'),
  unread: (count) => `${count} unread`,
};

const zh: LauncherStrings = {
  open: '打开聊天',
  close: '关闭聊天',
  chatWith: (name) => (name ? `与 ${name} 聊天` : '聊天'),
  unread: (count) => `${count} 条未读`,
};

export function launcherStrings(locale: string): LauncherStrings {
  return locale.toLowerCase().startsWith('zh') ? zh : en;
}
