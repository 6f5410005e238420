-- login-agent.lua: an agent (or another employee) logs in to its queues, not ready.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] agent id; ARGV[4] site; ARGV[5] kind; ARGV[6] endpoint ('' for none)
-- ARGV[7] skills `skill=level,...`; ARGV[8] capacity `channel=slots,...`
-- ARGV[9..] queue ids
-- Events: the agent's state (logged-out → not-ready).
-- Returns {'ok', 'logged-in'} | {'duplicate', presence} | {'unknown-queue', q}.
-- Invariant: the agent is enrolled in every profile of its queues its skills and
-- capacity meet (I3), and is in no ready set until it says ready.
local a = ARGV[3]
local ak = key('agent', a)
local presence = redis.call('HGET', ak, 'presence')
if presence and presence ~= 'logged-out' then
  return { 'duplicate', presence }
end
local queues = { unpack(ARGV, 9) }
local missing = unknown_queue(queues)
if missing then
  return { 'unknown-queue', missing }
end
touch(a)
-- A fresh login starts from zero: no counters of an earlier session linger.
for _, field in ipairs(redis.call('HKEYS', ak)) do
  if string.find(field, '^busy:') or string.find(field, '^offered:') then
    agent_hdel(a, field)
  end
end
agent_set(a, 'presence', 'not-ready', 'reason', 'login', 'wrapping', '0', 'idleSince', NOW)
apply_agent_profile(a, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], queues)
return finish({ 'ok', 'logged-in' })
