/**
 * What the client says when the relay closes a sync socket, in the person's
 * language: the same sentences as shared/protocol.ts's `describeCloseCode`
 * (the English source), through msg() so they follow the chosen language.
 */
import { msg } from '@lit/localize';
import { CloseCode } from '../../../shared/protocol.js';

/** Human text for a close code, shown when sync stops or waits. */
export function closeCodeText(code: number): string {
  switch (code) {
    case CloseCode.unauthenticated:
      return msg('Your session has ended. Please sign in again.');
    case CloseCode.forbidden:
      return msg('You are not a member of this conversation.');
    case CloseCode.invalidUpdate:
      return msg('The server refused a change from this device.');
    case CloseCode.rateLimited:
      return msg('Too many changes at once; slowing down.');
    case CloseCode.quotaExceeded:
      return msg('You have sent a lot in a short time; your messages are kept and will be sent later.');
    case CloseCode.storageUnavailable:
      return msg('The server is out of space; your messages are kept and will be sent when it recovers.');
    default:
      return msg('Connection lost.');
  }
}
