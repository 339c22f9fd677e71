/** Where the robot's answers come from: built in, or an OpenAI-compatible endpoint. */

export interface ChatTurn {
  /** 'user' for people, 'assistant' for the robot. */
  role: 'user' | 'assistant';
  name?: string;
  text: string;
}

export interface ResponderInput {
  /** What the person said (without an @mention of the robot). */
  text: string;
  /** Their display name. */
  userName: string;
  /** The recent conversation, oldest first, ending with `text`. */
  history: ChatTurn[];
  now: Date;
}

export interface Reply {
  text: string;
  /** A reminder to deliver later as a robot message, even if the person is offline then. */
  reminder?: { dueAt: number; text: string };
}

export interface Responder {
  readonly name: string;
  respond(input: ResponderInput): Promise<Reply>;
}
