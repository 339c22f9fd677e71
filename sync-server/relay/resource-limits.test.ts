/** A limit set to something that would refuse every socket or every backlog is a clear error at start. */
import { expect, it } from 'vitest';
import { checkResourceLimits, DEFAULT_RELAY_RESOURCE_LIMITS } from './resource-limits.js';

it('accepts the defaults', () => {
  expect(() => checkResourceLimits(DEFAULT_RELAY_RESOURCE_LIMITS)).not.toThrow();
});

it('names the variable of a limit set to 0, or a sync step 2 limit below every other frame', () => {
  expect(() => checkResourceLimits({ ...DEFAULT_RELAY_RESOURCE_LIMITS, connectionsPerAddress: 0 })).toThrow(
    'RELAY_CONNECTIONS_PER_ADDRESS must be at least 1, got 0',
  );
  expect(() => checkResourceLimits({ ...DEFAULT_RELAY_RESOURCE_LIMITS, maxSyncStep2Bytes: 1000 })).toThrow(
    /RELAY_MAX_SYNC_STEP2_BYTES must be at least 1048576/,
  );
});
