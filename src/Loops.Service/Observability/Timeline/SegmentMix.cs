using Loops.Contracts.V1;

namespace Loops.Service.Observability.Timeline;

/// <summary>
/// Decisions per chosen action for each value of each categorical context feature of a policy. Bounded: at most
/// <see cref="MaxFeatures"/> features are followed, and values beyond <see cref="MaxSegments"/> per feature are
/// counted under <see cref="Other"/>, so free-text features (user ids sent as categories) cannot grow it.
/// </summary>
internal sealed class SegmentMix
{
    /// <summary>The segment that collects the values beyond the limit.</summary>
    public const string Other = "(other)";

    public const int MaxFeatures = 16;

    public const int MaxSegments = 32;

    private readonly Dictionary<string, Dictionary<string, Dictionary<string, long>>> _byFeature = new(StringComparer.Ordinal);

    /// <summary>The categorical features followed, as "namespace.name", in the order first seen.</summary>
    public IReadOnlyCollection<string> Features => _byFeature.Keys;

    /// <summary>Counts one decision's chosen action under each of its categorical features.</summary>
    public void Add(IEnumerable<Feature> context, string action)
    {
        foreach (var feature in context)
        {
            if (feature.ValueCase != Feature.ValueOneofCase.Category)
            {
                continue;
            }

            var name = FeatureName(feature);
            if (!_byFeature.TryGetValue(name, out var segments))
            {
                if (_byFeature.Count >= MaxFeatures)
                {
                    continue;
                }

                segments = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
                _byFeature.Add(name, segments);
            }

            var segment = feature.Category;
            if (!segments.TryGetValue(segment, out var actions))
            {
                if (segments.Count >= MaxSegments)
                {
                    segment = Other;
                }

                if (!segments.TryGetValue(segment, out actions))
                {
                    actions = new Dictionary<string, long>(StringComparer.Ordinal);
                    segments.Add(segment, actions);
                }
            }

            actions[action] = actions.GetValueOrDefault(action) + 1;
        }
    }

    /// <summary>
    /// The feature asked for ("namespace.name", or a bare name matched against any namespace); with none, "segment",
    /// then "persona", then the first seen. Null when no such feature was seen.
    /// </summary>
    public string? Resolve(string requested)
    {
        if (requested.Length > 0)
        {
            return _byFeature.ContainsKey(requested) ? requested : _byFeature.Keys.FirstOrDefault(key => key.EndsWith("." + requested, StringComparison.Ordinal));
        }

        return Resolve("segment") ?? Resolve("persona") ?? _byFeature.Keys.FirstOrDefault();
    }

    /// <summary>The action mix of every value of a feature, the largest segment first.</summary>
    public IEnumerable<SegmentActionMix> For(string feature)
    {
        if (!_byFeature.TryGetValue(feature, out var segments))
        {
            yield break;
        }

        foreach (var (segment, actions) in segments.OrderByDescending(pair => pair.Value.Values.Sum()).ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var mix = new SegmentActionMix { Segment = segment, Decisions = actions.Values.Sum() };
            mix.ActionCounts.Add(actions);
            yield return mix;
        }
    }

    private static string FeatureName(Feature feature) => feature.Namespace.Length == 0 ? feature.Name : feature.Namespace + "." + feature.Name;
}
