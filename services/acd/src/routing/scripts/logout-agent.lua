-- logout-agent.lua: an agent leaves all its queues.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] agent id
-- Events: rejected (reason `logout`) for each contact ringing at it; agent states; offers.
-- Returns {'ok', returned contacts, offers} | {'duplicate', 'logged-out', {}, {}}
--       | {'unknown-agent', a} | {'agent-busy', channel}.
-- Invariants: an agent with accepted contacts cannot log out (release them first);
-- contacts ringing at the agent go back to their original place and are matched again.
local a = ARGV[3]
local ak = key('agent', a)
local presence = redis.call('HGET', ak, 'presence')
if not presence then
  return { 'unknown-agent', a }
end
if presence == 'logged-out' then
  return { 'duplicate', 'logged-out', {}, {} }
end
for _, field in ipairs(redis.call('HKEYS', ak)) do
  if string.find(field, '^busy:') and (tonumber(redis.call('HGET', ak, field)) or 0) > 0 then
    return { 'agent-busy', string.sub(field, 6) }
  end
end
touch(a)
agent_set(a, 'presence', 'logged-out', 'wrapping', '0')
clear_reason(a, 'reason')
redis.call('ZREM', key('wrap-ups'), a)
for _, pair in ipairs(redis.call('SMEMBERS', key('agent', a, 'eligible'))) do
  local q, p = split_pair(pair)
  redis.call('ZREM', key('queue', q, 'ready', p), a)
end
leave_centre(a)
for q in string.gmatch(redis.call('HGET', ak, 'queues') or '', '[^,]+') do
  redis.call('SREM', key('queue', q, 'members'), a)
end
redis.call('DEL', key('agent', a, 'eligible'))
local returned = redis.call('SMEMBERS', key('agent', a, 'offers'))
for _, c in ipairs(returned) do
  local nobody_left = withdraw_offer(c, a)
  contact_event('rejected', c, a, redis.call('HGET', ak, 'site') or '', tonumber(redis.call('HGET', key('contact', c), 'attempt')), 'logout',
    nobody_left)
  if nobody_left then
    return_to_queue(c)
  end
end
return finish({ 'ok', returned, flat_offers() })
