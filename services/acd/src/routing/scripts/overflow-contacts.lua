-- overflow-contacts.lua: contacts that waited past their queue's limit with no agent able
-- to take them leave for the queue's overflow target (ACD-8): another queue, or voicemail.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] at most this many
-- contacts; ARGV[4] how long to remember a contact gone to voicemail (ms)
-- Events: overflowed (from its queue, with the target); for a queue target then queued
-- there, and offered when an agent there is free.
-- Returns {'ok', contacts overflowed, offers}.
-- Invariants: only a waiting contact overflows, and by I4 none of its steps has a free
-- agent: "no agent idle". A ringing contact is not taken from the agent; if it comes back
-- (ring-no-answer) after the limit it is due at once (return_to_queue). In the target
-- queue it keeps its original enqueue time (its seniority) and starts at the first step.
-- A target queue that no longer exists leaves the contact waiting where it is.
local due = redis.call('ZRANGEBYSCORE', key('overflow-deadlines'), '-inf', NOW, 'LIMIT', 0, tonumber(ARGV[3]))
local overflowed = {}
for _, c in ipairs(due) do
  redis.call('ZREM', key('overflow-deadlines'), c)
  local contact = load_contact(c)
  local config = queue_config(contact.queue)
  local kind, target = config.overflowKind or '', config.overflowTarget or ''
  if contact.state == 'waiting' and (kind == 'voicemail' or (kind == 'queue' and queue_config(target))) then
    contact_event('overflowed', c, kind, target, NOW - contact.enqueuedAt)
    if kind == 'voicemail' then
      finish_contact(c, tonumber(ARGV[4]))
    else
      local moved = move_contact(c, target, '', 0)
      start_routing(c, moved, function(position)
        contact_event('queued', c, tonumber(redis.call('HGET', key('contact', c), 'priority')) or 0, moved.profile, moved.preferred, position)
      end)
    end
    table.insert(overflowed, c)
  end
end
return finish({ 'ok', overflowed, flat_offers() })
