-- hang-up-contact.lua: the caller of a voice contact hung up (call.hungup): a contact still
-- waiting or ringing is abandoned; one an agent took is released, and wrap-up starts.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] call site; ARGV[4] call id; ARGV[5] how long to remember the contact (ms)
-- Events: abandoned, or completed; agents' states; offers made to agents it freed.
-- Returns {'ok', contact, 'abandoned'|'completed', offers} | {'unknown-call'} | {'duplicate', contact}.
-- Invariants: as cancel-contact and release-contact; a hang-up reported twice (a redelivered
-- event) changes nothing the second time.
local c = redis.call('GET', key('call', ARGV[3], ARGV[4]))
if not c then
  return { 'unknown-call' }
end
local ck = key('contact', c)
local fields = redis.call('HMGET', ck, 'state', 'agent')
local state = fields[1]
if not state or state == 'done' then
  return { 'duplicate', c }
end
if state == 'assigned' then
  release_assignment(c, fields[2], tonumber(ARGV[5]))
  return finish({ 'ok', c, 'completed', flat_offers() })
end
abandon_contact(c, state, 'abandoned', tonumber(ARGV[5]))
return finish({ 'ok', c, 'abandoned', flat_offers() })
