-- enqueue-contact.lua: queues a contact of any channel and offers it at once when an
-- agent of its profile is ready.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] contact id      ARGV[4] queue          ARGV[5] channel
-- ARGV[6] skill profile   ARGV[7] priority       ARGV[8] business value
-- ARGV[9] preferred agent ('' for none)          ARGV[10] enqueued at (ms)
-- ARGV[11] due at (ms, '' for none)
-- Returns {'ok', position, offers} | {'duplicate', state, position, offers={}}
--       | {'unknown-queue', ''}; position is 0 once offered.
-- Invariants: idempotent by contact id (a repeat changes nothing and reports where the
-- first one is); the service score is fixed here, once, so the contact keeps its place
-- through ring-no-answer; I4 holds after the match.
local c, q, channel, p = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local ck = key('contact', c)
local state = redis.call('HGET', ck, 'state')
if state then
  local rank = state == 'waiting' and redis.call('ZRANK', key('queue', redis.call('HGET', ck, 'queue'), 'waiting'), c)
  return { 'duplicate', state, rank and (rank + 1) or 0, {} }
end
local config = queue_config(q)
if config == nil then
  return { 'unknown-queue', q }
end

local priority, value, enqueued_at = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[10])
local base_time = enqueued_at
if ARGV[11] ~= '' then
  base_time = math.min(base_time, tonumber(ARGV[11]) - config.dueWindowMs)
end
local score = num(base_time - priority * config.priorityPointMs - value * config.businessValuePointMs)

-- First contact of this profile in q: find the members that can take it (O(members),
-- once per profile and queue).
if redis.call('SADD', key('queue', q, 'profiles'), p) == 1 then
  local ready = key('queue', q, 'ready', p)
  local _, required = parse_profile(p)
  for _, a in ipairs(redis.call('SMEMBERS', key('queue', q, 'members'))) do
    if enrol_if_eligible(a, q, p) and has_room(a, channel) then
      redis.call('ZADD', ready, num(agent_score(a, q, required)), a)
    end
  end
end

redis.call('HSET', ck, 'state', 'waiting', 'queue', q, 'channel', channel, 'profile', p, 'score', score,
  'priority', priority, 'businessValue', value, 'preferredAgent', ARGV[9], 'enqueuedAt', enqueued_at,
  'dueAt', ARGV[11], 'attempt', 0)
-- By I4 nobody waits in this profile if an agent is ready for it: offer at once, or wait.
local contact = { queue = q, profile = p, channel = channel, attempt = 0, preferred = ARGV[9], score = score }
local agents = pick_agents(contact)
if #agents > 0 then
  offer(c, agents, contact, false)
  return { 'ok', 0, flat_offers() }
end
redis.call('ZADD', key('queue', q, 'waiting'), score, c)
redis.call('ZADD', key('queue', q, 'waiting', p), score, c)
return { 'ok', redis.call('ZRANK', key('queue', q, 'waiting'), c) + 1, {} }
