/**
 * Lua scripts of the Redis limiter. Each runs atomically in Redis, so one call checks and reserves
 * every scope of a request with no other replica in between: that is what makes the limits exact
 * across replicas. Admit and finish take a batch of requests (the calls of one event-loop turn,
 * see coalescer.ts) and handle them one after another inside that one atomic call.
 * Keys per scope (a call names only those a scope uses; plain keys: single-node Redis):
 *
 *   <scope>:r   ZSET  ticket → admission time      sliding window of requests
 *   <scope>:t   HASH  ticket → tokens, '#' → sum   tokens of the same entries
 *   <scope>:p   ZSET  ticket → lease expiry        parallel slots
 *   <scope>:b   HASH  period, spent, reserved      budget counters of the current period
 *   <scope>:bz  ZSET  ticket → lease expiry        budget reservations (expiry)
 *   <scope>:ba  HASH  ticket → micro-dollars       budget reservations (amount)
 *
 * Time: ARGV[1] of the scripts that read it is the caller's clock in ms, or -1 to use the Redis server's TIME so that every
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
-- a Redis error caught by pcall is a table {err = ...}; a Lua error is a string
local function error_text(err)
  if type(err) == 'table' then return err.err or 'ERR script error' end
  return tostring(err)
end
`;

/**
 * Admits a batch of requests, one after another as if they had arrived in that order: each one is
 * all-or-nothing over its scopes and sees the reservations of those before it. A request that hits
 * a Redis error (pcall) answers with that error and the rest of the batch goes on, as when each had
 * its own script call.
 *
 * ARGV: now, window ms, lease ms, then per request: ticket, est tokens, worst cost, n scopes, and per
 * scope rpm, tpm, max parallel, budget max (-1 = none), then with a budget: period id, base spent,
 * reset-at ms (-1 = none).
 * KEYS per request, per scope, only those it limits: :r :t (rpm or tpm), :p (parallel), :b :bz :ba (budget).
 * Returns {now, then per request: 1, reqLimit, reqUsed, reqOldest, tokLimit, tokUsed, tokOldest |
 * 0, the same six, reason, scope index, retry ms, current, limit | -1, error message}.
 */
