/**
 * Lua scripts of the Redis limiter. Each runs atomically in Redis, so one call checks and reserves
 * every scope of a request with no other replica in between: that is what makes the limits exact
 * across replicas. Keys (6 per scope, plain keys: single-node Redis):
 *
 *   <scope>:r   ZSET  ticket → admission time      sliding window of requests
 *   <scope>:t   HASH  ticket → tokens, '#' → sum   tokens of the same entries
 *   <scope>:p   ZSET  ticket → lease expiry        parallel slots
 *   <scope>:b   HASH  period, spent, reserved      budget counters of the current period
 *   <scope>:bz  ZSET  ticket → lease expiry        budget reservations (expiry)
 *   <scope>:ba  HASH  ticket → micro-dollars       budget reservations (amount)
 *
 * Time: ARGV[1] is the caller's clock in ms, or -1 to use the Redis server's TIME so that every
 * replica shares one clock (Redis 5+ replicates script effects, so TIME is allowed).
 * Numbers written back go through %d: Lua's default number format switches to exponent notation
 * above 1e14, which HINCRBY would refuse.
 */
const PRELUDE = `
local function now_ms()
  local given = tonumber(ARGV[1])
  if given >= 0 then return given end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function I(x) return string.format('%d', x) end
-- unpack() is bounded by Lua's C stack; work on slices
local function each_batch(list, fn)
  for i = 1, #list, 500 do fn({unpack(list, i, math.min(i + 499, #list))}) end
end
local function oldest(r)
  local o = redis.call('ZRANGE', r, 0, 0, 'WITHSCORES')
  if #o == 0 then return -1 end
  return tonumber(o[2])
end
local function prune_window(r, t, cutoff)
  local old = redis.call('ZRANGEBYSCORE', r, '-inf', cutoff)
  if #old == 0 then return end
  local sum = 0
  each_batch(old, function(batch)
    local toks = redis.call('HMGET', t, unpack(batch))
    for i = 1, #toks do if toks[i] then sum = sum + tonumber(toks[i]) end end
    redis.call('HDEL', t, unpack(batch))
  end)
  if sum ~= 0 then redis.call('HINCRBY', t, '#', I(-sum)) end
  redis.call('ZREMRANGEBYSCORE', r, '-inf', cutoff)
end
-- drops expired reservations and returns the micro-dollars they held
local function prune_reservations(b, bz, ba, now)
  local old = redis.call('ZRANGEBYSCORE', bz, '-inf', now)
  if #old == 0 then return 0 end
  local sum = 0
  each_batch(old, function(batch)
    local amounts = redis.call('HMGET', ba, unpack(batch))
    for i = 1, #amounts do if amounts[i] then sum = sum + tonumber(amounts[i]) end end
    redis.call('HDEL', ba, unpack(batch))
  end)
  redis.call('ZREMRANGEBYSCORE', bz, '-inf', now)
  if sum ~= 0 and redis.call('EXISTS', b) == 1 then redis.call('HINCRBY', b, 'reserved', I(-sum)) end
  return sum
end
-- a numerically older period never replaces a newer one (a replica with a stale key cache)
local function is_new_period(stored, given)
  if stored == given then return false end
  local s, g = tonumber(stored), tonumber(given)
  if s and g and g < s then return false end
  return true
end
`;

/**
 * KEYS: 6 per check. ARGV: now, ticket, est tokens, worst cost, window ms, lease ms, n, then per
 * check: rpm, tpm, max parallel, budget max, period id, base spent, reset-at ms (-1 = none).
 * Returns {1, now, reqLimit, reqUsed, reqOldest, tokLimit, tokUsed, tokOldest} or
 * {0, now, reqLimit, ..., tokOldest, reason, check index, retry ms, current, limit}.
 */
