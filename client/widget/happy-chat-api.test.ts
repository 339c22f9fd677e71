import { describe, expect, it, vi } from 'vitest';
import { HappyChatApi, type WidgetControls } from './happy-chat-api.js';

function fakeWidget(): WidgetControls & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    open: () => calls.push('open'),
    close: () => calls.push('close'),
    toggle: () => calls.push('toggle'),
    setUser: (user) => calls.push(`setUser ${JSON.stringify(user)}`),
    reset: () => calls.push('reset'),
  };
}

describe('HappyChatApi', () => {
  it('keeps calls made before the element is mounted, in order', () => {
    const api = new HappyChatApi();
    api.setUser({ id: 'u1' });
    api.open();
    const widget = fakeWidget();
    api.attach(widget);
    api.close();
    expect(widget.calls).toEqual(['setUser {"id":"u1"}', 'open', 'close']);
  });

  it('replays a snippet queue, skipping unknown methods', () => {
    const api = new HappyChatApi();
    const widget = fakeWidget();
    api.replay([['open'], ['constructor'], ['setUser', { id: 'u2' }], 'junk']);
    api.attach(widget);
    expect(widget.calls).toEqual(['open', 'setUser {"id":"u2"}']);
  });

  it('tells listeners, and one that throws does not stop the next', () => {
    const api = new HappyChatApi();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const heard: unknown[] = [];
    api.on('message', () => {
      throw new Error('host bug');
    });
    const stop = api.on('message', (detail) => heard.push(detail));
    api.emit('message', { preview: 'hi' });
    stop();
    api.emit('message', { preview: 'again' });
    expect(heard).toEqual([{ preview: 'hi' }]);
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });

  it('drives the most recently attached element only while it is attached', () => {
    const api = new HappyChatApi();
    const first = fakeWidget();
    api.attach(first);
    api.detach(first);
    api.open();
    expect(first.calls).toEqual([]);
    const second = fakeWidget();
    api.attach(second);
    expect(second.calls).toEqual(['open']);
  });
});
