-- A document's claim as one statement (postgres-document-log.ts, `load`; issue 11, session 15). The claim was a
-- transaction of seven or eight round trips (BEGIN, make the row, lock it, read the owner's lease, move the epoch,
-- read the log, read the client owners, COMMIT), each statement with its own parse, plan and executor start-up; on the
-- bench's load a claim of a member's `user/<id>` document came every 25 messages. The function does the same steps in
-- the same order, in the caller's transaction, and answers in rows, in this order:
--   - one row with `held_by` set (and nothing else) when another relay whose lease still runs owns the document:
--     nothing was changed;
--   - or one row with the new `epoch` and `next_clock`, then one row per log entry (`entry`, in clock order), then
--     one row per client owner (`client_id`, `user_id`, in client order).
-- A volatile PL/pgSQL function takes a fresh snapshot for each statement, as the separate statements did: the lease
-- is read after the row lock was granted, so a claim that waited for another sees that claim's owner and lease
-- together (postgres-document-log.ts says why that matters). A claimant whose own lease has run out raises an error
-- and changes nothing.
CREATE FUNCTION claim_document(claimed_name text, claimant text)
RETURNS TABLE (held_by text, epoch bigint, next_clock bigint, entry bytea, client_id bigint, user_id text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  current_owner text;
  new_epoch bigint;
  new_next_clock bigint;
BEGIN
  INSERT INTO doc (name) VALUES (claimed_name) ON CONFLICT (name) DO NOTHING;
  SELECT d.owner INTO current_owner FROM doc d WHERE d.name = claimed_name FOR UPDATE;
  IF current_owner IS NOT NULL AND current_owner <> claimant
     AND EXISTS (SELECT 1 FROM relay_process p WHERE p.id = current_owner AND p.lease_until > now()) THEN
    RETURN QUERY SELECT current_owner, NULL::bigint, NULL::bigint, NULL::bytea, NULL::bigint, NULL::text;
    RETURN;
  END IF;
  -- Every load is a new claim, even by the owner: a room that failed and was reloaded cannot write under the old epoch.
  UPDATE doc d SET owner = claimant, epoch = d.epoch + 1
   WHERE d.name = claimed_name AND EXISTS (SELECT 1 FROM relay_process p WHERE p.id = claimant AND p.lease_until > now())
  RETURNING d.epoch, d.next_clock INTO new_epoch, new_next_clock;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this relay''s lease has run out: it cannot claim %', claimed_name;
  END IF;
  RETURN QUERY SELECT NULL::text, new_epoch, new_next_clock, NULL::bytea, NULL::bigint, NULL::text;
  RETURN QUERY SELECT NULL::text, NULL::bigint, NULL::bigint, u.update, NULL::bigint, NULL::text
    FROM doc_update u WHERE u.name = claimed_name ORDER BY u.clock;
  RETURN QUERY SELECT NULL::text, NULL::bigint, NULL::bigint, NULL::bytea, o.client_id, o.user_id
    FROM doc_client_owner o WHERE o.name = claimed_name ORDER BY o.client_id;
END
$$;
