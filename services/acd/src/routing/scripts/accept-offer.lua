-- accept-offer.lua: the agent answered; the reservation becomes an assignment.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] contact id; ARGV[4] agent id; ARGV[5] offer attempt
-- Events: accepted, and agent states (the agent busy, ring-all's others free again).
-- Returns {'ok', queue, offers} | {'duplicate', 'assigned', {}} | {'not-offered', state}.
-- Invariants: a contact is assigned at most once (I1): only the agent of the current
-- attempt may accept, so an answer racing a ring-no-answer or a re-offer loses cleanly.
-- Ring-all: the other ringing agents get their slot back and are matched again (I4).
local c, a, attempt = ARGV[3], ARGV[4], ARGV[5]
local ck = key('contact', c)
local fields = redis.call('HMGET', ck, 'state', 'attempt', 'agent', 'queue', 'channel', 'enqueuedAt')
local state = fields[1]
if state == 'assigned' and fields[3] == a and fields[2] == attempt then
  return { 'duplicate', 'assigned', {} }
end
if state ~= 'offered' or fields[2] ~= attempt or redis.call('SISMEMBER', key('contact', c, 'offers'), a) == 0 then
  return { 'not-offered', state or 'unknown' }
end
local q, channel = fields[4], fields[5]
local others = {}
for _, other in ipairs(redis.call('SMEMBERS', key('contact', c, 'offers'))) do
  withdraw_offer(c, other)
  if other ~= a then
    table.insert(others, other)
  end
end
redis.call('HSET', ck, 'state', 'assigned', 'agent', a, 'acceptedAt', NOW)
for _, timers in ipairs({ 'offer-deadlines', 'step-deadlines', 'overflow-deadlines' }) do
  redis.call('ZREM', key(timers), c)
end
local ak = key('agent', a)
agent_incr(a, BUSY[channel], 1)
agent_incr(a, 'handled:' .. q, 1)
redis.call('SADD', key('agent', a, 'contacts'), c)
reindex_agent(a)
contact_event('accepted', c, a, redis.call('HGET', ak, 'site') or '', tonumber(attempt), NOW - (tonumber(fields[6]) or NOW))
free_agents(others)
return finish({ 'ok', q, flat_offers() })
