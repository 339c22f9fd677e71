/**
 * The pool when PostgreSQL drops a connection that someone has checked out
 * (a restart, a killed backend): the holder's statements fail, the process
 * goes on, and the pool opens a new connection for the next one. pg emits
 * the loss as an `error` event on the checked-out client, where the pool's
 * own listener is not attached; unheard, Node threw it and the relay
 * process died (sync-server/cluster/processes/postgres-restarted.test.ts).
 */
import { expect, it } from 'vitest';
import { useTestSchema } from '../../testing/use-test-schema.js';

const schema = useTestSchema();

it('a checked-out connection that PostgreSQL terminates fails its next statement and crashes nothing', async () => {
  const client = await schema.pool.connect();
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const ended = new Promise((resolve) => client.once('end', resolve));
  await schema.pool.query('SELECT pg_terminate_backend($1)', [pid]);
  await ended;
  await expect(client.query('SELECT 1')).rejects.toThrow();
  client.release();
  const { rows } = await schema.pool.query<{ one: number }>('SELECT 1 AS one');
  expect(rows).toEqual([{ one: 1 }]);
});
