import { describe, expect, it } from 'vitest';
import { tabForKey } from './tab-keys.js';

describe('tabForKey', () => {
  const tabs = ['chats', 'friends', 'groups'] as const;

  it('moves right and left, wrapping at the ends', () => {
    expect(tabForKey('ArrowRight', tabs, 'chats')).toBe('friends');
    expect(tabForKey('ArrowRight', tabs, 'groups')).toBe('chats');
    expect(tabForKey('ArrowLeft', tabs, 'chats')).toBe('groups');
    expect(tabForKey('ArrowLeft', tabs, 'friends')).toBe('chats');
  });

  it('goes to the first and the last with Home and End', () => {
    expect(tabForKey('Home', tabs, 'groups')).toBe('chats');
    expect(tabForKey('End', tabs, 'chats')).toBe('groups');
  });

  it('leaves other keys alone', () => {
    expect(tabForKey('ArrowDown', tabs, 'chats')).toBeUndefined();
    expect(tabForKey('Enter', tabs, 'chats')).toBeUndefined();
  });
});
