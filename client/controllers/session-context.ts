/**
 * The signed-in person's session, handed down the component tree by context
 * (`@lit/context`): the app root provides it, and every component that shows
 * or changes the person's chats consumes it, so no component in between
 * passes it on as a property. Undefined while nobody is signed in.
 */
import { createContext } from '@lit/context';
import type { ChatSession } from '../data/session/chat-session.js';

export const sessionContext = createContext<ChatSession | undefined>(Symbol('chat-session'));
