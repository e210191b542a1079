using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Simulator;

/// <summary>
/// Players of two segments whose best bonus differs: the best converts with probability 0.7, the others 0.2.
/// Every random choice comes from the seed, so a run is reproducible.
/// </summary>
internal sealed class SegmentScenario(int seed)
{
    private static readonly string[] ActionIds = ["bonus-small", "bonus-large", "free-spins"];
    private static readonly string[] Segments = ["casual", "whale"];
    private static readonly string[] BestAction = ["free-spins", "bonus-large"];
    private readonly Random _random = new(seed);

    public (DecideRequest Request, int Segment) NextPlayer(string policy, int index)
    {
        var segment = _random.Next(Segments.Length);
        var request = new DecideRequest { Policy = policy, UserId = $"player-{index}" };
        request.Context.Add(new Feature { Namespace = "player", Name = "segment", Category = Segments[segment] });
        request.Actions.Add(ActionIds.Select(id => new Action { Id = id }));
        return (request, segment);
    }

    public static bool IsBest(int segment, string actionId) => BestAction[segment] == actionId;

    public bool Converts(bool best) => _random.NextDouble() < (best ? 0.7 : 0.2);
}
