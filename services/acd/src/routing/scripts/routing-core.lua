-- routing-core.lua: the functions every routing script shares. RoutingScripts prepends
-- this file to each script before defineCommand, so it is never run on its own.
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
--   queue:<q>                     hash   queue definition + offer turn counter + pace
--   queue:<q>:members             set    agents logged in to the queue
--   queue:<q>:profiles            set    skill profiles (`<channel>|<skill>=<min>,...`) seen in q
--   queue:<q>:waiting             zset   every waiting contact of q by service score
--   queue:<q>:waiting:<profile>   zset   waiting contacts of one profile by service score
--   queue:<q>:ready:<profile>     zset   agents able to take one more contact of the profile
--                                        now, by the queue's strategy score (lowest first)
--   contact:<c>                   hash   contact fields and state
--   contact:<c>:offers            set    agents the contact is offered to (ringing)
--   agent:<a>                     hash   presence, skills, per-channel cap/busy/offered
--   agent:<a>:eligible            set    `<q>/<profile>` pairs the agent's skills meet
--   agent:<a>:offers              set    contacts offered to the agent
--   agent:<a>:contacts            set    contacts the agent accepted and has not released
--   offer-deadlines               zset   offered contacts by ring-no-answer deadline
--   wrap-ups                      zset   agents in wrap-up by its end
--
-- Invariants every script keeps (checked by the model test):
--   I1 a contact is in exactly one state: waiting (in both waiting sets), offered (in
--      offer-deadlines, >= 1 agent in its offers), assigned (one agent), or done.
--   I2 per agent and channel: busy + offered <= capacity.
--   I3 an agent is in ready:<q>:<p> iff it is logged in to q, ready, not wrapping up,
--      meets p's skills and has a free slot on p's channel.
--   I4 work conservation: no profile has both a waiting contact and a ready agent, so a
--      new contact only needs its own profile's best agent and a freed agent only the
--      heads of its own profiles' waiting sets.

local BASE = KEYS[1]
local NOW = tonumber(ARGV[1])
math.randomseed(tonumber(ARGV[2]))

local function key(...)
  return BASE .. ':' .. table.concat({ ... }, ':')
end

-- Scores go to Redis as strings; tostring keeps only 14 significant digits.
local function num(x)
  return string.format('%.17g', x)
end

local function parse_levels(encoded)
  local levels = {}
  for name, level in string.gmatch(encoded or '', '([^,=]+)=(%d+)') do
    levels[name] = tonumber(level)
  end
  return levels
end

local function parse_profile(profile)
  local bar = string.find(profile, '|', 1, true)
  return string.sub(profile, 1, bar - 1), parse_levels(string.sub(profile, bar + 1))
end

local function split_pair(pair)
  local slash = string.find(pair, '/', 1, true)
  return string.sub(pair, 1, slash - 1), string.sub(pair, slash + 1)
end

local function meets(agent_skills, required)
  for skill, minimum in pairs(required) do
    if (agent_skills[skill] or 0) < minimum then
      return false
    end
  end
  return true
end

local queue_cache = {}
local function queue_config(q)
  local config = queue_cache[q]
  if config == nil then
    local raw = redis.call('HGETALL', key('queue', q))
    if #raw == 0 then
      return nil
    end
    config = {}
    for i = 1, #raw, 2 do
      config[raw[i]] = raw[i + 1]
    end
    for _, field in ipairs({ 'wIdle', 'wHandled', 'wRoundRobin', 'wRandom', 'wSkill', 'offerTimeoutMs', 'wrapUpMs',
      'priorityPointMs', 'businessValuePointMs', 'dueWindowMs', 'ringAllLimit' }) do
      config[field] = tonumber(config[field]) or 0
    end
    queue_cache[q] = config
  end
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

-- The agent's whole hash as a table: one call instead of several HMGETs.
local function agent_fields(a)
  local raw = redis.call('HGETALL', key('agent', a))
  local fields = {}
  for i = 1, #raw, 2 do
    fields[raw[i]] = raw[i + 1]
  end
  return fields
end

-- Whether an agent (its fields) may be offered one more contact on channel, now.
local function room_in(fields, channel)
  if fields.presence ~= 'ready' or fields.wrapping == '1' then
    return false
  end
  return (tonumber(fields['busy:' .. channel]) or 0) + (tonumber(fields['offered:' .. channel]) or 0)
    < (tonumber(fields['cap:' .. channel]) or 0)
