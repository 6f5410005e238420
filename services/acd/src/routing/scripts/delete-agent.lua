-- delete-agent.lua: forgets a logged-out agent and its configuration.
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed; ARGV[3] agent id
-- Returns {'ok'} | {'unknown-agent', a} | {'agent-logged-in', a}.
-- Invariant: a logged-in agent is never deleted (it may hold contacts); log it out first.
local a = ARGV[3]
local presence = redis.call('HGET', key('agent', a), 'presence')
if presence and presence ~= 'logged-out' then
  return { 'agent-logged-in', a }
end
if redis.call('DEL', key('agent', a, 'config')) == 0 and not presence then
  return { 'unknown-agent', a }
end
redis.call('DEL', key('agent', a), key('agent', a, 'eligible'), key('agent', a, 'offers'), key('agent', a, 'contacts'))
agent_forget(a)
return { 'ok' }
