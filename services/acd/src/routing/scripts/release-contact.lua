-- release-contact.lua: the agent finished with a contact (hang-up, chat closed, item done).
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] contact id; ARGV[4] agent id; ARGV[5] how long to remember the contact (ms)
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
local ak = key('agent', a)
redis.call('HINCRBY', ak, 'busy:' .. fields[4], -1)
redis.call('SREM', key('agent', a, 'contacts'), c)
finish_contact(c, ttl)
local wrap_up_ms = queue_config(fields[3]).wrapUpMs
local until_ms = 0
if wrap_up_ms > 0 and redis.call('HGET', ak, 'presence') ~= 'logged-out' then
  until_ms = NOW + wrap_up_ms
  redis.call('HSET', ak, 'wrapping', '1')
  redis.call('ZADD', key('wrap-ups'), math.max(until_ms, tonumber(redis.call('ZSCORE', key('wrap-ups'), a)) or 0), a)
  reindex_agent(a)
else
  free_agent(a)
end
return { 'ok', until_ms, flat_offers() }
