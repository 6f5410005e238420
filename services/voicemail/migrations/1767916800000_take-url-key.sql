-- Up Migration
-- The key voicemail signs the take URLs it hands Asterisk with (HMAC-SHA256). Asterisk
-- fetches a take from whichever replica its Service picks, so every replica needs the same
-- key: made once here, 244 random bits from two version-4 UUIDs (pg_strong_random), and
-- never leaving the database.
CREATE TABLE take_url_key (
  id     smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  secret bytea    NOT NULL CHECK (length(secret) = 32)
);
INSERT INTO take_url_key (secret) VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

-- Down Migration
DROP TABLE take_url_key;
