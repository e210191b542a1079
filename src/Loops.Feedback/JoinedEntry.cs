using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>A joined event on its way into the joined log: the decision's logged bytes and the join's outcome.</summary>
/// <param name="Sequence">The event's position in join order.</param>
/// <param name="EventId">The decision's event id.</param>
/// <param name="Outcome">The joined event without its decision: reward, default flag, count, join time.</param>
/// <param name="Decision">The decision's protobuf bytes.</param>
internal readonly record struct JoinedEntry(long Sequence, string EventId, JoinedEvent Outcome, ReadOnlyMemory<byte> Decision);
