-- set-agent-ready.lua: the agent takes contacts; ends a wrap-up early.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] agent id
-- Events: the agent's state, offers made to it.
-- Returns {'ok', previous presence, offers} | {'unknown-agent', a} | {'not-logged-in', a}.
-- Invariant: I3 then I4 — the agent enters its ready sets and is offered at once what
-- waits for it. Idle time starts now unless the agent was already ready.
local a = ARGV[3]
local ak = key('agent', a)
local presence, refusal = logged_in_presence(a)
if refusal then
  return refusal
end
touch(a)
local wrapping = redis.call('HGET', ak, 'wrapping') == '1'
if presence ~= 'ready' or wrapping then
  agent_set(a, 'idleSince', NOW)
end
agent_set(a, 'presence', 'ready', 'wrapping', '0')
clear_reason(a, 'reason')
redis.call('ZREM', key('wrap-ups'), a)
free_agent(a)
return finish({ 'ok', presence, flat_offers() })
