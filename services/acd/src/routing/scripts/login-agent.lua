-- login-agent.lua: an agent (or another employee) logs in to its queues, not ready.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] agent id; ARGV[4] site; ARGV[5] kind; ARGV[6] endpoint ('' for none)
-- ARGV[7] skills `skill=level,...`; ARGV[8] capacity `channel=slots,...`
-- ARGV[9..] queue ids
-- Returns {'ok', 'logged-in'} | {'duplicate', presence} | {'unknown-queue', q}.
-- Invariant: the agent is enrolled in every profile of its queues its skills and
-- capacity meet (I3), and is in no ready set until it says ready.
local a = ARGV[3]
local ak = key('agent', a)
local presence = redis.call('HGET', ak, 'presence')
if presence and presence ~= 'logged-out' then
  return { 'duplicate', presence }
end
for i = 9, #ARGV do
  if redis.call('EXISTS', key('queue', ARGV[i])) == 0 then
    return { 'unknown-queue', ARGV[i] }
  end
end
-- A fresh login starts from zero: no capacity or counters of an earlier session linger.
local old = redis.call('HKEYS', ak)
for _, field in ipairs(old) do
  if string.find(field, '^cap:') or string.find(field, '^busy:') or string.find(field, '^offered:') then
    redis.call('HDEL', ak, field)
  end
end
redis.call('HSET', ak, 'presence', 'not-ready', 'reason', 'login', 'site', ARGV[4], 'kind', ARGV[5],
  'endpoint', ARGV[6], 'skills', ARGV[7], 'wrapping', '0', 'idleSince', NOW, 'queues', table.concat(ARGV, ',', 9))
for channel, slots in pairs(parse_levels(ARGV[8])) do
  redis.call('HSET', ak, 'cap:' .. channel, slots)
end
redis.call('DEL', key('agent', a, 'eligible'))
for i = 9, #ARGV do
  local q = ARGV[i]
  redis.call('SADD', key('queue', q, 'members'), a)
  for _, p in ipairs(redis.call('SMEMBERS', key('queue', q, 'profiles'))) do
    enrol_if_eligible(a, q, p)
  end
end
return { 'ok', 'logged-in' }