export const ADMIT_LUA = `${PRELUDE}
local now = now_ms()
local ticket = ARGV[2]
local est = tonumber(ARGV[3])
local worst = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local lease = tonumber(ARGV[6])
local n = tonumber(ARGV[7])
local cutoff = now - window
local req, tok = nil, nil
local function tighter(a, limit, used, old)
  if (not a) or (limit - used < a[1] - a[2]) then return {limit, used, old} end
  return a
end
local function stats()
  local q = req or {-1, -1, -1}
  local k = tok or {-1, -1, -1}
  return {q[1], q[2], q[3], k[1], k[2], k[3]}
end
local spent_t, reserved_t, count_t, old_t = {}, {}, {}, {}
local refusal, budget_refusal = nil, nil

for i = 1, n do
  local k = (i - 1) * 6
  local r, t, p, b, bz, ba = KEYS[k+1], KEYS[k+2], KEYS[k+3], KEYS[k+4], KEYS[k+5], KEYS[k+6]
  local a = 8 + (i - 1) * 7
  local rpm, tpm, par, bmax = tonumber(ARGV[a]), tonumber(ARGV[a+1]), tonumber(ARGV[a+2]), tonumber(ARGV[a+3])
  if rpm >= 0 or tpm >= 0 then
    prune_window(r, t, cutoff)
    count_t[i] = redis.call('ZCARD', r)
    old_t[i] = oldest(r)
  end
  if rpm >= 0 then
    local used = count_t[i]
    req = tighter(req, rpm, used, old_t[i])
    if used >= rpm and not refusal then refusal = {'rpm', i, math.max(0, old_t[i] + window - now), used, rpm} end
  end
  if tpm >= 0 then
    local used = tonumber(redis.call('HGET', t, '#')) or 0
    tok = tighter(tok, tpm, used, old_t[i])
    if used >= tpm and not refusal then refusal = {'tpm', i, math.max(0, old_t[i] + window - now), used, tpm} end
  end
  if par >= 0 then
    redis.call('ZREMRANGEBYSCORE', p, '-inf', now)
    local used = redis.call('ZCARD', p)
    if used >= par and not refusal then refusal = {'parallel', i, 1000, used, par} end
  end
  if bmax >= 0 then
    local period, base, reset_at = ARGV[a+4], ARGV[a+5], tonumber(ARGV[a+6])
    local v = redis.call('HMGET', b, 'period', 'spent', 'reserved')
    if (not v[1]) or is_new_period(v[1], period) then
      -- a new period (or counters that expired): seed from the database's spend
      redis.call('DEL', b, bz, ba)
      redis.call('HSET', b, 'period', period, 'spent', base, 'reserved', '0')
      spent_t[i], reserved_t[i] = tonumber(base) or 0, 0
    else
      spent_t[i], reserved_t[i] = tonumber(v[2]) or 0, tonumber(v[3]) or 0
      -- the database knows of more spend than these counters (a write that missed Redis, a
      -- gateway not sharing this Redis): never count less than the database
      -- (only for the same period: a stale replica's base belongs to the previous one)
      local db = tonumber(base) or 0
      if v[1] == period and db > spent_t[i] then
        redis.call('HSET', b, 'spent', base)
        spent_t[i] = db
      end
      local freed = prune_reservations(b, bz, ba, now)
      reserved_t[i] = reserved_t[i] - freed
    end
    local used = spent_t[i] + reserved_t[i]
    if used >= bmax and not budget_refusal then
      local retry = -1
      if reset_at >= 0 then retry = math.max(0, reset_at - now) end
      budget_refusal = {'budget', i, retry, used, bmax}
    end
  end
end

local refused = budget_refusal or refusal
if refused then
  local out = {0, now}
  for _, x in ipairs(stats()) do table.insert(out, x) end
  for _, x in ipairs(refused) do table.insert(out, x) end
  return out
end

req, tok = nil, nil
for i = 1, n do
  local k = (i - 1) * 6
  local r, t, p, b, bz, ba = KEYS[k+1], KEYS[k+2], KEYS[k+3], KEYS[k+4], KEYS[k+5], KEYS[k+6]
  local a = 8 + (i - 1) * 7
  local rpm, tpm, par, bmax = tonumber(ARGV[a]), tonumber(ARGV[a+1]), tonumber(ARGV[a+2]), tonumber(ARGV[a+3])
  if rpm >= 0 or tpm >= 0 then
    redis.call('ZADD', r, I(now), ticket)
    redis.call('HSET', t, ticket, I(est))
    local used_tokens = redis.call('HINCRBY', t, '#', I(est))
    redis.call('PEXPIRE', r, I(window + 1000))
    redis.call('PEXPIRE', t, I(window + 1000))
    local old = old_t[i]
    if old < 0 then old = now end
    if rpm >= 0 then req = tighter(req, rpm, count_t[i] + 1, old) end
    if tpm >= 0 then tok = tighter(tok, tpm, used_tokens, old) end
  end
  if par >= 0 then
    redis.call('ZADD', p, I(now + lease), ticket)
    redis.call('PEXPIRE', p, I(lease * 2))
  end
  if bmax >= 0 then
    local amount = math.min(worst, bmax - spent_t[i] - reserved_t[i])
    if amount > 0 then
      redis.call('ZADD', bz, I(now + lease), ticket)
      redis.call('HSET', ba, ticket, I(amount))
      redis.call('HINCRBY', b, 'reserved', I(amount))
    end
    local reset_at = tonumber(ARGV[a+6])
    local ttl = 86400000
    if reset_at >= 0 then ttl = math.max(0, reset_at - now) + 3600000 end
    ttl = math.max(ttl, lease * 2)
    redis.call('PEXPIRE', b, I(ttl))
    redis.call('PEXPIRE', bz, I(ttl))
    redis.call('PEXPIRE', ba, I(ttl))
  end
end
local out = {1, now}
for _, x in ipairs(stats()) do table.insert(out, x) end
return out
`;

