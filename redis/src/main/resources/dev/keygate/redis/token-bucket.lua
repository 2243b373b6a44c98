-- Takes one token from a token bucket, or only looks, atomically (Keygate's RedisRateLimiter).
-- KEYS[1]: the bucket, a hash {t = tokens left, u = when last refilled, in ms}
-- ARGV[1]: the limit's requests (the bucket's size); ARGV[2]: its period in ms;
-- ARGV[3]: now, in ms by the calling node's clock (a node whose clock is behind refills nothing);
-- ARGV[4]: '1' to take a token, '0' to look without taking (nothing is written)
-- Returns {ms until a token is available (0: available, and taken when asked),
--          tokens spent and not refilled, in thousandths, rounded up (never more tokens than there are)}
local size = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local take = ARGV[4] == '1'
local state = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = size
  updated = now
end
if now > updated then
  tokens = math.min(size, tokens + (now - updated) * size / period)
  updated = now
end
local wait = 0
if tokens >= 1 then
  if take then
    tokens = tokens - 1
  end
else
  wait = math.ceil((1 - tokens) * period / size)
end
if take then
  redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'u', string.format('%d', updated))
  -- a bucket left alone for a whole period is full again: the same as no bucket
  redis.call('PEXPIRE', KEYS[1], period + 1000)
end
return {wait, math.ceil((size - tokens) * 1000)}
