/**
 * The screens before sign-in and those of the mail links (sign in, sign up,
 * check your mail, activation, new password), loaded together by chat-app
 * when one is needed: someone signed in does not load them at all. The
 * service worker precaches the chunk, so they open offline too.
 */
import './activation-view.js';
import './check-mail-view.js';
import './reset-password-view.js';
import './sign-in-form.js';
import './sign-up-form.js';
