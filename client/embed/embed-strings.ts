/**
 * The iframe's words, through msg() (@lit/localize): the language is the
 * host's `locale` setting, else its page's `lang`, else the browser's
 * (embed-chat.ts applies it when the host says hello); the Chinese is in
 * client/i18n/xliff/app/zh-CN.xlf with the app's.
 */
import { msg, str } from '@lit/localize';

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
  /** The picture button takes any file too (issue 15). */
  attach: string;
  recordVoice: string;
  fileFailed: string;
  /** A file over the server's limit (`limit` in words), refused before it is sent. */
  fileTooLarge(name: string, limit: string): string;
  fileEmpty(name: string): string;
  /** Copy a message's text (issue 15; the app's words). */
  copy: string;
  copied: string;
  /** Neither the clipboard API nor the old way was allowed: the text is selected for the visitor to copy. */
  copyFailed: string;
}

/** Every text of the iframe in the current language. */
export function embedStrings(): EmbedStrings {
  return {
    chat: msg('Chat'),
    close: msg('Close chat'),
    placeholder: msg('Write a message…'),
    send: msg('Send'),
    you: msg('You'),
    pending: msg('Waiting to send'),
    delivered: msg('Delivered'),
    connecting: msg('Connecting…'),
    online: msg('Online'),
    offline: msg('Offline: your messages go out when you are back.'),
    offlineFirst: msg('You are offline. The chat starts when you are back online.'),
    starting: msg('Starting the chat…'),
    blocked: msg('This chat has been closed by the site.'),
    notAllowed: msg('This page may not show this chat.'),
    unavailable: msg('The chat is not available right now.'),
    stopped: msg('The chat stopped syncing. Reload the page to try again.'),
    picture: msg('Picture'),
    sendPicture: msg('Send a picture'),
    pictureFailed: msg('The picture could not be sent'),
    attach: msg('Send a picture or file'),
    recordVoice: msg('Record a voice message'),
    fileFailed: msg('The file could not be sent.'),
    // The app composer's words (chat-composer.ts): one translation for both.
    fileTooLarge: (name, limit) => msg(str`${name} is larger than ${limit}, the most that can be sent.`),
    fileEmpty: (name) => msg(str`${name} is empty.`),
    copy: msg('Copy'),
    copied: msg('Copied'),
    copyFailed: msg('This browser did not let the chat copy. The text is selected: copy it from there.'),
  };
}
