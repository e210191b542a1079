namespace Loops.Feedback.Redis;

/// <summary>
/// The Lua scripts that change the store's state. Each runs atomically in Redis, which is what makes a retried or
/// redelivered record count once: the check and the change can never be separated by a crash.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// Logs a decision once per event id. KEYS: decision key, ingest stream. ARGV: encoded response, ttl ms, event id,
    /// encoded decision, deadline ms, policy, default reward. Returns nil when logged, else the original response.
    /// </summary>
    public const string RecordDecision = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          redis.call('XADD', KEYS[2], '*', 'k', 'd', 'e', ARGV[3], 'b', ARGV[4], 'dl', ARGV[5], 'p', ARGV[6], 'dr', ARGV[7])
          return false
        end
        return redis.call('GET', KEYS[1])
        """;

    /// <summary>
    /// Appends a batch of rewards. KEYS: per reward its ingest stream and its decision key. ARGV: per reward event id,
    /// value, received-at ms, reward id. Returns per reward 1 when its decision is known, else 0.
    /// </summary>
    public const string RecordRewards = """
        local found = {}
        for i = 1, #ARGV, 4 do
          local n = (i - 1) / 4
          redis.call('XADD', KEYS[2 * n + 1], '*', 'k', 'r', 'e', ARGV[i], 'v', ARGV[i + 1], 't', ARGV[i + 2], 'id', ARGV[i + 3])
          found[n + 1] = redis.call('EXISTS', KEYS[2 * n + 2])
        end
        return found
        """;

    /// <summary>
    /// Applies one ingest entry delivered to this joiner and acknowledges it in the same step; an entry another
    /// joiner already acknowledged (it was claimed twice) is skipped, so every entry is applied exactly once. A
    /// decision creates the event's pending hash and deadline; a reward counts once per reward id, and only when
    /// stamped before the deadline; rewards of an unknown event wait (as an expiring hash) for their decision.
    /// </summary>
    private const string ApplyEntry = """
        local function apply(stream, deadlines, group, prefix, orphanTtl, id, kind, e, a, b, c, d)
          if redis.call('XACK', stream, group, id) == 0 then return 0 end
          local key = prefix .. e
          if kind == 'd' then
            if redis.call('HEXISTS', key, 'd') == 0 then
              redis.call('HSET', key, 'd', a, 'dl', b, 'p', c, 'dr', d)
              redis.call('PERSIST', key)
              redis.call('ZADD', deadlines, b, e)
            end
            return 1
          end
          if redis.call('HSETNX', key, 'r:' .. c, '1') == 0 then return 3 end
          local deadline = redis.call('HGET', key, 'dl')
          if not deadline then redis.call('PEXPIRE', key, orphanTtl) end
          if deadline and tonumber(b) >= tonumber(deadline) then return 3 end
          redis.call('HINCRBYFLOAT', key, 's', a)
          if redis.call('HINCRBY', key, 'c', 1) == 1 then
            redis.call('HSET', key, 'fv', a, 'lv', a)
          else
            redis.call('HSET', key, 'lv', a)
          end
          return 2
        end
        local counts = {0, 0, 0}
        local function count(outcome) if outcome > 0 then counts[outcome] = counts[outcome] + 1 end end
        """;

    /// <summary>
    /// Applies entries this joiner claimed from another. KEYS: ingest stream, deadline set. ARGV: group, pending-hash
    /// prefix, orphan ttl ms, then per entry 7 values: id, kind, event id and (decision) encoded decision, deadline,
    /// policy, default reward or (reward) value, received-at ms, reward id, ''. Applied entries are deleted: the
    /// pending hashes now hold what is needed. Returns {decisions, rewards counted, rewards late or repeated}.
    /// </summary>
    public const string Apply = ApplyEntry + "\n" + """
        local ids = {}
        for i = 4, #ARGV, 7 do
          ids[#ids + 1] = ARGV[i]
          count(apply(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6]))
        end
        if #ids > 0 then redis.call('XDEL', KEYS[1], unpack(ids)) end
        return counts
        """;

    /// <summary>
    /// Reads new entries of a partition as this consumer (XREADGROUP) and applies them in the same step, so entries
    /// never cross the network twice. KEYS: ingest stream, deadline set. ARGV: group, consumer, count, pending-hash
    /// prefix, orphan ttl ms. Returns {decisions, rewards counted, rewards late or repeated, entries read}.
    /// </summary>
    public const string ReadAndApply = ApplyEntry + "\n" + """
        local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
        local ids = {}
        if read then
          for _, entry in ipairs(read[1][2]) do
            local f = {}
            for j = 1, #entry[2], 2 do f[entry[2][j]] = entry[2][j + 1] end
            ids[#ids + 1] = entry[1]
            if f.k == 'd' then
              count(apply(KEYS[1], KEYS[2], ARGV[1], ARGV[4], ARGV[5], entry[1], 'd', f.e, f.b, f.dl, f.p, f.dr))
            else
              count(apply(KEYS[1], KEYS[2], ARGV[1], ARGV[4], ARGV[5], entry[1], 'r', f.e, f.v, f.t, f.id, ''))
            end
          end
        end
        if #ids > 0 then redis.call('XDEL', KEYS[1], unpack(ids)) end
        counts[4] = #ids
        return counts
        """;

    /// <summary>
    /// Joins the partition's decisions whose deadline (plus the join delay) has passed and that no unapplied ingest
    /// entry could still add a reward to: appends them to the joined stream under the next sequence numbers and
    /// deletes their state. The entry carries the sum (<c>r</c>), first (<c>fv</c>) and last (<c>lv</c>) reward: the
    /// decision's aggregation picks one when it is read. KEYS: deadline set, ingest stream, joined stream, sequence counter. ARGV: now ms, join
    /// delay ms, max joins, pending-hash prefix, joined retention. Returns {joined, defaulted, last sequence}.
    /// </summary>
    public const string Join = """
        local limit = tonumber(ARGV[1]) - tonumber(ARGV[2])
        local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
        if #oldest > 0 then
          local ms = tonumber(string.match(oldest[1][1], '^(%d+)')) - tonumber(ARGV[2])
          if ms < limit then limit = ms end
        end
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', limit, 'LIMIT', 0, tonumber(ARGV[3]))
        local joined, defaulted, seq = 0, 0, 0
        for _, e in ipairs(due) do
          local key = ARGV[4] .. e
          local h = redis.call('HMGET', key, 'd', 'dr', 's', 'c', 'fv', 'lv')
          redis.call('ZREM', KEYS[1], e)
          if h[1] then
            seq = redis.call('INCR', KEYS[4])
            local count = tonumber(h[4] or '0')
            local reward, first, last, default = h[3], h[5] or h[3], h[6] or h[3], '0'
            if count == 0 then
              reward, first, last, default = h[2], h[2], h[2], '1'
              defaulted = defaulted + 1
            end
            redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], seq .. '-0',
              'd', h[1], 'r', reward, 'fv', first, 'lv', last, 'f', default, 'c', count, 't', ARGV[1])
            joined = joined + 1
          end
          redis.call('DEL', key)
        end
        return {joined, defaulted, seq}
        """;
}
