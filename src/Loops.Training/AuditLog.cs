using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Training;

/// <summary>
/// The audit records of every policy's evaluations, promotions, refusals and rollbacks: appended as one JSON line
/// each to <c>{data}/audit/{policy}.jsonl</c> and kept in memory (the most recent ones) for ListEvaluations. With a
/// shared store (replicas on Redis) records are numbered and listed there, the local file keeping this replica's.
/// </summary>
public sealed class AuditLog : IDisposable
{
    private const int KeptPerPolicy = 1000;
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private readonly Dictionary<string, List<Evaluation>> _records = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly IAuditStore? _shared;
    private long _nextId;

    /// <summary>Opens the audit log under a data directory, reading back the records already there.</summary>
    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="time">Stamps the records.</param>
    /// <param name="shared">The store replicas share, or null when this process is alone.</param>
    public AuditLog(string dataDirectory, TimeProvider time, IAuditStore? shared = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        _time = time;
        _shared = shared;
        _directory = Path.Combine(dataDirectory, "audit");
        Directory.CreateDirectory(_directory);
        foreach (var file in Directory.EnumerateFiles(_directory, "*.jsonl"))
        {
            var list = new List<Evaluation>();
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0).TakeLast(KeptPerPolicy))
            {
                var record = Evaluation.Parser.ParseJson(line);
                list.Add(record);
                _nextId = Math.Max(_nextId, record.Id);
            }

            _records[Path.GetFileNameWithoutExtension(file)] = list;
        }
    }

    /// <summary>Stamps a record with an id and the time, appends it to the policy's file and keeps it.</summary>
    public async Task AppendAsync(Evaluation record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            record.TimeUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            record.Id = await SharedAppendAsync(record, cancellationToken).ConfigureAwait(false) ?? ++_nextId;
            var path = Path.Combine(_directory, record.Policy + ".jsonl");
            await File.AppendAllTextAsync(path, Json.Format(record) + "\n", cancellationToken).ConfigureAwait(false);
            if (!_records.TryGetValue(record.Policy, out var list))
            {
                _records[record.Policy] = list = [];
            }

            list.Add(record);
            if (list.Count > KeptPerPolicy)
            {
                list.RemoveAt(0);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A policy's most recent records, newest first.</summary>
    public async Task<IReadOnlyList<Evaluation>> RecentAsync(string policy, int limit, CancellationToken cancellationToken)
    {
        if (_shared is not null)
        {
            try
            {
                return await _shared.RecentAsync(policy, limit, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Unreachable for now: this replica's own records are better than none.
            }
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _records.TryGetValue(policy, out var list)
                ? list.AsEnumerable().Reverse().Take(limit).Select(r => r.Clone()).ToList()
                : [];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    // A record the shared store cannot take stays in this replica's file (numbered locally): nothing is lost.
    private async Task<long?> SharedAppendAsync(Evaluation record, CancellationToken cancellationToken)
    {
        try
        {
            return _shared is null ? null : await _shared.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