export const ADMIT_LUA = `${PRELUDE}
local now = now_ms()
local window = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
local cutoff = now - window
-- keys an earlier request of this batch has pruned: with one clock per batch nothing is left to prune
local pruned = {}
local function tighter(a, limit, used, old)
  if (not a) or (limit - used < a[1] - a[2]) then return {limit, used, old} end
  return a
end

local function admit(ticket, est, worst, scopes, out)
  local req, tok = nil, nil
  local spent_t, reserved_t, count_t, old_t = {}, {}, {}, {}
  local refusal, budget_refusal = nil, nil
  for i, s in ipairs(scopes) do
    if s.rpm >= 0 or s.tpm >= 0 then
      if not pruned[s.r] then
        prune_window(s.r, s.t, cutoff)
        pruned[s.r] = true
      end
      count_t[i] = redis.call('ZCARD', s.r)
      old_t[i] = oldest(s.r)
    end
    if s.rpm >= 0 then
      local used = count_t[i]
      req = tighter(req, s.rpm, used, old_t[i])
      if used >= s.rpm and not refusal then refusal = {'rpm', i, math.max(0, old_t[i] + window - now), used, s.rpm} end
    end
    if s.tpm >= 0 then
      local used = tonumber(redis.call('HGET', s.t, '#')) or 0
      tok = tighter(tok, s.tpm, used, old_t[i])
      if used >= s.tpm and not refusal then refusal = {'tpm', i, math.max(0, old_t[i] + window - now), used, s.tpm} end
    end
    if s.par >= 0 then
      if not pruned[s.p] then
        redis.call('ZREMRANGEBYSCORE', s.p, '-inf', now)
        pruned[s.p] = true
      end
      local used = redis.call('ZCARD', s.p)
      if used >= s.par and not refusal then refusal = {'parallel', i, 1000, used, s.par} end
    end
    if s.bmax >= 0 then
      local v = redis.call('HMGET', s.b, 'period', 'spent', 'reserved')
      if (not v[1]) or is_new_period(v[1], s.period) then
        -- a new period (or counters that expired): seed from the database's spend
        redis.call('DEL', s.b, s.bz, s.ba)
        redis.call('HSET', s.b, 'period', s.period, 'spent', s.base, 'reserved', '0')
        spent_t[i], reserved_t[i] = tonumber(s.base) or 0, 0
      else
        spent_t[i], reserved_t[i] = tonumber(v[2]) or 0, tonumber(v[3]) or 0
        -- the database knows of more spend than these counters (a write that missed Redis, a
        -- gateway not sharing this Redis): never count less than the database
        -- (only for the same period: a stale replica's base belongs to the previous one)
        local db = tonumber(s.base) or 0
        if v[1] == s.period and db > spent_t[i] then
          redis.call('HSET', s.b, 'spent', s.base)
          spent_t[i] = db
        end
        if not pruned[s.bz] then
          reserved_t[i] = reserved_t[i] - prune_reservations(s.b, s.bz, s.ba, now)
          pruned[s.bz] = true
        end
      end
      local used = spent_t[i] + reserved_t[i]
      if used >= s.bmax and not budget_refusal then
        local retry = -1
        if s.reset >= 0 then retry = math.max(0, s.reset - now) end
        budget_refusal = {'budget', i, retry, used, s.bmax}
      end
    end
  end

  local refused = budget_refusal or refusal
  if not refused then
    req, tok = nil, nil
    for i, s in ipairs(scopes) do
      if s.rpm >= 0 or s.tpm >= 0 then
        redis.call('ZADD', s.r, I(now), ticket)
        redis.call('HSET', s.t, ticket, I(est))
        local used_tokens = redis.call('HINCRBY', s.t, '#', I(est))
        redis.call('PEXPIRE', s.r, I(window + 1000))
        redis.call('PEXPIRE', s.t, I(window + 1000))
        local old = old_t[i]
        if old < 0 then old = now end
        if s.rpm >= 0 then req = tighter(req, s.rpm, count_t[i] + 1, old) end
        if s.tpm >= 0 then tok = tighter(tok, s.tpm, used_tokens, old) end
      end
      if s.par >= 0 then
        redis.call('ZADD', s.p, I(now + lease), ticket)
        redis.call('PEXPIRE', s.p, I(lease * 2))
      end
      if s.bmax >= 0 then
        local amount = math.min(worst, s.bmax - spent_t[i] - reserved_t[i])
        if amount > 0 then
          redis.call('ZADD', s.bz, I(now + lease), ticket)
          redis.call('HSET', s.ba, ticket, I(amount))
          redis.call('HINCRBY', s.b, 'reserved', I(amount))
        end
        local ttl = 86400000
        if s.reset >= 0 then ttl = math.max(0, s.reset - now) + 3600000 end
        ttl = math.max(ttl, lease * 2)
        redis.call('PEXPIRE', s.b, I(ttl))
        redis.call('PEXPIRE', s.bz, I(ttl))
        redis.call('PEXPIRE', s.ba, I(ttl))
      end
    end
  end

  -- the answer goes out last, so a request that failed half-way adds nothing but its error
  local q = req or {-1, -1, -1}
  local k = tok or {-1, -1, -1}
  local n = #out
  out[n + 1], out[n + 2], out[n + 3], out[n + 4] = refused and 0 or 1, q[1], q[2], q[3]
  out[n + 5], out[n + 6], out[n + 7] = k[1], k[2], k[3]
  if refused then
    for j = 1, 5 do out[n + 7 + j] = refused[j] end
  end
end

-- reads one request's part of KEYS and ARGV; returns it and the cursors of the next request
local function parse(a, k)
  local ticket, est, worst, n = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  a = a + 4
  local scopes = {}
  for i = 1, n do
    local s = {rpm = tonumber(ARGV[a]), tpm = tonumber(ARGV[a + 1]), par = tonumber(ARGV[a + 2]), bmax = tonumber(ARGV[a + 3])}
    a = a + 4
    if s.rpm >= 0 or s.tpm >= 0 then
      s.r, s.t = KEYS[k], KEYS[k + 1]
      k = k + 2
    end
    if s.par >= 0 then
      s.p = KEYS[k]
      k = k + 1
    end
    if s.bmax >= 0 then
      s.b, s.bz, s.ba = KEYS[k], KEYS[k + 1], KEYS[k + 2]
      k = k + 3
      s.period, s.base, s.reset = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
      a = a + 3
    end
    scopes[i] = s
  end
  return ticket, est, worst, scopes, a, k
end

local out = {now}
local a, k, argc = 4, 1, #ARGV
while a <= argc do
  local ticket, est, worst, scopes
  ticket, est, worst, scopes, a, k = parse(a, k)
  local ok, err = pcall(admit, ticket, est, worst, scopes, out)
  if not ok then
    out[#out + 1] = -1
    out[#out + 1] = error_text(err)
  end
end
return out
`;

