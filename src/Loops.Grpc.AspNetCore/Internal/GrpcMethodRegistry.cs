using System.Collections.Frozen;

namespace Loops.Grpc.AspNetCore.Internal;

/// <summary>The methods served, by path; frozen when the first call arrives.</summary>
internal sealed class GrpcMethodRegistry
{
    private readonly Dictionary<string, ServerCallHandler> _handlers = new(StringComparer.Ordinal);
    private FrozenDictionary<string, ServerCallHandler>? _frozen;

    public void Add(string path, ServerCallHandler handler)
    {
        if (_frozen is not null)
        {
            throw new InvalidOperationException($"Cannot map {path}: the server has started serving calls.");
        }

        if (!_handlers.TryAdd(path, handler))
        {
            throw new InvalidOperationException($"The gRPC method {path} is mapped twice.");
        }
    }

    public bool TryGet(string path, out ServerCallHandler handler)
    {
        var frozen = _frozen ??= _handlers.ToFrozenDictionary(StringComparer.Ordinal);
        return frozen.TryGetValue(path, out handler!);
    }
}
