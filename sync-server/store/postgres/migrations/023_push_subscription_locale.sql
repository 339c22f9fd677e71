-- The language a device's pushes speak (store/push-subscriptions.ts `locale`): the
-- Accept-Language of the request that subscribed it. Devices from before speak English.
ALTER TABLE push_subscriptions ADD COLUMN locale text NOT NULL DEFAULT 'en';
