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
    /// Appends a batch of rewards: one entry (<c>k=rb b=blob</c>, see <see cref="PackedRewards"/>) per partition.
    /// KEYS: the ingest streams of the batch's partitions, then per reward (in packed order) its decision key. ARGV:
    /// per stream its packed rewards. Returns per reward 1 when its decision is known, else 0.
    /// </summary>
    public const string RecordRewards = """
        local streams = #ARGV
        for i = 1, streams do
          redis.call('XADD', KEYS[i], '*', 'k', 'rb', 'b', ARGV[i])
        end
        local found = {}
        for i = streams + 1, #KEYS do
          found[i - streams] = redis.call('EXISTS', KEYS[i])
        end
        return found
        """;

    /// <summary>
    /// Applies one ingest entry delivered to this joiner and acknowledges it in the same step; an entry another
    /// joiner already acknowledged (it was claimed twice) is skipped, so every entry is applied exactly once. A
    /// decision creates the event's pending hash and deadline; a reward counts once per reward id, and only when
    /// stamped before the deadline; rewards of an unknown event wait (as an expiring hash) for their decision. An
    /// entry is a decision (<c>d</c>), a single reward (<c>r</c>, written before batches were packed) or a packed
    /// batch of rewards (<c>rb</c>).
    /// </summary>
    private const string ApplyEntry = """
        local function decimal(x)
          -- The shortest form that reads back as the same double, so sums stay exact across any number of rewards.
          local text = string.format('%.15g', x)
          if tonumber(text) ~= x then text = string.format('%.17g', x) end
          return text
        end
        local function applyDecision(deadlines, key, e, b, dl, p, dr)
          if redis.call('HEXISTS', key, 'd') == 0 then
            redis.call('HSET', key, 'd', b, 'dl', dl, 'p', p, 'dr', dr)
            redis.call('PERSIST', key)
            redis.call('ZADD', deadlines, dl, e)
          end
          return 1
        end
        -- One read and one write per reward: the tally (s sum, c count, fv first, lv last) is computed here.
        local function applyReward(key, orphanTtl, value, text, t, id)
          local field = 'r:' .. id
          local h = redis.call('HMGET', key, field, 'dl', 'c', 's')
          if h[1] then return 3 end
          if h[2] and tonumber(t) >= tonumber(h[2]) then
            redis.call('HSET', key, field, '1')
            return 3
          end
          local count = tonumber(h[3] or '0') + 1
          if count == 1 then
            redis.call('HSET', key, field, '1', 's', text, 'c', 1, 'fv', text, 'lv', text)
          else
            redis.call('HSET', key, field, '1', 's', decimal(tonumber(h[4]) + value), 'c', count, 'lv', text)
          end
          if not h[2] then redis.call('PEXPIRE', key, orphanTtl) end
          return 2
        end
        local counts = {0, 0, 0}
        local function count(outcome) counts[outcome] = counts[outcome] + 1 end
        local function apply(stream, deadlines, group, prefix, orphanTtl, id, kind, e, a, b, c, d)
          if redis.call('XACK', stream, group, id) == 0 then return end
          if kind == 'd' then
            count(applyDecision(deadlines, prefix .. e, e, a, b, c, d))
          elseif kind == 'r' then
            count(applyReward(prefix .. e, orphanTtl, tonumber(a), a, b, c))
          else
            local packed = cmsgpack.unpack(a)
            for i = 1, #packed, 4 do
              local value = packed[i + 1]
              count(applyReward(prefix .. packed[i], orphanTtl, value, decimal(value), packed[i + 2], packed[i + 3]))
            end
          end
        end
        """;

    /// <summary>
    /// Applies entries this joiner claimed from another. KEYS: ingest stream, deadline set. ARGV: group, pending-hash
    /// prefix, orphan ttl ms, then per entry 7 values: id, kind, and (decision) event id, encoded decision, deadline,
    /// policy, default reward, or (reward) event id, value, received-at ms, reward id, '', or (batch) '', packed
    /// rewards, '', '', ''. Applied entries are deleted: the pending hashes now hold what is needed. Returns
    /// {decisions, rewards counted, rewards late or repeated}.
    /// </summary>
    public const string Apply = ApplyEntry + "\n" + """
        local ids = {}
        for i = 4, #ARGV, 7 do
          ids[#ids + 1] = ARGV[i]
          apply(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6])
        end
        if #ids > 0 then redis.call('XDEL', KEYS[1], unpack(ids)) end
        return counts
        """;

    /// <summary>
    /// Reads new entries of a partition as this consumer (XREADGROUP) and applies them in the same step, so entries
    /// never cross the network twice. Reads a few entries at a time until about <c>max records</c> records were
    /// applied: a batch entry holds many rewards, and one call must not keep Redis busy for long. KEYS: ingest
    /// stream, deadline set. ARGV: group, consumer, max records, pending-hash prefix, orphan ttl ms. Returns
    /// {decisions, rewards counted, rewards late or repeated, entries read}.
    /// </summary>
    public const string ReadAndApply = ApplyEntry + "\n" + """
        local budget = tonumber(ARGV[3])
        local chunk = math.min(budget, 8)
        local ids = {}
        while counts[1] + counts[2] + counts[3] < budget do
          local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', chunk, 'STREAMS', KEYS[1], '>')
          if not read then break end
          local entries = read[1][2]
          for _, entry in ipairs(entries) do
            local f = {}
            for j = 1, #entry[2], 2 do f[entry[2][j]] = entry[2][j + 1] end
            ids[#ids + 1] = entry[1]
            if f.k == 'd' then
              apply(KEYS[1], KEYS[2], ARGV[1], ARGV[4], ARGV[5], entry[1], 'd', f.e, f.b, f.dl, f.p, f.dr)
            elseif f.k == 'r' then
              apply(KEYS[1], KEYS[2], ARGV[1], ARGV[4], ARGV[5], entry[1], 'r', f.e, f.v, f.t, f.id, '')
            else
              apply(KEYS[1], KEYS[2], ARGV[1], ARGV[4], ARGV[5], entry[1], 'rb', '', f.b, '', '', '')
            end
          end
          if #entries < chunk then break end
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
