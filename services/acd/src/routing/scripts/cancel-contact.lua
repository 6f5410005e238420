-- cancel-contact.lua: the contact left before an agent took it (caller hung up, chat
-- closed, work item withdrawn).
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] contact id; ARGV[4] how long to remember it as done (ms)
-- ARGV[5] reason: abandoned (the customer left) | withdrawn (its owner withdrew it)
-- Events: abandoned; the ringing agents' states, offers made to them.
-- Returns {'ok', previous state, offers} | {'duplicate', 'done', offers={}}
--       | {'unknown-contact', c} | {'contact-assigned', agent}.
-- Invariant: agents it was ringing get their slot back and are offered what waits (I4);
-- an assigned contact is not cancelled (release it: the agent is talking to it).
local c, ttl = ARGV[3], tonumber(ARGV[4])
local ck = key('contact', c)
local state = redis.call('HGET', ck, 'state')
if not state then
  return { 'unknown-contact', c }
end
if state == 'done' then
  return { 'duplicate', 'done', {} }
end
if state == 'assigned' then
  return { 'contact-assigned', redis.call('HGET', ck, 'agent') }
end
abandon_contact(c, state, ARGV[5], ttl)
return finish({ 'ok', state, flat_offers() })
