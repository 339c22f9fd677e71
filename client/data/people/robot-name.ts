/**
 * The robot's name as the person reads it: the server stores the English
 * `ROBOT_NAME` (shared/robot.ts) as the robot conversation's title and
 * author name, and each client shows its own language's (快乐机器人).
 */
import { msg } from '@lit/localize';

/** The robot's name in the current language. */
export function robotName(): string {
  return msg('Happy Robot');
}
