namespace Loops.Feedback;

/// <summary>Whether a feedback store can take records now.</summary>
/// <param name="IsReachable">True when records can be written.</param>
/// <param name="Description">What was checked, or what is wrong, for operators.</param>
public readonly record struct FeedbackStoreHealth(bool IsReachable, string Description);
