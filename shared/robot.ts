/** The robot every account can talk to: a server-side participant with a fixed identity. */

export const ROBOT_USER_ID = 'happy-robot';
export const ROBOT_NAME = 'Happy Robot';

/** In groups the robot answers only when called by name: "@Happy Robot …" or "@robot …". */
export function mentionsRobot(text: string): boolean {
  return /(^|\s)@(happy[\s_-]?robot|robot)\b/i.test(text);
}

/** The message text without the mention, for the responder. */
export function withoutMention(text: string): string {
  return text.replace(/(^|\s)@(happy[\s_-]?robot|robot)\b[,:]?/gi, ' ').trim();
}
