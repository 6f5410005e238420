-- continue-enrolments.lua: enrols the next chunk of members in each skill profile whose
-- first appearance left an enrolment going on (ensure_profile), and offers the agents it
-- makes ready what waits for them.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] at most this many profiles
-- Events: offered and agents' states for what the new ready agents take.
-- Returns {'ok', profiles still enrolling, offers}.
-- Invariant: I3 for the members enrolled so far; a profile's enrolment ends after
-- ceil(members / chunk) runs, whichever replicas run them (the cursor moves atomically).
local pending = redis.call('HGETALL', key('enrolments'))
for i = 1, math.min(#pending, tonumber(ARGV[3]) * 2), 2 do
  local q, p = split_pair(pending[i])
  local cursor = enrol_chunk(q, p, pending[i + 1])
  if cursor == '0' then
    redis.call('HDEL', key('enrolments'), pending[i])
  else
    redis.call('HSET', key('enrolments'), pending[i], cursor)
  end
end
free_agents(enrolled_ready)
return finish({ 'ok', redis.call('HLEN', key('enrolments')), flat_offers() })
