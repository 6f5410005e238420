-- expire-offers.lua: ring-no-answer for every offer whose deadline has passed.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] at most this many contacts per call; ARGV[4] reason code for the agents
-- Events: ring_no_answer for each, the agents' states, offers made as contacts return.
-- Returns {'ok', {contact, agent, ...} that rang out, offers}.
-- Invariants: as reject-offer for each (agent not ready, contact back at its original
-- place). Any replica may run it; one offer expires once because the script is atomic.
local expired = redis.call('ZRANGEBYSCORE', key('offer-deadlines'), '-inf', NOW, 'LIMIT', 0, tonumber(ARGV[3]))
local rang_out = {}
for _, c in ipairs(expired) do
  for _, a in ipairs(redis.call('SMEMBERS', key('contact', c, 'offers'))) do
    table.insert(rang_out, c)
    table.insert(rang_out, a)
    -- The last decline returns c to the queue, which drops this deadline; c may at once be
    -- offered to another agent under a new one, which must stay.
    decline_offer(c, a, ARGV[4])
  end
end
return finish({ 'ok', rang_out, flat_offers() })
