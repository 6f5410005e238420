-- reject-offer.lua: the agent declined an offer, or it rang out (ring-no-answer).
-- KEYS[1] tenant base key; ARGV[1] now; ARGV[2] random seed
-- ARGV[3] contact id; ARGV[4] agent id; ARGV[5] offer attempt; ARGV[6] reason code
-- Events: ring_no_answer when the reason is `ring-no-answer`, else rejected; the agent's state.
-- Returns {'ok', returned (1|0), offers} | {'not-offered', state}.
-- Invariants: the agent goes not ready with the reason, so the contact is not offered
-- straight back to it; the contact returns with its original score — its original place
-- — once no agent is ringing any more, and is matched again (I4).
local c, a, attempt = ARGV[3], ARGV[4], ARGV[5]
local ck = key('contact', c)
local fields = redis.call('HMGET', ck, 'state', 'attempt')
if fields[1] ~= 'offered' or fields[2] ~= attempt or redis.call('SISMEMBER', key('contact', c, 'offers'), a) == 0 then
  return { 'not-offered', fields[1] or 'unknown' }
end
local returned = decline_offer(c, a, ARGV[6])
return finish({ 'ok', returned and 1 or 0, flat_offers() })
