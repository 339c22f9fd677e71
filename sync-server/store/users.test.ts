import { expect, it } from 'vitest';
import { useTestDatabase } from '../testing/use-test-database.js';
import { UserStore } from './users.js';

const test = useTestDatabase();

it('finds people by the start of their name in any script, case-insensitively', async () => {
  const users = new UserStore(test.db);
  const names = ['Ann', 'Анна', 'Андрей', '张三', 'Zoë 🌻'];
  for (const [i, name] of names.entries()) {
    await users.create({ id: `u${i}`, name, email: `u${i}@example.com`, passwordHash: 'x', activated: true, createdAt: 0 });
  }
  const search = async (prefix: string) => (await users.searchByName(prefix, 10, () => false)).map((user) => user.name).sort();
  expect(await search('an')).toEqual(['Ann']);
  expect(await search('ан')).toEqual(['Андрей', 'Анна']);
  expect(await search('Анн')).toEqual(['Анна']);
  expect(await search('张')).toEqual(['张三']);
  expect(await search('zoë')).toEqual(['Zoë 🌻']);
});