end

local function has_room(a, channel)
  return room_in(agent_fields(a), channel)
end

-- The queue strategy's score of an agent (its fields) for a profile (lower is offered first).
local function score_of(fields, q, required)
  local config = queue_config(q)
  local score = config.wIdle * (tonumber(fields.idleSince) or 0) / 1000
    + config.wHandled * (tonumber(fields['handled:' .. q]) or 0)
    + config.wRoundRobin * (tonumber(fields['turn:' .. q]) or 0)
  if config.wRandom > 0 then
    score = score + config.wRandom * math.random()
  end
  if config.wSkill > 0 then
    local levels = parse_levels(fields.skills)
    local sum = 0
    for skill in pairs(required) do
      sum = sum + (levels[skill] or 0)
    end
    score = score - config.wSkill * sum
  end
  return score
end

local function agent_score(a, q, required)
  return score_of(agent_fields(a), q, required)
end

-- Puts agent a into, or takes it out of, every ready set it belongs to (I3).
local function reindex_agent(a)
  local fields = agent_fields(a)
  for _, pair in ipairs(redis.call('SMEMBERS', key('agent', a, 'eligible'))) do
    local q, p = split_pair(pair)
    local channel, required = parse_profile(p)
    if room_in(fields, channel) then
      redis.call('ZADD', key('queue', q, 'ready', p), num(score_of(fields, q, required)), a)
    else
      redis.call('ZREM', key('queue', q, 'ready', p), a)
    end
  end
end

-- Records that agent a meets profile p of queue q (its skills and channel capacity).
local function enrol_if_eligible(a, q, p)
  local channel, required = parse_profile(p)
  local fields = redis.call('HMGET', key('agent', a), 'skills', 'cap:' .. channel)
  if (tonumber(fields[2]) or 0) > 0 and meets(parse_levels(fields[1]), required) then
    redis.call('SADD', key('agent', a, 'eligible'), q .. '/' .. p)
    return true
  end
  return false
end

-- The routing fields of contact c, read once and handed around.
local function load_contact(c)
  local f = redis.call('HMGET', key('contact', c), 'queue', 'profile', 'channel', 'attempt', 'preferredAgent', 'score')
  return { queue = f[1], profile = f[2], channel = f[3], attempt = tonumber(f[4]) or 0, preferred = f[5], score = f[6] }
end

local offers_made = {}

-- Offers contact c to agents (one, or several for ring-all) and marks both. `waiting`
-- says whether c sits in the waiting sets (a new contact offered at once never does).
local function offer(c, agents, contact, waiting)
  local q, p, channel = contact.queue, contact.profile, contact.channel
  contact.attempt = contact.attempt + 1
  local deadline = NOW + queue_config(q).offerTimeoutMs
  redis.call('HSET', key('contact', c), 'state', 'offered', 'attempt', contact.attempt, 'deadline', deadline)
  if waiting then
    redis.call('ZREM', key('queue', q, 'waiting'), c)
    redis.call('ZREM', key('queue', q, 'waiting', p), c)
  end
  redis.call('ZADD', key('offer-deadlines'), deadline, c)
  -- Pace of the queue for expected wait: a smoothed interval between offers.
  local qk = key('queue', q)
  local pace = redis.call('HMGET', qk, 'lastOfferAt', 'offerIntervalMs')
  local last, interval = tonumber(pace[1]), tonumber(pace[2])
  if last ~= nil then
    interval = interval == nil and (NOW - last) or (interval * 0.8 + (NOW - last) * 0.2)
    redis.call('HSET', qk, 'lastOfferAt', NOW, 'offerIntervalMs', num(interval))
  else
    redis.call('HSET', qk, 'lastOfferAt', NOW)
  end
  for _, a in ipairs(agents) do
    local turn = redis.call('HINCRBY', qk, 'turn', 1)
    redis.call('SADD', key('contact', c, 'offers'), a)
    redis.call('SADD', key('agent', a, 'offers'), c)
    redis.call('HINCRBY', key('agent', a), 'offered:' .. channel, 1)
    redis.call('HSET', key('agent', a), 'idleSince', NOW, 'turn:' .. q, turn)
    reindex_agent(a)
    table.insert(offers_made, { c, a, tostring(contact.attempt), tostring(deadline) })
  end
