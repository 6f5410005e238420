-- contact-position.lua: where a waiting contact is, for announcements and boards. Reads only.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] contact id
-- Returns {state, position (0 unless waiting), waiting in queue, offer interval ms ('' if unknown)}
--       | {'unknown'}.
local c = ARGV[3]
local fields = redis.call('HMGET', key('contact', c), 'state', 'queue')
if not fields[1] then
  return { 'unknown' }
end
local waiting = key('queue', fields[2], 'waiting')
local rank = redis.call('ZRANK', waiting, c)
local _, _, interval = queue_pace(key('queue', fields[2]))
return { fields[1], rank and (rank + 1) or 0, redis.call('ZCARD', waiting), interval or '' }
