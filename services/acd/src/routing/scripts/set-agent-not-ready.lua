-- set-agent-not-ready.lua: the agent pauses with a reason code (break, training...).
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] agent id; ARGV[4] reason
-- Events: the agent's state (or its new reason).
-- Returns {'ok', previous presence} | {'unknown-agent', a} | {'not-logged-in', a}.
-- Invariant: I3 — the agent leaves every ready set. Offers already ringing stay; the
-- agent may still accept them (pausing while the phone rings is common).
local a = ARGV[3]
local ak = key('agent', a)
local presence, refusal = logged_in_presence(a)
if refusal then
  return refusal
end
touch(a)
agent_set(a, 'presence', 'not-ready', 'reason', ARGV[4])
reindex_agent(a)
return finish({ 'ok', presence })