end

-- The agents contact c should ring now: its preferred agent when ready, else the best
-- of its profile's ready set (all of them, up to a limit, for ring-all).
local function pick_agents(contact)
  local ready = key('queue', contact.queue, 'ready', contact.profile)
  if contact.preferred and contact.preferred ~= '' and redis.call('ZSCORE', ready, contact.preferred) then
    return { contact.preferred }
  end
  local config = queue_config(contact.queue)
  return redis.call('ZRANGE', ready, 0, (config.strategy == 'ring-all' and config.ringAllLimit or 1) - 1)
end

-- Offers waiting contact c to the best ready agent of its profile, if any (I4).
local function match_contact(c, contact)
  local agents = pick_agents(contact)
  if #agents > 0 then
    offer(c, agents, contact, true)
  end
end

-- Offers agent a the best waiting contacts of its profiles while it has room (I4).
local function match_agent(a)
  local eligible = redis.call('SMEMBERS', key('agent', a, 'eligible'))
  -- Bounded by the agent's total capacity: each round fills one slot or stops.
  for _ = 1, 200 do
    local best, best_score, best_queue = nil, nil, nil
    local fields = agent_fields(a)
    local room = {}
    for _, pair in ipairs(eligible) do
      local q, p = split_pair(pair)
      local channel = parse_profile(p)
      if room[channel] == nil then
        room[channel] = room_in(fields, channel)
      end
      if room[channel] then
        local head = redis.call('ZRANGE', key('queue', q, 'waiting', p), 0, 0, 'WITHSCORES')
        if #head > 0 then
          local score = tonumber(head[2])
          if best == nil or score < best_score or (score == best_score and head[1] < best) then
            best, best_score, best_queue = head[1], score, q
          end
        end
      end
    end
    if best == nil then
      return
    end
    local contact = load_contact(best)
    if queue_config(best_queue).strategy == 'ring-all' then
      -- a is in the ready set (it has room), so the contact rings at a and every other free agent.
      match_contact(best, contact)
    else
      offer(best, { a }, contact, true)
    end
  end
end

-- Puts contact c back among the waiting with its original score, then matches it.
local function return_to_queue(c)
  local contact = load_contact(c)
  redis.call('HSET', key('contact', c), 'state', 'waiting', 'deadline', 0)
  redis.call('DEL', key('contact', c, 'offers'))
  redis.call('ZREM', key('offer-deadlines'), c)
  redis.call('ZADD', key('queue', contact.queue, 'waiting'), contact.score, c)
  redis.call('ZADD', key('queue', contact.queue, 'waiting', contact.profile), contact.score, c)
  match_contact(c, contact)
end

-- Takes back the offer of contact c to agent a; true when nobody is offered c any more.
-- Does not reindex a: the caller decides what becomes of the agent.
local function withdraw_offer(c, a)
  local channel = redis.call('HGET', key('contact', c), 'channel')
  redis.call('SREM', key('agent', a, 'offers'), c)
  redis.call('HINCRBY', key('agent', a), 'offered:' .. channel, -1)
  redis.call('SREM', key('contact', c, 'offers'), a)
  return redis.call('SCARD', key('contact', c, 'offers')) == 0
end

-- Ring-no-answer or rejection by agent a: it goes not ready, and c goes back to its place
-- when nobody else is still being offered it.
local function decline_offer(c, a, reason)
  local nobody_left = withdraw_offer(c, a)
  redis.call('HSET', key('agent', a), 'presence', 'not-ready', 'reason', reason)
  reindex_agent(a)
  if nobody_left then
    return_to_queue(c)
  end
  return nobody_left
end

-- Remembers c as done for `ttl_ms` so a repeated enqueue of it is a no-op.
local function finish_contact(c, ttl_ms)
  local ck = key('contact', c)
  local fields = redis.call('HMGET', ck, 'queue', 'profile')
  redis.call('ZREM', key('queue', fields[1], 'waiting'), c)
  redis.call('ZREM', key('queue', fields[1], 'waiting', fields[2]), c)
  redis.call('ZREM', key('offer-deadlines'), c)
  redis.call('DEL', key('contact', c, 'offers'))
  redis.call('HSET', ck, 'state', 'done', 'finishedAt', NOW)
  redis.call('PEXPIRE', ck, ttl_ms)
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

local function flat_offers()
  return offers_made
end
