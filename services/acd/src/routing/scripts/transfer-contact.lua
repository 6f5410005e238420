-- transfer-contact.lua: moves a contact to a queue (its own, or another), optionally to
-- wait for one agent alone first: an agent's transfer, or a supervisor's reassignment to
-- a queue. An assigned contact leaves its agent (wrap-up as after a release); a ringing
-- one stops ringing.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] contact id; ARGV[4] target queue ('' for its own); ARGV[5] agent to wait for ('' for none)
-- ARGV[6] how long it waits for that agent alone (ms); ARGV[7] agent handing it on ('' for none)
-- ARGV[8] supervisor reassigning it ('' for none)
-- Events: transferred, queued in the target queue, offered when an agent there is free;
-- the agents' states.
-- Returns {'ok', state, position, offers} | {'unknown-contact', c} | {'contact-done', c}
--       | {'unknown-queue', q} | {'unknown-agent', a} | {'not-assigned', agent}.
-- Invariants: I1 (the contact is in exactly one place after the move), I2 and I4 for the
-- agents it leaves, which are freed after the contact is placed.
local c, to_agent, by_agent, by_supervisor = ARGV[3], ARGV[5], ARGV[7], ARGV[8]
local ck = key('contact', c)
local fields = redis.call('HMGET', ck, 'state', 'queue', 'agent', 'priority', 'profile', 'preferredAgent')
local state = fields[1]
if not state then
  return { 'unknown-contact', c }
end
if state == 'done' then
  return { 'contact-done', c }
end
local q = ARGV[4] ~= '' and ARGV[4] or fields[2]
if not queue_config(q) then
  return { 'unknown-queue', q }
end
if to_agent ~= '' and redis.call('EXISTS', key('agent', to_agent)) == 0 and redis.call('EXISTS', key('agent', to_agent, 'config')) == 0 then
  return { 'unknown-agent', to_agent }
end
if state == 'assigned' and by_agent ~= '' and fields[3] ~= by_agent then
  return { 'not-assigned', fields[3] }
end
local freed, wrapping = {}, false
if state == 'assigned' then
  wrapping = end_assignment(c, fields[3]) > 0
  if not wrapping then
    freed = { fields[3] }
  end
elseif state == 'offered' then
  freed = redis.call('SMEMBERS', key('contact', c, 'offers'))
  for _, a in ipairs(freed) do
    withdraw_offer(c, a)
  end
end
local moved = move_contact(c, q, to_agent, tonumber(ARGV[6]))
contact_event('transferred', c, fields[2], to_agent, by_agent, by_supervisor)
local position = start_routing(c, moved, function(position)
  contact_event('queued', c, tonumber(fields[4]) or 0, fields[5], fields[6] or '', position)
end)
free_agents(freed)
return finish({ 'ok', redis.call('HGET', ck, 'state'), position, flat_offers() })
