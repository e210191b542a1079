using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>A joined event and its position in the joined log.</summary>
/// <param name="Sequence">The 1-based position of the event in join order.</param>
/// <param name="Event">The decision with its combined reward.</param>
public readonly record struct JoinedRecord(long Sequence, JoinedEvent Event);
