/**
 * The screens of signing up and of the mail links (sign up, check your mail,
 * activation, new password), loaded together by chat-app when one is shown:
 * the sign-in form stays in the app shell, these are rarely needed. The
 * service worker precaches the chunk, so they open offline too.
 */
import './activation-view.js';
import './check-mail-view.js';
import './email-confirm-view.js';
import './reset-password-view.js';
import './sign-up-form.js';
