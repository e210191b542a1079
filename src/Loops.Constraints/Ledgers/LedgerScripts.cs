namespace Loops.Constraints.Ledgers;

/// <summary>
/// The Lua scripts of the Redis ledger. Each runs atomically in Redis, so a check-then-charge by one replica cannot
/// interleave with another's. Charges travel as KEYS plus four ARGV each: kind ('c' rolling count, 's' period sum),
/// amount, limit, window in milliseconds. Amounts are sent with round-trip precision.
/// </summary>
internal static class LedgerScripts
{
    /// <summary>KEYS = charge keys; ARGV = now, then the charges. Returns one 1/0 per charge: whether it fits.</summary>
    public const string Check = """
        local now = tonumber(ARGV[1])
        local out = {}
        for i, key in ipairs(KEYS) do
          local base = 1 + (i - 1) * 4
          local kind = ARGV[base + 1]
          local amount = tonumber(ARGV[base + 2])
          local limit = tonumber(ARGV[base + 3])
          local window = tonumber(ARGV[base + 4])
          local current
          if kind == 'c' then
            current = redis.call('ZCOUNT', key, '(' .. (now - window), '+inf')
          else
            current = tonumber(redis.call('GET', key) or '0')
          end
          if current + amount <= limit + 1e-9 then out[i] = 1 else out[i] = 0 end
        end
        return out
        """;

    /// <summary>
    /// KEYS[1] = the reservation, KEYS[2..] = charge keys; ARGV = now, event id, then the charges. Returns 0 when
    /// reserved (or already reserved by this event id), else the 1-based index of the first charge that does not fit.
    /// The reservation is a hash of charge key → 'c' or the amount, kept until its last window or period ends.
    /// </summary>
    public const string Reserve = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        local now = tonumber(ARGV[1])
        local member = ARGV[2]
        local keep = 1
        for i = 2, #KEYS do
          local key = KEYS[i]
          local base = 2 + (i - 2) * 4
          local kind = ARGV[base + 1]
          local amount = tonumber(ARGV[base + 2])
          local limit = tonumber(ARGV[base + 3])
          local window = tonumber(ARGV[base + 4])
          local current
          if kind == 'c' then
            redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
            current = redis.call('ZCARD', key)
          else
            current = tonumber(redis.call('GET', key) or '0')
          end
          if current + amount > limit + 1e-9 then return i - 1 end
          if window > keep then keep = window end
        end
        for i = 2, #KEYS do
          local key = KEYS[i]
          local base = 2 + (i - 2) * 4
          local kind = ARGV[base + 1]
          local window = tonumber(ARGV[base + 4])
          if kind == 'c' then
            redis.call('ZADD', key, now, member)
            redis.call('PEXPIRE', key, window)
            redis.call('HSET', KEYS[1], key, 'c')
          else
            redis.call('INCRBYFLOAT', key, ARGV[base + 2])
            redis.call('PEXPIRE', key, window)
            redis.call('HSET', KEYS[1], key, ARGV[base + 2])
          end
        end
        if #KEYS > 1 then redis.call('PEXPIRE', KEYS[1], keep) end
        return 0
        """;

    /// <summary>KEYS[1] = the reservation; ARGV[1] = the event id. Undoes every charge; returns 1 when released.</summary>
    public const string Release = """
        local charges = redis.call('HGETALL', KEYS[1])
        if #charges == 0 then return 0 end
        for i = 1, #charges, 2 do
          local key = charges[i]
          local value = charges[i + 1]
          if value == 'c' then
            redis.call('ZREM', key, ARGV[1])
          elseif redis.call('EXISTS', key) == 1 then
            redis.call('INCRBYFLOAT', key, -tonumber(value))
          end
        end
        redis.call('DEL', KEYS[1])
        return 1
        """;
}
