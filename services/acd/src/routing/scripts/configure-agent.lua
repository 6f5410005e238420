-- configure-agent.lua: stores an agent's configuration, and applies it at once when the
-- agent is logged in (skills, capacity, queues, site, phone), without a restart or re-login.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] agent id; ARGV[4] site; ARGV[5] kind; ARGV[6] endpoint ('' for none)
-- ARGV[7] skills `skill=level,...`; ARGV[8] capacity `channel=slots,...`; ARGV[9..] queue ids
-- Events: a logged-in agent's state when the change frees it; offers made to it.
-- Returns {'ok', 'created'|'changed', offers} | {'unknown-queue', q} | {'unknown-skill', s}.
-- Invariants: I3 and I4 for a logged-in agent after the change. A capacity cut below the
-- agent's current load takes effect as its contacts finish (I2 holds for new offers).
local a = ARGV[3]
local queues = { unpack(ARGV, 9) }
local missing = unknown_queue(queues)
if missing then
  return { 'unknown-queue', missing }
end
local skill = unknown_skill(ARGV[7])
if skill then
  return { 'unknown-skill', skill }
end
local ck = key('agent', a, 'config')
local existed = redis.call('EXISTS', ck) == 1
redis.call('DEL', ck)
redis.call('HSET', ck, 'site', ARGV[4], 'kind', ARGV[5], 'endpoint', ARGV[6], 'skills', ARGV[7], 'capacity', ARGV[8],
  'queues', table.concat(queues, ','))
local presence = redis.call('HGET', key('agent', a), 'presence')
if presence and presence ~= 'logged-out' then
  touch(a)
  apply_agent_profile(a, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], queues)
  free_agent(a)
end
return finish({ 'ok', existed and 'changed' or 'created', flat_offers() })