/**
 * Settles or releases a batch of tickets, one after another; a ticket that hits a Redis error
 * answers with it and the rest go on.
 *
 * ARGV per ticket: ticket, mode (settle | release | refund), tokens, cost micros, n scopes, then per
 * scope what the ticket holds there: 1 window entry + 2 parallel slot + 4 budget.
 * KEYS per ticket, per scope, as flagged: :r :t, :p, :b :bz :ba.
 * Returns per ticket 1, or its error message.
 */
export const FINISH_LUA = `${PRELUDE}
local function finish(ticket, mode, tokens, cost, scopes)
  for _, s in ipairs(scopes) do
    if s.r and redis.call('ZSCORE', s.r, ticket) then
      local old = tonumber(redis.call('HGET', s.t, ticket)) or 0
      if mode == 'refund' then
        redis.call('ZREM', s.r, ticket)
        redis.call('HDEL', s.t, ticket)
        if old ~= 0 then redis.call('HINCRBY', s.t, '#', I(-old)) end
      elseif mode == 'settle' and old ~= tokens then
        redis.call('HSET', s.t, ticket, I(tokens))
        redis.call('HINCRBY', s.t, '#', I(tokens - old))
      end
    end
    if s.p then redis.call('ZREM', s.p, ticket) end
    if s.b then
      local amount = tonumber(redis.call('HGET', s.ba, ticket))
      local live = redis.call('EXISTS', s.b) == 1
      if amount then
        redis.call('HDEL', s.ba, ticket)
        redis.call('ZREM', s.bz, ticket)
        if live then redis.call('HINCRBY', s.b, 'reserved', I(-amount)) end
      end
      -- the cost lands in the current period even if the request straddled a reset (as in the
      -- database); counters that expired are left alone and reseeded from the database later
      if mode == 'settle' and cost > 0 and live then redis.call('HINCRBY', s.b, 'spent', I(cost)) end
    end
  end
end

local out = {}
local a, k, argc = 1, 1, #ARGV
while a <= argc do
  local ticket, mode, tokens, cost, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  a = a + 5
  local scopes = {}
  for i = 1, n do
    local flags = tonumber(ARGV[a])
    a = a + 1
    local s = {}
    if flags % 2 == 1 then
      s.r, s.t = KEYS[k], KEYS[k + 1]
      k = k + 2
    end
    if flags % 4 >= 2 then
      s.p = KEYS[k]
      k = k + 1
    end
    if flags >= 4 then
      s.b, s.bz, s.ba = KEYS[k], KEYS[k + 1], KEYS[k + 2]
      k = k + 3
    end
    scopes[i] = s
  end
  local ok, err = pcall(finish, ticket, mode, tokens, cost, scopes)
  out[#out + 1] = ok and 1 or error_text(err)
end
return out
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
