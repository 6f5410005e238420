-- announce-positions.lua: reports the place of waiting contacts whose place changed since
-- it was last reported, for announcements (IVR-4) and boards.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] how many contacts at
-- the head of each queue to look at
-- Events: position for each contact whose position changed.
-- Returns {'ok', how many were reported}.
-- Invariant: the reported position is claimed in the contact (`announced`) in the same
-- run, so replicas running this at once report each change once.
local reported = 0
for _, q in ipairs(redis.call('SMEMBERS', key('queues'))) do
  local waiting = key('queue', q, 'waiting')
  local heads = redis.call('ZRANGE', waiting, 0, tonumber(ARGV[3]) - 1)
  if #heads > 0 then
    local count = redis.call('ZCARD', waiting)
    local _, _, interval = queue_pace(key('queue', q))
    local pace = interval or ''
    for rank, c in ipairs(heads) do
      if redis.call('HGET', key('contact', c), 'announced') ~= tostring(rank) then
        redis.call('HSET', key('contact', c), 'announced', rank)
        contact_event('position', c, rank, count, pace)
        reported = reported + 1
      end
    end
  end
end
return finish({ 'ok', reported })
