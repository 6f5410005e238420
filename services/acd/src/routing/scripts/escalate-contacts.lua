-- escalate-contacts.lua: contacts whose routing step timed out move to the next step,
-- whose targets join those before it (preferred agent, then experts, then skilled agents,
-- supervisors, the whole centre...).
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] at most this many contacts
-- Events: escalated for each; offered when an agent of the new step is free.
-- Returns {'ok', contacts escalated, offers}.
-- Invariants: a step starts when the one before it times out (not when a replica gets
-- round to it), so the schedule is the queue's whatever the timers' lag, and a contact
-- goes through every step already due in one run; a ringing
-- contact moves on too and joins its new step's waiting sets when it comes back; I4 holds
-- for each contact after its match. Atomic, so a due step is taken once by one replica.
local due = redis.call('ZRANGEBYSCORE', key('step-deadlines'), '-inf', NOW, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local escalated = {}
for i = 1, #due, 2 do
  local c, started_at = due[i], tonumber(due[i + 1])
  redis.call('ZREM', key('step-deadlines'), c)
  local contact = load_contact(c)
  if (contact.state == 'waiting' or contact.state == 'offered') and contact.step < #contact.steps then
    -- Every step already due starts now, each at its own scheduled time.
    local from = contact.step + 1
    local deadline = started_at
    repeat
      contact.step = contact.step + 1
      contact.stepAt = deadline
      contact_event('escalated', c, contact.step - 1, contact.steps[contact.step].kind)
      deadline = contact.stepAt + contact.steps[contact.step].timeout
    until contact.step == #contact.steps or deadline > NOW
    redis.call('HSET', key('contact', c), 'step', contact.step - 1, 'stepAt', contact.stepAt)
    if contact.step < #contact.steps then
      redis.call('ZADD', key('step-deadlines'), deadline, c)
    end
    if contact.state == 'waiting' then
      join_steps(c, contact, from, contact.step)
      match_contact(c, contact)
    end
    table.insert(escalated, c)
  end
end
return finish({ 'ok', escalated, flat_offers() })
