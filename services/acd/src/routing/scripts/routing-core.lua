-- routing-core.lua: the functions every routing script shares. RoutingScripts loads this
-- file and every script into one Redis function library (FUNCTION LOAD), each script the
-- body of one function that starts with begin(): the library's functions are defined
-- once, not on every call, and each call starts from fresh per-call state.
--
-- Calling convention of every script:
--   KEYS[1]  the tenant's base key `<prefix>:{<tenant>}`. Every key a script touches is
--            derived from it and so carries the same hash tag: one tenant, one Cluster slot.
--            (Which agents and profiles are touched depends on stored state, so those keys
--            cannot all be declared up front; they share KEYS[1]'s slot by construction.)
--   ARGV[1]  now, in ms since the epoch (the caller's injected clock)
--   ARGV[2]  seed for the random strategy (the caller's injected random source)
--
-- Key layout under the base:
--   queues                        set    defined queues
--   definitions                   string counter of queue definitions (define-queue's tokens)
--   skills                        hash   the tenant's skill catalogue (name → description);
--                                        when it exists, contacts and agents name only its skills
--   queue:<q>                     hash   queue definition (its `definition` token first)
--   queue:<q>:pace                hash   offer turn counter (round robin) and pace (last offer,
--                                        smoothed interval between offers). Every offer reads
--                                        and writes them: in the definition's hash of ~20
--                                        fields, each access would scan past the rest
--   queue:<q>:members             set    agents logged in to the queue
--   queue:<q>:profiles            set    skill profiles (`<channel>|<skill>=<min>,...`) seen in q
--   queue:<q>:waiting             zset   every waiting contact of q by service score
--   queue:<q>:waiting:<profile>   zset   waiting contacts whose skilled step needs the profile
--   queue:<q>:ready:<profile>     zset   agents able to take one more contact of the profile
--                                        now, by the queue's strategy score (lowest first)
--   contact:<c>                   hash   contact fields, state, routing steps and the current one,
--                                        the traceparent of the request that queued it
--   contact:<c>:offers            set    agents the contact is offered to (ringing)
--   agent:<a>                     hash   presence, kind, skills, per-channel cap/busy/offered
--   agent:<a>:config              hash   the agent's configuration (site, kind, endpoint,
--                                        skills, capacity, queues) that login applies
--   agent:<a>:eligible            set    `<q>/<profile>` pairs the agent's skills meet
--   agent:<a>:offers              set    contacts offered to the agent
--   agent:<a>:contacts            set    contacts the agent accepted and has not released
--   agent:<a>:waiting:<ch>        zset   waiting contacts whose preferred-agent or
--                                        named-agents step names a
--   centre:ready:<ch>             zset   agents with room on ch, longest idle first
--   centre:waiting:<ch>           zset   waiting contacts in a whole-centre step
--   supervisors:ready:<ch>        zset   supervisors with room on ch, longest idle first
--   supervisors:waiting:<ch>      zset   waiting contacts in a supervisors step
--   enrolments                    hash   `<q>/<profile>` → SSCAN cursor of an enrolment
--                                        still going on (continue-enrolments)
--   call:<site>:<call id>         string the voice contact of a call (its hang-up ends it)
--   offer-deadlines               zset   offered contacts by ring-no-answer deadline
--   step-deadlines                zset   contacts by the start of their next routing step
--   overflow-deadlines            zset   contacts by the end of their queue's wait limit
--   wrap-ups                      zset   agents in wrap-up by its end
--   outbox                        stream events of every change, one entry per script run
--                                        (field `events`: a JSON array of events, each an
--                                        array laid out as OUTBOX_LAYOUT in outbox-event.ts
--                                        says), relayed to JetStream
--
-- Invariants every script keeps (checked by the model tests):
--   I1 a contact is in exactly one state: waiting (in its queue's waiting set and the
--      waiting sets of its routing steps so far), offered (in offer-deadlines, >= 1 agent
--      in its offers), assigned (one agent), or done.
--   I2 per agent and channel: busy + offered <= capacity.
--   I3 an agent is in ready:<q>:<p> iff it is logged in to q, ready, not wrapping up,
--      meets p's skills and has a free slot on p's channel (once p's enrolment is done);
--      in centre:ready:<ch> iff ready, not wrapping up and with a free slot on ch; in
--      supervisors:ready:<ch> iff that and a supervisor.
--   I4 work conservation: no waiting contact has a free agent that one of its routing
--      steps so far allows, so a new or escalated contact only needs the best agent of
--      its steps' ready sets, and a freed agent only the heads of its own waiting sets.
--   I5 every change is reported: a script that changes a contact or an agent's state
--      appends the events saying so to the outbox in the same run (finish()), so an event
--      exists exactly when its change does, whatever replica dies when.

-- Per-call state. The library stays loaded between calls, so begin() resets all of it;
-- nothing may carry over from one call to the next.
-- True in the acd's tests (routing-scripts.ts turns it on): finish() checks every agent
-- hash read in this run (agent_cache) against Redis and fails the script if they differ.
local SELF_CHECK = false

local KEYS, ARGV, BASE, NOW, NOW_TEXT, SEED
local queue_cache, agent_cache, touched, touched_order, events, contact_infos, offers_made, enrolled_ready, enrolments_started

local function begin(keys, args)
  KEYS, ARGV = keys, args
  -- NOW_TEXT is ARGV[1] as given: what goes to Redis and into events, unformatted.
  BASE, NOW, NOW_TEXT = keys[1], tonumber(args[1]), args[1]
  -- Seeded at the first draw (random_draw), not on every call: few queues draw.
  SEED = args[2]
  queue_cache, agent_cache, touched, touched_order, events, contact_infos, offers_made, enrolled_ready = {}, {}, {}, {}, {}, {}, {}, {}
  enrolments_started = false
end

-- Up to four parts; no table for them: this runs a few dozen times per call.
local function key(a, b, c, d)
  if d ~= nil then
    return BASE .. ':' .. a .. ':' .. b .. ':' .. c .. ':' .. d
  elseif c ~= nil then
    return BASE .. ':' .. a .. ':' .. b .. ':' .. c
  elseif b ~= nil then
    return BASE .. ':' .. a .. ':' .. b
  end
  return BASE .. ':' .. a
end

-- Scores go to Redis as strings; tostring keeps only 14 significant digits. A whole
-- number below 1e15 (where %.17g writes every digit) takes %d, which gives the same text
-- without printf's far costlier floating-point path.
local function num(x)
  if x == math.floor(x) and x > -1e15 and x < 1e15 then
    return string.format('%d', x)
  end
  return string.format('%.17g', x)
end

-- x / 1000 as a string, for x in thousandths: a whole x as a decimal with three places,
-- which Redis reads as the very double x / 1000 is (both round the same exact value), again
-- without the floating-point path of printf.
local function thousandths(x)
  if x ~= math.floor(x) or x <= -1e15 or x >= 1e15 then
    return num(x / 1000)
  end
  local sign = x < 0 and '-' or ''
  x = math.abs(x)
  return string.format('%s%d.%03d', sign, math.floor(x / 1000), x % 1000)
end

-- A whole number (a time in ms, a count) as a string: far cheaper than the %.17g that
-- Redis formats a Lua number argument with (and cjson its own way).
local function int(x)
  return string.format('%d', x)
end

-- The parsers below are pure functions of short strings drawn from a small set (skill
-- profiles, `<q>/<profile>` pairs, field names), so their results are kept across calls
-- in the library's state; the tables they return are shared and never changed. A memo
-- that grows past MEMO_LIMIT entries starts again, so odd inputs cannot grow it for ever.
local MEMO_LIMIT = 4096
local function memo(parse)
  local results, size = {}, 0
  return function(input)
    local hit = results[input]
    if hit == nil then
      if size >= MEMO_LIMIT then
        results, size = {}, 0
      end
      hit = { parse(input) }
      results[input], size = hit, size + 1
    end
    return hit[1], hit[2]
  end
end

local levels_of = memo(function(encoded)
  local levels = {}
  for name, level in string.gmatch(encoded, '([^,=]+)=(%d+)') do
    levels[name] = tonumber(level)
  end
  return levels
end)

-- `skill=level,...` (nil as empty) as a table name → level.
local function parse_levels(encoded)
  return (levels_of(encoded or ''))
end

local parse_profile = memo(function(profile)
  local bar = string.find(profile, '|', 1, true)
  return string.sub(profile, 1, bar - 1), parse_levels(string.sub(profile, bar + 1))
end)

local split_pair = memo(function(pair)
  local slash = string.find(pair, '/', 1, true)
  return string.sub(pair, 1, slash - 1), string.sub(pair, slash + 1)
end)

-- The channels (contact.ts's CHANNELS, which every input is checked against), and the
-- names of an agent hash's fields for each: its capacity (`cap:<channel>`) and the
-- contacts it has busy and offered on it. Built once: a field name made with `..` in a
-- script is a new string to hash on every use.
local CHANNELS = { 'voice', 'email', 'chat', 'video', 'fax', 'callback', 'workitem' }
local CAP, BUSY, OFFERED = {}, {}, {}
for i = 1, #CHANNELS do -- (at load, a library has no ipairs)
  local channel = CHANNELS[i]
  CAP[channel], BUSY[channel], OFFERED[channel] = 'cap:' .. channel, 'busy:' .. channel, 'offered:' .. channel
end

-- Whether an agent hash's count field (its value) holds more than zero.
local function positive(count)
  return count ~= nil and count ~= '0' and (tonumber(count) or 0) > 0
end

local function meets(agent_skills, required)
  for skill, minimum in pairs(required) do
    if (agent_skills[skill] or 0) < minimum then
      return false
    end
  end
  return true
end

-- Queue definitions already read, across calls, by their queue key: each holds the
-- `definition` token define-queue writes with every change, and is used only while the
-- hash still holds that token. (A queue defined before tokens existed is read whole every
-- time.) The pace fields, which every offer changes, are read fresh in every call.
local QUEUE_NUMBERS = { 'wIdle', 'wHandled', 'wRoundRobin', 'wRandom', 'wSkill', 'offerTimeoutMs', 'wrapUpMs', 'priorityPointMs',
  'businessValuePointMs', 'dueWindowMs', 'ringAllLimit', 'overflowAfterMs' }
local definitions, definitions_size = {}, 0

-- The pace of the queue whose hash is qk: its offer turn, last offer and smoothed interval
-- between offers (nil when not known yet). A queue last offered by a version that kept
-- them in the definition's hash is read from there until its next offer.
local function queue_pace(qk)
  local pace = redis.call('HMGET', qk .. ':pace', 'turn', 'lastOfferAt', 'offerIntervalMs')
  if not pace[1] then
    pace = redis.call('HMGET', qk, 'turn', 'lastOfferAt', 'offerIntervalMs')
  end
  -- HMGET gives false for a missing field; readers take nil for "not yet".
  return pace[1] or nil, pace[2] or nil, pace[3] or nil
end

local function queue_config(q)
  local config = queue_cache[q]
  if config ~= nil then
    return config
  end
  local qk = key('queue', q)
  local definition = redis.call('HGET', qk, 'definition')
  local known = definition and definitions[qk]
  if known and known.definition == definition then
    config = known
  else
    local raw = redis.call('HGETALL', qk)
    if #raw == 0 then
      return nil
    end
    config = {}
    for i = 1, #raw, 2 do
      config[raw[i]] = raw[i + 1]
    end
    for _, field in ipairs(QUEUE_NUMBERS) do
      config[field] = tonumber(config[field]) or 0
    end
    config.known_profiles = {}
    if config.definition then
      if definitions_size >= MEMO_LIMIT then
        definitions, definitions_size = {}, 0
      end
      definitions[qk], definitions_size = config, definitions_size + 1
    end
  end
  config.turn, config.lastOfferAt, config.offerIntervalMs = queue_pace(qk)
  queue_cache[q] = config
  return config
end

-- The presence of agent a, or the refusal to return when a is unknown or logged out.
local function logged_in_presence(a)
  local presence = redis.call('HGET', key('agent', a), 'presence')
  if not presence then
    return nil, { 'unknown-agent', a }
  end
  if presence == 'logged-out' then
    return nil, { 'not-logged-in', a }
  end
  return presence, nil
end

-- The agent's whole hash as a table: one call instead of several HMGETs, and once per run:
-- every write to an agent's hash goes through agent_set, agent_incr, agent_hdel or
-- agent_forget below, which keep this copy equal to the hash.
local function agent_fields(a)
  local fields = agent_cache[a]
  if fields == nil then
    local raw = redis.call('HGETALL', key('agent', a))
    fields = {}
    for i = 1, #raw, 2 do
      fields[raw[i]] = raw[i + 1]
    end
    agent_cache[a] = fields
  end
  return fields
end

-- HSET of field/value pairs into agent a's hash.
local function agent_set(a, ...)
  redis.call('HSET', key('agent', a), ...)
  local fields = agent_cache[a]
  if fields ~= nil then
    local pairs_ = { ... }
    for i = 1, #pairs_, 2 do
      local value = pairs_[i + 1]
      -- As Redis stores a number: %.17g (num), not tostring's %.14g.
      fields[pairs_[i]] = type(value) == 'number' and num(value) or value
    end
  end
end

-- HINCRBY of one field of agent a's hash; returns the new value.
local function agent_incr(a, field, by)
  local value = redis.call('HINCRBY', key('agent', a), field, by)
  if agent_cache[a] ~= nil then
    agent_cache[a][field] = tostring(value)
  end
  return value
end

local function agent_hdel(a, field)
  redis.call('HDEL', key('agent', a), field)
  if agent_cache[a] ~= nil then
    agent_cache[a][field] = nil
  end
end

-- Clears a reason field of agent a (`reason`, `stateReason`): deleted rather than set
-- empty, as every reader takes a missing one, so the hash that each routing decision
-- reads whole and writes into stays short.
local function clear_reason(a, field)
  if agent_fields(a)[field] ~= nil then
    agent_hdel(a, field)
  end
end

-- Agent a's hash was deleted or rewritten wholesale: read it again when next needed.
local function agent_forget(a)
  agent_cache[a] = nil
end

-- The agent's state as boards and reports name it; mirrors agentStateOf (agent-state.ts):
-- a ringing offer first, then work in progress, then wrap-up, then the chosen presence.
local function agent_state(fields)
  if fields.presence == nil or fields.presence == 'logged-out' then
    return 'logged-out'
  end
  for i = 1, #CHANNELS do
    if positive(fields[OFFERED[CHANNELS[i]]]) then
      return 'reserved'
    end
  end
  for i = 1, #CHANNELS do
    if positive(fields[BUSY[CHANNELS[i]]]) then
      return 'busy'
    end
  end
  if fields.wrapping == '1' then
    return 'wrap-up'
  end
  return fields.presence
end

local function reason_of(state, fields)
  return state == 'not-ready' and (fields.reason or '') or ''
end

-- Marks agent a as changed by this run: finish() compares its state with the state last
-- reported (kept in its hash as `state` and `stateReason`) and reports it if it differs.
local function touch(a)
  if touched[a] == nil then
    touched[a] = true
    table.insert(touched_order, a)
  end
end

-- Events are arrays, one constructor each (much cheaper in Redis's Lua than keyed
-- tables): {type, at, ...} as OUTBOX_LAYOUT (outbox-event.ts) names the positions. No
-- position may be nil.

-- What every event about a contact carries (ContactInfo and its traceparent), read once
-- per run (contact_infos); move_contact forgets it.
local function contact_info(c)
  local info = contact_infos[c]
  if info == nil then
    local f = redis.call('HMGET', key('contact', c), 'queue', 'channel', 'site', 'customer', 'callSite', 'callId', 'traceparent')
    info = { queue = f[1], channel = f[2], site = f[3] or '', customer = f[4] or '', callSite = f[5] or '', callId = f[6] or '',
      traceparent = f[7] or '' }
    contact_infos[c] = info
  end
  return info
end

-- An event about contact c: its ContactInfo, the event's own fields, then the contact's
-- traceparent, which the relay publishes it with. Last, because a replica of the previous
-- version (a rolling upgrade) reads the entries of this one by position, and this one theirs.
local function contact_event(kind, c, ...)
  local info = contact_info(c)
  local event = { kind, NOW_TEXT, c, info.queue, info.channel, info.site, info.customer, info.callSite, info.callId, ... }
  event[#event + 1] = info.traceparent
  events[#events + 1] = event
end

-- SELF_CHECK: fails the script when an agent hash read in this run (agent_cache) differs
-- from what Redis holds.
local function check_agent_cache()
  for a, cached in pairs(agent_cache) do
    local raw = redis.call('HGETALL', key('agent', a))
    local stored = {}
    for i = 1, #raw, 2 do
      stored[raw[i]] = raw[i + 1]
      if cached[raw[i]] ~= raw[i + 1] then
        error('agent cache of ' .. a .. ': ' .. raw[i] .. ' is ' .. tostring(cached[raw[i]]) .. ', Redis has ' .. raw[i + 1])
      end
    end
    for field, value in pairs(cached) do
      if stored[field] == nil then
        error('agent cache of ' .. a .. ': ' .. field .. ' is ' .. value .. ', Redis has none')
      end
    end
  end
end

-- Ends every script that changes state (I5): reports the agents whose state changed, then
-- appends the run's events to the outbox, atomically with the change. Returns `reply`.
local function finish(reply)
  if SELF_CHECK then
    check_agent_cache()
  end
  for _, a in ipairs(touched_order) do
    local fields = agent_fields(a)
    local state = agent_state(fields)
    local reason = reason_of(state, fields)
    local previous = fields.state or 'logged-out'
    if state ~= previous or reason ~= (fields.stateReason or '') then
      if reason == '' then
        agent_set(a, 'state', state)
        clear_reason(a, 'stateReason')
      else
        agent_set(a, 'state', state, 'stateReason', reason)
      end
      table.insert(events, { 'agent_state', NOW_TEXT, a, fields.site or '', state, previous, reason })
    end
  end
  if #events > 0 then
    redis.call('XADD', key('outbox'), '*', 'events', cjson.encode(events))
  end
  return reply
end

-- Channels that ring the agent's phone. Whatever each one's capacity, the phone takes
-- contacts of one of them at a time: an agent on a customer's call is not rung for a
-- callback, nor during a callback for a call.
local SHARES_PHONE_WITH = { voice = 'callback', callback = 'voice' }

-- Whether an agent (its fields) may be offered one more contact on channel, now.
local function room_in(fields, channel)
  if fields.presence ~= 'ready' or fields.wrapping == '1' then
    return false
  end
  local other = SHARES_PHONE_WITH[channel]
  if other and (tonumber(fields[BUSY[other]]) or 0) + (tonumber(fields[OFFERED[other]]) or 0) > 0 then
    return false
  end
  return (tonumber(fields[BUSY[channel]]) or 0) + (tonumber(fields[OFFERED[channel]]) or 0) < (tonumber(fields[CAP[channel]]) or 0)
end

-- room_in, asked once per channel of one run over an agent's fields (kept in `room`).
local function room_once(room, fields, channel)
  if room[channel] == nil then
    room[channel] = room_in(fields, channel)
  end
  return room[channel]
end

local function has_room(a, channel)
  return room_in(agent_fields(a), channel)
end

-- A random number in [0, 1) from the caller's seed, which the call's first draw plants.
local function random_draw()
  if SEED then
    math.randomseed(tonumber(SEED))
    SEED = nil
  end
  return math.random()
end

-- The queue strategy's score of an agent (its fields) for a profile (lower is offered
-- first), in thousandths: idle seconds, handled contacts, turns, a random draw and skill
-- levels, each times its weight. With whole weights and no random draw it is a whole
-- number, which ready_score writes cheaply.
local function score_of(fields, q, required)
  local config = queue_config(q)
  local score = config.wIdle * (tonumber(fields.idleSince) or 0)
    + 1000 * (config.wHandled * (tonumber(fields['handled:' .. q]) or 0) + config.wRoundRobin * (tonumber(fields['turn:' .. q]) or 0))
  if config.wRandom > 0 then
    score = score + 1000 * config.wRandom * random_draw()
  end
  if config.wSkill > 0 then
    local levels = parse_levels(fields.skills)
    local sum = 0
    for skill in pairs(required) do
      sum = sum + (levels[skill] or 0)
    end
    score = score - 1000 * config.wSkill * sum
  end
  return score
end

-- The agent's score in a ready set, as ZADD takes it.
local function ready_score(fields, q, required)
  return thousandths(score_of(fields, q, required))
end

local function agent_ready_score(a, q, required)
  return ready_score(agent_fields(a), q, required)
end

-- Puts agent a into, or takes it out of, every ready set it belongs to (I3): the ready
-- sets of the queue profiles it meets, and the tenant-wide sets of the whole centre and,
-- for a supervisor, of the supervisors, per channel it has room on (longest idle first).
-- Returns the agent's fields it read.
local function reindex_agent(a)
  local fields = agent_fields(a)
  local room = {}
  for _, pair in ipairs(redis.call('SMEMBERS', key('agent', a, 'eligible'))) do
    local q, p = split_pair(pair)
    local channel, required = parse_profile(p)
    if room_once(room, fields, channel) then
      redis.call('ZADD', key('queue', q, 'ready', p), ready_score(fields, q, required), a)
    else
      redis.call('ZREM', key('queue', q, 'ready', p), a)
    end
  end
  local idle = fields.idleSince or '0'
  for _, channel in ipairs(CHANNELS) do
    if fields[CAP[channel]] then
      if room_once(room, fields, channel) then
        redis.call('ZADD', key('centre', 'ready', channel), idle, a)
        if fields.kind == 'supervisor' then
          redis.call('ZADD', key('supervisors', 'ready', channel), idle, a)
        end
      else
        redis.call('ZREM', key('centre', 'ready', channel), a)
        redis.call('ZREM', key('supervisors', 'ready', channel), a)
      end
    end
  end
  return fields
end

-- Takes agent a out of the tenant-wide ready sets of every channel (its capacity or kind
-- is about to change, or it leaves).
local function leave_centre(a)
  for _, channel in ipairs(CHANNELS) do
    redis.call('ZREM', key('centre', 'ready', channel), a)
    redis.call('ZREM', key('supervisors', 'ready', channel), a)
  end
end

-- Records that agent a meets profile p of queue q (its skills and channel capacity).
local function enrol_if_eligible(a, q, p)
  local channel, required = parse_profile(p)
  local fields = redis.call('HMGET', key('agent', a), 'skills', CAP[channel])
  if (tonumber(fields[2]) or 0) > 0 and meets(parse_levels(fields[1]), required) then
    redis.call('SADD', key('agent', a, 'eligible'), q .. '/' .. p)
    return true
  end
  return false
end

-- Enrols a chunk of q's members in profile p from `cursor` (SSCAN): those meeting it are
-- marked eligible and, when they have room, made ready (and listed in enrolled_ready, for
-- the caller to match). Returns the next cursor, '0' at
-- the end. Chunks keep a profile's first appearance from blocking Redis for a whole
-- centre (100,000 agents would hold it for over a second).
local ENROL_CHUNK = 256
local function enrol_chunk(q, p, cursor)
  local channel, required = parse_profile(p)
  local reply = redis.call('SSCAN', key('queue', q, 'members'), cursor, 'COUNT', ENROL_CHUNK)
  for _, a in ipairs(reply[2]) do
    if enrol_if_eligible(a, q, p) then
      local fields = agent_fields(a)
      if room_in(fields, channel) then
        redis.call('ZADD', key('queue', q, 'ready', p), ready_score(fields, q, required), a)
        table.insert(enrolled_ready, a)
      end
    end
  end
  return reply[1]
end

-- Makes profile p known in queue q. Its first appearance enrols the first chunk of the
-- members at once; the rest is left in `enrolments` for continue-enrolments (I3 holds
-- for the members enrolled so far) and enrolments_started says so.
-- The profiles a queue definition (a token, see queue_config) already knows are kept with
-- it across calls: only delete-queue removes a profile, and a queue deleted and defined
-- again has a new token.
local function ensure_profile(q, p)
  local known = queue_config(q).known_profiles
  if known[p] then
    return
  end
  local added = redis.call('SADD', key('queue', q, 'profiles'), p)
  known[p] = true
  if added == 1 then
    local cursor = enrol_chunk(q, p, '0')
    if cursor ~= '0' then
      redis.call('HSET', key('enrolments'), q .. '/' .. p, cursor)
      enrolments_started = true
    end
  end
end

-- The first of `names` (skill=level pairs, encoded) missing from the tenant's skill
-- catalogue, or nil; a tenant without a catalogue accepts any skill.
local function unknown_skill(encoded)
  if encoded == '' or redis.call('EXISTS', key('skills')) == 0 then
    return nil
  end
  for skill in pairs(parse_levels(encoded)) do
    if redis.call('HEXISTS', key('skills'), skill) == 0 then
      return skill
    end
  end
  return nil
end

-- The first of `queues` that is not defined, or nil.
local function unknown_queue(queues)
  for _, q in ipairs(queues) do
    if redis.call('EXISTS', key('queue', q)) == 0 then
      return q
    end
  end
  return nil
end

-- Writes the routing profile of logged-in agent a (at login, or when its configuration
-- changes): site, kind, phone, skills, capacity, and membership of its queues with every
-- profile it meets (I3 once the caller reindexes). Busy and offered counts stay.
local function apply_agent_profile(a, site, kind, endpoint, skills, capacity, queues)
  local ak = key('agent', a)
  for _, pair in ipairs(redis.call('SMEMBERS', key('agent', a, 'eligible'))) do
    local q, p = split_pair(pair)
    redis.call('ZREM', key('queue', q, 'ready', p), a)
  end
  leave_centre(a)
  for q in string.gmatch(redis.call('HGET', ak, 'queues') or '', '[^,]+') do
    redis.call('SREM', key('queue', q, 'members'), a)
  end
  for _, field in ipairs(redis.call('HKEYS', ak)) do
    if string.find(field, '^cap:') then
      agent_hdel(a, field)
    end
  end
  agent_set(a, 'site', site, 'kind', kind, 'endpoint', endpoint, 'skills', skills, 'queues', table.concat(queues, ','))
  for channel, slots in pairs(parse_levels(capacity)) do
    agent_set(a, CAP[channel], slots)
  end
  redis.call('DEL', key('agent', a, 'eligible'))
  for _, q in ipairs(queues) do
    redis.call('SADD', key('queue', q, 'members'), a)
    for _, p in ipairs(redis.call('SMEMBERS', key('queue', q, 'profiles'))) do
      enrol_if_eligible(a, q, p)
    end
  end
end

-- Routing steps: `kind:arg:timeoutMs` joined by ';' (RoutingStore encodes them). Each
-- step's targets join those of the steps before it:
--   preferred    the contact's preferred (last) agent       waits in agent:<a>:waiting:<ch>
--   agents       the agents named in arg (experts)           waits in agent:<a>:waiting:<ch> of each
--   skilled      queue members meeting the contact's skills, each at least arg (0: as required)
--                                                            waits in queue:<q>:waiting:<profile>
--   supervisors  any supervisor of the tenant                waits in supervisors:waiting:<ch>
--   centre       any agent of the tenant                     waits in centre:waiting:<ch>
local DEFAULT_STEPS = 'skilled:0:0'

-- The steps a contact starts with in queue q.
local function queue_steps(config)
  return (config.steps ~= nil and config.steps ~= '') and config.steps or DEFAULT_STEPS
end

-- Shared across calls (memo): no caller changes a step.
local steps_of = memo(function(encoded)
  local steps = {}
  for part in string.gmatch(encoded, '[^;]+') do
    local kind, arg, timeout = string.match(part, '^([a-z]+):([^:]*):(%d+)$')
    table.insert(steps, { kind = kind, arg = arg, timeout = tonumber(timeout) })
  end
  return steps
end)

local function parse_steps(encoded)
  local steps = steps_of(encoded or '')
  return #steps > 0 and steps or steps_of(DEFAULT_STEPS)
end

-- A profile with every required level raised to at least min_level ("other experts").
local function raised_profile(profile, min_level)
  if min_level <= 0 then
    return profile
  end
  local channel, required = parse_profile(profile)
  local names = {}
  for name in pairs(required) do
    table.insert(names, name)
  end
  table.sort(names)
  local parts = {}
  for _, name in ipairs(names) do
    table.insert(parts, name .. '=' .. math.max(required[name], min_level))
  end
  return channel .. '|' .. table.concat(parts, ',')
end

local function step_profile(contact, step)
  return raised_profile(contact.profile, tonumber(step.arg) or 0)
end

-- The waiting sets contact c sits in for one step.
local function step_keys(contact, step)
  local channel = contact.channel
  if step.kind == 'skilled' then
    return { key('queue', contact.queue, 'waiting', step_profile(contact, step)) }
  elseif step.kind == 'preferred' then
    return contact.preferred ~= '' and { key('agent', contact.preferred, 'waiting', channel) } or {}
  elseif step.kind == 'agents' then
    local keys = {}
    for a in string.gmatch(step.arg, '[^,]+') do
      table.insert(keys, key('agent', a, 'waiting', channel))
    end
    return keys
  elseif step.kind == 'supervisors' then
    return { key('supervisors', 'waiting', channel) }
  end
  return { key('centre', 'waiting', channel) }
end

-- The routing fields of contact c, read once and handed around. `step` is 1-based here
-- (the hash keeps it 0-based, as events report it).
local function load_contact(c)
  local f = redis.call('HMGET', key('contact', c), 'queue', 'profile', 'channel', 'attempt', 'preferredAgent', 'score', 'steps', 'step',
    'stepAt', 'overflowAt', 'state', 'enqueuedAt', 'data')
  return { queue = f[1], profile = f[2], channel = f[3], attempt = tonumber(f[4]) or 0, preferred = f[5] or '', score = f[6],
    steps = parse_steps(f[7]), step = (tonumber(f[8]) or 0) + 1, stepAt = tonumber(f[9]) or NOW, overflowAt = tonumber(f[10]) or 0,
    state = f[11], enqueuedAt = tonumber(f[12]) or NOW, data = f[13] or '' }
end

-- Puts waiting contact c into the waiting sets of steps `from` to `to`.
local function join_steps(c, contact, from, to)
  for i = from, to do
    local step = contact.steps[i]
    if step.kind == 'skilled' then
      ensure_profile(contact.queue, step_profile(contact, step))
    end
    for _, k in ipairs(step_keys(contact, step)) do
      redis.call('ZADD', k, contact.score, c)
    end
  end
end

-- Puts waiting contact c into its queue and the waiting sets of its steps so far.
local function join_waiting(c, contact)
  redis.call('ZADD', key('queue', contact.queue, 'waiting'), contact.score, c)
  join_steps(c, contact, 1, contact.step)
end

-- Takes contact c out of every waiting set it sits in.
local function leave_waiting(c, contact)
  redis.call('ZREM', key('queue', contact.queue, 'waiting'), c)
  for i = 1, contact.step do
    for _, k in ipairs(step_keys(contact, contact.steps[i])) do
      redis.call('ZREM', k, c)
    end
  end
end

-- Whether one of contact's steps so far lets agent a (its fields) take it.
local function admits(contact, a, fields)
  for i = 1, contact.step do
    local step = contact.steps[i]
    if step.kind == 'preferred' then
      if a == contact.preferred then
        return true
      end
    elseif step.kind == 'agents' then
      if string.find(',' .. step.arg .. ',', ',' .. a .. ',', 1, true) then
        return true
      end
    elseif step.kind == 'skilled' then
      if redis.call('ZSCORE', key('queue', contact.queue, 'ready', step_profile(contact, step)), a) then
        return true
      end
    elseif step.kind == 'supervisors' then
      if fields.kind == 'supervisor' then
        return true
      end
    else
      return true
    end
  end
  return false
end

-- Offers contact c to agents (one, or several for ring-all) and marks both. `waiting`
-- says whether c sits in the waiting sets (a new contact offered at once never does).
local function offer(c, agents, contact, waiting)
  local q, channel = contact.queue, contact.channel
  contact.attempt = contact.attempt + 1
  -- Numbers as text here and in the events (the relay reads either): cjson's own
  -- formatting of a number costs far more.
  local attempt = int(contact.attempt)
  local deadline = int(NOW + queue_config(q).offerTimeoutMs)
  redis.call('HSET', key('contact', c), 'state', 'offered', 'attempt', attempt, 'deadline', deadline)
  if waiting then
    leave_waiting(c, contact)
  end
  redis.call('ZADD', key('offer-deadlines'), deadline, c)
  -- Pace of the queue for expected wait (a smoothed interval between offers) and its
  -- offer turns (round robin), from the queue hash already read (queue_config).
  local config = queue_config(q)
  local last, interval = tonumber(config.lastOfferAt), tonumber(config.offerIntervalMs)
  if last ~= nil then
    interval = interval == nil and (NOW - last) or (interval * 0.8 + (NOW - last) * 0.2)
  end
  local turn = tonumber(config.turn) or 0
  for _, a in ipairs(agents) do
    touch(a)
    turn = turn + 1
    redis.call('SADD', key('contact', c, 'offers'), a)
    redis.call('SADD', key('agent', a, 'offers'), c)
    local offered = (tonumber(agent_fields(a)[OFFERED[channel]]) or 0) + 1
    agent_set(a, OFFERED[channel], int(offered), 'idleSince', NOW_TEXT, 'turn:' .. q, int(turn))
    local fields = reindex_agent(a)
    local n = #offers_made
    offers_made[n + 1], offers_made[n + 2], offers_made[n + 3], offers_made[n + 4] = c, a, attempt, deadline
    contact_event('offered', c, a, fields.site or '', fields.endpoint or '', attempt, deadline, contact.data)
  end
  config.lastOfferAt, config.turn = NOW, turn
  if interval ~= nil then
    -- Kept to the µs: thousandths() writes it cheaply.
    config.offerIntervalMs = thousandths(math.floor(interval * 1000 + 0.5))
    redis.call('HSET', key('queue', q, 'pace'), 'turn', int(turn), 'lastOfferAt', NOW_TEXT, 'offerIntervalMs', config.offerIntervalMs)
  else
    redis.call('HSET', key('queue', q, 'pace'), 'turn', int(turn), 'lastOfferAt', NOW_TEXT)
  end
end

-- The agents contact c should ring now: its preferred agent whenever a step so far lets
-- it take c, else, step by step, the best agent of the first step that has one (up to
-- ringAllLimit of a skilled step's ready set for ring-all).
local function pick_agents(contact)
  local q, channel = contact.queue, contact.channel
  local preferred = contact.preferred
  if preferred ~= '' then
    local fields = agent_fields(preferred)
    if room_in(fields, channel) and admits(contact, preferred, fields) then
      return { preferred }
    end
  end
  local config = queue_config(q)
  for i = 1, contact.step do
    local step = contact.steps[i]
    local agents = {}
    if step.kind == 'skilled' then
      local ready = key('queue', q, 'ready', step_profile(contact, step))
      -- Indexes as text: Redis formats a number argument with %.17g, costly on every call.
      agents = redis.call('ZRANGE', ready, '0', config.strategy == 'ring-all' and int(config.ringAllLimit - 1) or '0')
    elseif step.kind == 'agents' then
      local _, required = parse_profile(contact.profile)
      local best, best_score = nil, nil
      for a in string.gmatch(step.arg, '[^,]+') do
        local fields = agent_fields(a)
        if room_in(fields, channel) then
          local score = score_of(fields, q, required)
          if best == nil or score < best_score then
            best, best_score = a, score
          end
        end
      end
      agents = best and { best } or {}
    elseif step.kind == 'supervisors' or step.kind == 'centre' then
      agents = redis.call('ZRANGE', key(step.kind, 'ready', channel), '0', '0')
    end
    if #agents > 0 then
      return agents
    end
  end
  return {}
end

-- Offers waiting contact c to the agents its steps so far allow, if any is free (I4).
local function match_contact(c, contact)
  local agents = pick_agents(contact)
  if #agents > 0 then
    offer(c, agents, contact, true)
  end
end

-- Offers agent a, while it has room, the best waiting contact any of its waiting sets
-- holds: its profiles' in its queues, its own (as preferred or named agent), the whole
-- centre's and, for a supervisor, the supervisors' (I4).
local function match_agent(a)
  local eligible = redis.call('SMEMBERS', key('agent', a, 'eligible'))
  -- Bounded by the agent's total capacity: each round fills one slot or stops.
  for _ = 1, 200 do
    local best, best_score, best_queue = nil, nil, nil
    local fields = agent_fields(a)
    local function consider(set, q)
      local head = redis.call('ZRANGE', set, '0', '0', 'WITHSCORES')
      if #head > 0 then
        local score = tonumber(head[2])
        if best == nil or score < best_score or (score == best_score and head[1] < best) then
          best, best_score, best_queue = head[1], score, q
        end
      end
    end
    local room = {}
    for _, channel in ipairs(CHANNELS) do
      if fields[CAP[channel]] then
        room[channel] = room_in(fields, channel)
        if room[channel] then
          consider(key('agent', a, 'waiting', channel), nil)
          consider(key('centre', 'waiting', channel), nil)
          if fields.kind == 'supervisor' then
            consider(key('supervisors', 'waiting', channel), nil)
          end
        end
      end
    end
    for _, pair in ipairs(eligible) do
      local q, p = split_pair(pair)
      if room[parse_profile(p)] then
        consider(key('queue', q, 'waiting', p), q)
      end
    end
    if best == nil then
      return
    end
    local contact = load_contact(best)
    if best_queue and queue_config(best_queue).strategy == 'ring-all' then
      -- a is in the ready set (it has room), so the contact rings at a and every other free agent.
      match_contact(best, contact)
    else
      offer(best, { a }, contact, true)
    end
  end
end

-- Puts contact c back among the waiting with its original score, then matches it. A
-- contact whose wait limit passed while it rang is due for overflow at once.
local function return_to_queue(c)
  local contact = load_contact(c)
  redis.call('HSET', key('contact', c), 'state', 'waiting', 'deadline', 0)
  redis.call('DEL', key('contact', c, 'offers'))
  redis.call('ZREM', key('offer-deadlines'), c)
  join_waiting(c, contact)
  if contact.overflowAt > 0 and contact.overflowAt <= NOW then
    redis.call('ZADD', key('overflow-deadlines'), NOW, c)
  end
  match_contact(c, contact)
end

-- Takes back the offer of contact c to agent a; true when nobody is offered c any more.
-- Does not reindex a: the caller decides what becomes of the agent.
local function withdraw_offer(c, a)
  touch(a)
  local channel = redis.call('HGET', key('contact', c), 'channel')
  redis.call('SREM', key('agent', a, 'offers'), c)
  agent_incr(a, OFFERED[channel], -1)
  redis.call('SREM', key('contact', c, 'offers'), a)
  return redis.call('SCARD', key('contact', c, 'offers')) == 0
end

-- Ring-no-answer or rejection by agent a: it goes not ready, and c goes back to its place
-- when nobody else is still being offered it.
local function decline_offer(c, a, reason)
  local nobody_left = withdraw_offer(c, a)
  agent_set(a, 'presence', 'not-ready', 'reason', reason)
  reindex_agent(a)
  contact_event(reason == 'ring-no-answer' and 'ring_no_answer' or 'rejected', c, a, redis.call('HGET', key('agent', a), 'site') or '',
    tonumber(redis.call('HGET', key('contact', c), 'attempt')), reason, nobody_left)
  if nobody_left then
    return_to_queue(c)
  end
  return nobody_left
end

-- Remembers c as done for `ttl_ms` so a repeated enqueue of it is a no-op.
local function finish_contact(c, ttl_ms)
  local ck = key('contact', c)
  if redis.call('HGET', ck, 'state') == 'waiting' then
    leave_waiting(c, load_contact(c))
  end
  for _, timers in ipairs({ 'offer-deadlines', 'step-deadlines', 'overflow-deadlines' }) do
    redis.call('ZREM', key(timers), c)
  end
  redis.call('DEL', key('contact', c, 'offers'))
  redis.call('HSET', ck, 'state', 'done', 'finishedAt', NOW)
  redis.call('PEXPIRE', ck, ttl_ms)
  local call = contact_info(c)
  if call.callId ~= '' then
    redis.call('PEXPIRE', key('call', call.callSite, call.callId), ttl_ms)
  end
end

-- Frees agents (their room grew): reindex them all first, so a ring-all contact picked
-- up by the first rings at every one of them, then offer each what waits.
local function free_agents(agents)
  for _, a in ipairs(agents) do
    reindex_agent(a)
  end
  for _, a in ipairs(agents) do
    match_agent(a)
  end
end

local function free_agent(a)
  free_agents({ a })
end

-- The offers this run made, for the reply: contact, agent, attempt and deadline of each,
-- one after the other in one table (Redis converts each table of a reply at length).
local function flat_offers()
  return offers_made
end

-- Starts routing contact c in its queue from its first step: schedules its step and
-- overflow timers, offers it at once when an allowed agent is free, else makes it wait.
-- `announce(position)` reports the queueing (position 0 when offered at once) before
-- any offer. Returns the position.
local function start_routing(c, contact, announce)
  -- A preferred-agent step without a preferred agent has nobody to wait for.
  while contact.steps[contact.step].kind == 'preferred' and contact.preferred == '' and contact.step < #contact.steps do
    contact.step = contact.step + 1
  end
  if contact.step > 1 or contact.stepAt ~= NOW then
    redis.call('HSET', key('contact', c), 'step', contact.step - 1, 'stepAt', NOW)
    contact.stepAt = NOW
  end
  if contact.step < #contact.steps then
    redis.call('ZADD', key('step-deadlines'), NOW + contact.steps[contact.step].timeout, c)
  end
  if contact.overflowAt > 0 then
    redis.call('ZADD', key('overflow-deadlines'), contact.overflowAt, c)
  end
  local first = contact.steps[contact.step]
  if first.kind == 'skilled' then
    ensure_profile(contact.queue, step_profile(contact, first))
  end
  local agents = pick_agents(contact)
  if #agents > 0 then
    announce(0)
    offer(c, agents, contact, false)
    return 0
  end
  join_waiting(c, contact)
  local position = redis.call('ZRANK', key('queue', contact.queue, 'waiting'), c) + 1
  announce(position)
  return position
end

-- The service score of a contact in queue q: its virtual enqueue time (see queue-definition.ts).
local function service_score(q, enqueued_at, due_at, priority, value)
  local config = queue_config(q)
  local base_time = enqueued_at
  -- A missing field comes as false from redis.call.
  if due_at and due_at ~= '' then
    base_time = math.min(base_time, tonumber(due_at) - config.dueWindowMs)
  end
  return num(base_time - priority * config.priorityPointMs - value * config.businessValuePointMs)
end

-- Re-homes contact c (waiting, its offers and assignment already ended) in queue q from
-- its first step: a transfer, a reassignment or an overflow to q. It keeps its original
-- enqueue time, so its seniority counts there too; `to_agent` first waits `window_ms`
-- for that agent alone. The caller reports the move, then calls start_routing.
local function move_contact(c, q, to_agent, window_ms)
  local contact = load_contact(c)
  if contact.state == 'waiting' then
    leave_waiting(c, contact)
  end
  for _, timers in ipairs({ 'offer-deadlines', 'step-deadlines', 'overflow-deadlines' }) do
    redis.call('ZREM', key(timers), c)
  end
  local config = queue_config(q)
  local f = redis.call('HMGET', key('contact', c), 'priority', 'businessValue', 'dueAt')
  local steps = queue_steps(config)
  if to_agent ~= '' then
    steps = 'agents:' .. to_agent .. ':' .. window_ms .. ';' .. steps
  end
  local overflow_at = config.overflowAfterMs > 0 and NOW + config.overflowAfterMs or 0
  redis.call('HSET', key('contact', c), 'state', 'waiting', 'queue', q, 'agent', '', 'deadline', 0, 'steps', steps, 'step', 0,
    'overflowAt', overflow_at, 'score', service_score(q, contact.enqueuedAt, f[3], tonumber(f[1]) or 0, tonumber(f[2]) or 0))
  redis.call('DEL', key('contact', c, 'offers'))
  contact_infos[c] = nil
  return load_contact(c)
end

-- The contact left before an agent took it (`reason`: abandoned or withdrawn): agents it
-- rang at get their slot back and are offered what waits (I4); it is remembered as done.
local function abandon_contact(c, state, reason, ttl_ms)
  contact_event('abandoned', c, reason, state, NOW - (tonumber(redis.call('HGET', key('contact', c), 'enqueuedAt')) or NOW))
  local ringing = state == 'offered' and redis.call('SMEMBERS', key('contact', c, 'offers')) or {}
  for _, a in ipairs(ringing) do
    withdraw_offer(c, a)
  end
  finish_contact(c, ttl_ms)
  free_agents(ringing)
end

-- Agent a no longer handles assigned contact c (released or transferred): its slot frees,
-- and wrap-up starts when c's queue has one (unless `skip_wrap_up`: nothing happened to
-- wrap up). Returns the wrap-up end, 0 for none; then the caller frees the agent
-- (free_agent) once c's own changes are made.
local function end_assignment(c, a, skip_wrap_up)
  local ak = key('agent', a)
  local fields = redis.call('HMGET', key('contact', c), 'queue', 'channel')
  touch(a)
  agent_incr(a, BUSY[fields[2]], -1)
  redis.call('SREM', key('agent', a, 'contacts'), c)
  local config = queue_config(fields[1])
  local wrap_up_ms = (config and not skip_wrap_up) and config.wrapUpMs or 0
  if wrap_up_ms > 0 and redis.call('HGET', ak, 'presence') ~= 'logged-out' then
    local until_ms = NOW + wrap_up_ms
    agent_set(a, 'wrapping', '1')
    redis.call('ZADD', key('wrap-ups'), math.max(until_ms, tonumber(redis.call('ZSCORE', key('wrap-ups'), a)) or 0), a)
    reindex_agent(a)
    return until_ms
  end
  return 0
end

-- Agent a finished assigned contact c (released, or the caller hung up): wrap-up starts
-- when its queue has one (see end_assignment), else the agent is matched at once (I4).
-- The agent's wrap-up code and notes (absent for a hang-up) follow the traceparent, so an
-- outbox entry written before they existed reads the same. Returns the wrap-up end.
local function release_assignment(c, a, ttl_ms, skip_wrap_up, wrap_up_code, notes)
  local until_ms = end_assignment(c, a, skip_wrap_up)
  contact_event('completed', c, a, redis.call('HGET', key('agent', a), 'site') or '', until_ms)
  local event = events[#events]
  event[#event + 1] = wrap_up_code or ''
  event[#event + 1] = notes or ''
  finish_contact(c, ttl_ms)
  if until_ms == 0 then
    free_agent(a)
  end
  return until_ms
end
