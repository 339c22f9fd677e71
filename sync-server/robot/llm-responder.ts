/**
 * Answers from an OpenAI-compatible chat-completions endpoint (ROBOT_LLM_URL,
 * ROBOT_LLM_KEY, ROBOT_LLM_MODEL), with the recent conversation as context.
 * Commands still get the built-in answers; any failure of the endpoint
 * (down, slow, malformed) falls back to the built-in responder.
 */
import type { Logger } from '../config.js';
import type { BuiltinResponder } from './builtin-responder.js';
import type { Reply, Responder, ResponderInput } from './responder.js';

export interface LlmOptions {
  url: string;
  key?: string;
  model: string;
  timeoutMs: number;
}

const SYSTEM_PROMPT =
  'You are Happy Robot, a friendly assistant inside the Happy Chat messenger. Answer briefly (a few sentences at most), ' +
  'in the language the person writes in. Plain text, no markdown headings.';

const MAX_ANSWER_LENGTH = 4000;

export class LlmResponder implements Responder {
  readonly name = 'llm';
  private readonly endpoint: string;

  constructor(
    private readonly options: LlmOptions,
    private readonly builtin: BuiltinResponder,
    private readonly log: Logger,
  ) {
    const base = options.url.replace(/\/+$/, '');
    this.endpoint = base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
  }

  async respond(input: ResponderInput): Promise<Reply> {
    const command = this.builtin.command(input);
    if (command) return command;
    try {
      return { text: await this.complete(input) };
    } catch (error) {
      this.log.warn('the language model did not answer; using the built-in robot', { error: String(error) });
      return this.builtin.respond(input);
    }
  }

  private async complete(input: ResponderInput): Promise<string> {
    const messages = [
      { role: 'system', content: SYSTEM_PROMPT },
      ...input.history.map((turn) => ({
        role: turn.role,
        content: turn.role === 'user' && turn.name ? `${turn.name}: ${turn.text}` : turn.text,
      })),
    ];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.key) headers.authorization = `Bearer ${this.options.key}`;
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: this.options.model, messages, max_tokens: 400 }),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = (await response.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
    const content = body.choices?.[0]?.message?.content;
    if (typeof content !== 'string' || content.trim() === '') throw new Error('no answer in the response');
    return content.trim().slice(0, MAX_ANSWER_LENGTH);
  }
}
