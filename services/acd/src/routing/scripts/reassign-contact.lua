-- reassign-contact.lua: a supervisor gives a waiting or ringing contact to an agent who
-- can take it now: it rings there at once, whatever its routing steps say (AG-4).
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] contact id; ARGV[4] agent id; ARGV[5] supervisor id
-- Events: transferred (to the agent, by the supervisor), offered; agents' states.
-- Returns {'ok', offers} | {'duplicate', offers={}} | {'unknown-contact', c} | {'unknown-agent', a}
--       | {'contact-assigned', agent} | {'contact-done', c} | {'agent-cannot-take', a}.
-- Invariants: I2 (the agent must be ready with room on the contact's channel); agents it
-- stops ringing at are freed and matched again (I4).
local c, a = ARGV[3], ARGV[4]
local ck = key('contact', c)
local state = redis.call('HGET', ck, 'state')
if not state then
  return { 'unknown-contact', c }
end
if state == 'done' then
  return { 'contact-done', c }
end
if state == 'assigned' then
  return { 'contact-assigned', redis.call('HGET', ck, 'agent') }
end
local fields = agent_fields(a)
if fields.presence == nil then
  return { 'unknown-agent', a }
end
local contact = load_contact(c)
if state == 'offered' and redis.call('SISMEMBER', key('contact', c, 'offers'), a) == 1 then
  return { 'duplicate', {} }
end
if not room_in(fields, contact.channel) then
  return { 'agent-cannot-take', a }
end
local freed = {}
if state == 'offered' then
  freed = redis.call('SMEMBERS', key('contact', c, 'offers'))
  for _, other in ipairs(freed) do
    withdraw_offer(c, other)
  end
end
contact_event('transferred', c, contact.queue, a, '', ARGV[5])
offer(c, { a }, contact, state == 'waiting')
free_agents(freed)
return finish({ 'ok', flat_offers() })
