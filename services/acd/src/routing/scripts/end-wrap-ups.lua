-- end-wrap-ups.lua: agents whose wrap-up time has passed take contacts again.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] at most this many agents
-- Events: the agents' states, offers made.
-- Returns {'ok', agents, offers}.
-- Invariant: I3 then I4 for each agent; idle time starts at the end of wrap-up.
local ended = redis.call('ZRANGEBYSCORE', key('wrap-ups'), '-inf', NOW, 'LIMIT', 0, tonumber(ARGV[3]))
for _, a in ipairs(ended) do
  touch(a)
  redis.call('ZREM', key('wrap-ups'), a)
  agent_set(a, 'wrapping', '0', 'idleSince', NOW)
end
free_agents(ended)
return finish({ 'ok', ended, flat_offers() })
