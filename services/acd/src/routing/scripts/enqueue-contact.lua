-- enqueue-contact.lua: queues a contact of any channel and offers it at once when an
-- agent of its profile is ready.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] contact id      ARGV[4] queue          ARGV[5] channel
-- ARGV[6] skill profile   ARGV[7] priority       ARGV[8] business value
-- ARGV[9] preferred agent ('' for none)          ARGV[10] enqueued at (ms)
-- ARGV[11] due at (ms, '' for none)                ARGV[12] site ('' for none)
-- ARGV[13] customer id ('' for none)              ARGV[14] call site, ARGV[15] call id ('' for none)
-- ARGV[16] data for the agent's screen (JSON object, '' for none)
-- ARGV[17] W3C traceparent of the request that queues it ('' for none): kept with the
--          contact, so every event about it, whoever causes it, continues that trace
-- Events: queued, then offered when an agent takes it at once.
-- Returns {'ok', position, offers, pace, 1 when an enrolment goes on (else 0)} | {'duplicate', state, position, offers={}, pace}
--       | {'unknown-queue', q} | {'unknown-skill', s}; position is 0 once offered; pace is
--         the queue's smoothed interval between offers (ms, '' until known).
-- Invariants: idempotent by contact id (a repeat changes nothing and reports where the
-- first one is); the service score is fixed here, once, so the contact keeps its place
-- through ring-no-answer; the contact starts at its queue's first routing step (the
-- queue's steps are copied, so a later change of them does not move it); I4 holds after
-- the match.
local c, q, channel, p = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local ck = key('contact', c)
local state = redis.call('HGET', ck, 'state')
local function pace(q)
  local _, _, interval = queue_pace(key('queue', q))
  return interval or ''
end
if state then
  local q = redis.call('HGET', ck, 'queue')
  local rank = state == 'waiting' and redis.call('ZRANK', key('queue', q, 'waiting'), c)
  return { 'duplicate', state, rank and (rank + 1) or 0, {}, pace(q) }
end
local config = queue_config(q)
if config == nil then
  return { 'unknown-queue', q }
end
local skill = unknown_skill(string.sub(p, string.find(p, '|', 1, true) + 1))
if skill then
  return { 'unknown-skill', skill }
end

local priority, value, enqueued_at = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[10])
local score = service_score(q, enqueued_at, ARGV[11], priority, value)
local steps = queue_steps(config)
local overflow_at = config.overflowAfterMs > 0 and NOW + config.overflowAfterMs or 0
-- Empty fields are left out: every reader takes a missing field as empty (or 0), and
-- missing steps as the default ones. Each field of a new hash costs Redis a scan of the
-- fields before it and a reallocation.
local fields = { 'state', 'waiting', 'queue', q, 'channel', channel, 'profile', p, 'score', score, 'enqueuedAt', ARGV[10], 'stepAt',
  NOW_TEXT }
if priority ~= 0 then
  table.insert(fields, 'priority')
  table.insert(fields, ARGV[7])
end
if value ~= 0 then
  table.insert(fields, 'businessValue')
  table.insert(fields, ARGV[8])
end
if steps ~= DEFAULT_STEPS then
  table.insert(fields, 'steps')
  table.insert(fields, steps)
end
for i, name in ipairs({ 'preferredAgent', false, 'dueAt', 'site', 'customer', 'callSite', 'callId', 'data', 'traceparent' }) do
  local value = ARGV[8 + i]
  if name and value ~= '' then
    table.insert(fields, name)
    table.insert(fields, value)
  end
end
if overflow_at > 0 then
  table.insert(fields, 'overflowAt')
  table.insert(fields, overflow_at)
end
redis.call('HSET', ck, unpack(fields))
if ARGV[15] ~= '' then
  redis.call('SET', key('call', ARGV[14], ARGV[15]), c)
end
contact_infos[c] = { queue = q, channel = channel, site = ARGV[12], customer = ARGV[13], callSite = ARGV[14], callId = ARGV[15],
  traceparent = ARGV[17] }
local contact = { queue = q, profile = p, channel = channel, attempt = 0, preferred = ARGV[9], score = score, steps = parse_steps(steps),
  step = 1, stepAt = NOW, overflowAt = overflow_at, state = 'waiting', enqueuedAt = enqueued_at, data = ARGV[16] }
local position = start_routing(c, contact, function(position)
  contact_event('queued', c, ARGV[7], p, ARGV[9], position == 0 and '0' or int(position))
end)
return finish({ 'ok', position, flat_offers(), position > 0 and pace(q) or '', enrolments_started and 1 or 0 })
