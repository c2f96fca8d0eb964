-- The value a clause's parameter showed when its vote opened: a "Ja" without a preference of
-- its own counts for it. Votes open now keep the value they show; votes decided before keep
-- none, and their "Ja" without a preference counts for no value, as it did when they closed.
ALTER TABLE clauses ADD COLUMN opened_value TEXT NOT NULL DEFAULT '';
UPDATE clauses SET opened_value = value
	WHERE value <> '' AND agreement_id IN (SELECT id FROM agreements WHERE status = 'voting');