/**
 * KEYS: 6 per scope of the ticket. ARGV: now, ticket, mode (settle | release | refund), tokens,
 * cost micros, n, then per scope three 0/1 flags: it has a window, a parallel slot, a budget.
 */
export const FINISH_LUA = `${PRELUDE}
local ticket, mode = ARGV[2], ARGV[3]
local tokens, cost = tonumber(ARGV[4]), tonumber(ARGV[5])
local n = tonumber(ARGV[6])
for i = 1, n do
  local k = (i - 1) * 6
  local r, t, p, b, bz, ba = KEYS[k+1], KEYS[k+2], KEYS[k+3], KEYS[k+4], KEYS[k+5], KEYS[k+6]
  local flags = ARGV[6 + i]
  if string.sub(flags, 1, 1) == '1' and redis.call('ZSCORE', r, ticket) then
    local old = tonumber(redis.call('HGET', t, ticket)) or 0
    if mode == 'refund' then
      redis.call('ZREM', r, ticket)
      redis.call('HDEL', t, ticket)
      if old ~= 0 then redis.call('HINCRBY', t, '#', I(-old)) end
    elseif mode == 'settle' and old ~= tokens then
      redis.call('HSET', t, ticket, I(tokens))
      redis.call('HINCRBY', t, '#', I(tokens - old))
    end
  end
  if string.sub(flags, 2, 2) == '1' then redis.call('ZREM', p, ticket) end
  if string.sub(flags, 3, 3) == '1' then
    local amount = tonumber(redis.call('HGET', ba, ticket))
    local live = redis.call('EXISTS', b) == 1
    if amount then
      redis.call('HDEL', ba, ticket)
      redis.call('ZREM', bz, ticket)
      if live then redis.call('HINCRBY', b, 'reserved', I(-amount)) end
    end
    -- the cost lands in the current period even if the request straddled a reset (as in the
    -- database); counters that expired are left alone and reseeded from the database later
    if mode == 'settle' and cost > 0 and live then redis.call('HINCRBY', b, 'spent', I(cost)) end
  end
end
return 1
`;

/** KEYS: slot (:p) or reservation (:bz) keys. ARGV: now, lease ms, then per key: ticket, kind (p|b). */
export const RENEW_LUA = `${PRELUDE}
local now = now_ms()
local lease = tonumber(ARGV[2])
for i = 1, #KEYS do
  local ticket, kind = ARGV[1 + 2 * i], ARGV[2 + 2 * i]
  if redis.call('ZSCORE', KEYS[i], ticket) then
    redis.call('ZADD', KEYS[i], 'XX', I(now + lease), ticket)
    if kind == 'p' then redis.call('PEXPIRE', KEYS[i], I(lease * 2)) end
  end
end
return 1
`;

/** KEYS: the 6 keys of one scope. ARGV: now, window ms. Returns {requests, tokens, slots, spent, reserved}. */
export const INSPECT_LUA = `${PRELUDE}
local now = now_ms()
local r, t, p, b, bz, ba = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
prune_window(r, t, now - tonumber(ARGV[2]))
redis.call('ZREMRANGEBYSCORE', p, '-inf', now)
prune_reservations(b, bz, ba, now)
local v = redis.call('HMGET', b, 'spent', 'reserved')
return {redis.call('ZCARD', r), tonumber(redis.call('HGET', t, '#')) or 0, redis.call('ZCARD', p), v[1] or '-', v[2] or '-'}
`;
