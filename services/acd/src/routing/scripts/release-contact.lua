-- release-contact.lua: the agent finished with a contact (hang-up, chat closed, item done),
-- or a callback attempt that never reached the customer ended.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] contact id; ARGV[4] agent id; ARGV[5] how long to remember the contact (ms)
-- ARGV[6] 'skip-wrap-up' to free the agent at once whatever its queue's wrap-up (absent or
--         '' for the queue's); ARGV[7] reason code to make the agent not ready with
--         (absent or '' to leave its presence); ARGV[8] the agent's wrap-up code and
--         ARGV[9] its notes (absent or '' for none), carried on the completed event
-- Events: completed, the agent's state (wrap-up, not ready, or reserved/ready as it is
-- matched at once); for a contact this agent already finished (the caller hung up first),
-- wrap_up_recorded when a wrap-up code or notes come with the release.
-- Returns {'ok', wrap-up end (ms, 0 for none), offers} | {'duplicate', 'done', 0, {}}
--       | {'not-assigned', state}.
-- Invariants: the agent's slot frees (I2); with the queue's wrap-up time the agent takes
-- nothing new until end-wrap-ups or set-agent-ready, else it is matched at once (I4)
-- unless made not ready here, in the same run, so no offer reaches it in between.
local c, a, ttl = ARGV[3], ARGV[4], tonumber(ARGV[5])
local skip_wrap_up, not_ready = ARGV[6] == 'skip-wrap-up', ARGV[7] or ''
local ck = key('contact', c)
local fields = redis.call('HMGET', ck, 'state', 'agent', 'queue', 'channel')
if fields[1] == 'done' and fields[2] == a then
  if (ARGV[8] or '') == '' and (ARGV[9] or '') == '' then
    return { 'duplicate', 'done', 0, {} }
  end
  contact_event('wrap_up_recorded', c, a, redis.call('HGET', key('agent', a), 'site') or '', ARGV[8] or '', ARGV[9] or '')
  return finish({ 'duplicate', 'done', 0, {} })
end
if fields[1] ~= 'assigned' or fields[2] ~= a then
  return { 'not-assigned', fields[1] or 'unknown' }
end
if not_ready ~= '' then
  touch(a)
  agent_set(a, 'presence', 'not-ready', 'reason', not_ready)
end
return finish({ 'ok', release_assignment(c, a, ttl, skip_wrap_up, ARGV[8], ARGV[9]), flat_offers() })
