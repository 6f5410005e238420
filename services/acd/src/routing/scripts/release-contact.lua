-- release-contact.lua: the agent finished with a contact (hang-up, chat closed, item done).
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] contact id; ARGV[4] agent id; ARGV[5] how long to remember the contact (ms)
-- Events: completed, the agent's state (wrap-up, or reserved/ready as it is matched at once).
-- Returns {'ok', wrap-up end (ms, 0 for none), offers} | {'duplicate', 'done', 0, {}}
--       | {'not-assigned', state}.
-- Invariants: the agent's slot frees (I2); with the queue's wrap-up time the agent takes
-- nothing new until end-wrap-ups or set-agent-ready, else it is matched at once (I4).
local c, a, ttl = ARGV[3], ARGV[4], tonumber(ARGV[5])
local ck = key('contact', c)
local fields = redis.call('HMGET', ck, 'state', 'agent', 'queue', 'channel')
if fields[1] == 'done' and fields[2] == a then
  return { 'duplicate', 'done', 0, {} }
end
if fields[1] ~= 'assigned' or fields[2] ~= a then
  return { 'not-assigned', fields[1] or 'unknown' }
end
return finish({ 'ok', release_assignment(c, a, ttl), flat_offers() })
