-- Up Migration

-- What the agent said came of a contact when releasing it (acd's contact_completed): one of
-- the tenant's wrap-up codes and free notes (at most 2,000 characters), shown in the
-- customer's interaction history (AG-2). Null when the agent said nothing.
ALTER TABLE contact
  ADD COLUMN wrap_up_code text,
  ADD COLUMN notes        text;

-- Down Migration

ALTER TABLE contact
  DROP COLUMN notes,
  DROP COLUMN wrap_up_code;
