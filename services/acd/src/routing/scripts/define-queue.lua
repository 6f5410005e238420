-- define-queue.lua: creates or changes a queue's routing definition.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] queue id
-- ARGV[4..] field, value pairs: strategy, wIdle, wHandled, wRoundRobin, wRandom, wSkill,
--           offerTimeoutMs, wrapUpMs, priorityPointMs, businessValuePointMs, dueWindowMs,
--           ringAllLimit, steps (see routing-core.lua), overflowAfterMs (0 for none),
--           overflowKind ('queue', 'voicemail' or ''), overflowTarget
-- Returns {'ok', 'created'|'changed'}.
-- Invariant: ready agents are re-scored with the new weights (O(ready agents of q), an
-- admin operation). Waiting contacts keep the score they were enqueued with and the steps
-- they started with: their place in the queue never moves behind their back.
local q = ARGV[3]
local qk = key('queue', q)
local existed = redis.call('EXISTS', qk) == 1
-- A token for this definition: a copy of the queue read by an earlier call is used only
-- while the hash holds the token it was read with (queue_config). The tenant's counter
-- makes it unique even for two definitions in the same ms with the same seed.
local fields = { 'definition', ARGV[1] .. '-' .. ARGV[2] .. '-' .. redis.call('INCR', key('definitions')) }
for i = 4, #ARGV do
  table.insert(fields, ARGV[i])
end
redis.call('HSET', qk, unpack(fields))
redis.call('SADD', key('queues'), q)
if existed then
  for _, p in ipairs(redis.call('SMEMBERS', key('queue', q, 'profiles'))) do
    local _, required = parse_profile(p)
    local ready = key('queue', q, 'ready', p)
    for _, a in ipairs(redis.call('ZRANGE', ready, 0, -1)) do
      redis.call('ZADD', ready, agent_ready_score(a, q, required), a)
    end
  end
end
return { 'ok', existed and 'changed' or 'created' }
