-- delete-queue.lua: removes a queue nobody waits in and no agent is logged in to.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] queue id
-- Returns {'ok'} | {'unknown-queue', q} | {'queue-in-use', 'members'|'waiting', count}.
-- Invariant: every contact offered or assigned rings at or sits with a logged-in member,
-- so a queue without members and waiting contacts has no live contact left.
local q = ARGV[3]
if redis.call('EXISTS', key('queue', q)) == 0 then
  return { 'unknown-queue', q }
end
local members = redis.call('SCARD', key('queue', q, 'members'))
if members > 0 then
  return { 'queue-in-use', 'members', members }
end
local waiting = redis.call('ZCARD', key('queue', q, 'waiting'))
if waiting > 0 then
  return { 'queue-in-use', 'waiting', waiting }
end
for _, p in ipairs(redis.call('SMEMBERS', key('queue', q, 'profiles'))) do
  redis.call('DEL', key('queue', q, 'ready', p), key('queue', q, 'waiting', p))
end
redis.call('DEL', key('queue', q), key('queue', q, 'pace'), key('queue', q, 'members'), key('queue', q, 'profiles'), key('queue', q, 'waiting'))
redis.call('SREM', key('queues'), q)
return { 'ok' }
