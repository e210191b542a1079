using Microsoft.Extensions.Logging.Abstractions;

namespace Loops.Feedback.Tests;

public sealed class OptionsTests
{
    public static TheoryData<string, Action<EmbeddedFeedbackStoreOptions>> InvalidOptions => new()
    {
        { nameof(EmbeddedFeedbackStoreOptions.DataDirectory), options => options.DataDirectory = " " },
        { nameof(EmbeddedFeedbackStoreOptions.SegmentBytes), options => options.SegmentBytes = 100 },
        { nameof(EmbeddedFeedbackStoreOptions.JoinedRetentionBytes), options => options.JoinedRetentionBytes = 0 },
        { nameof(EmbeddedFeedbackStoreOptions.OrphanRewardTtl), options => options.OrphanRewardTtl = TimeSpan.Zero },
        { nameof(EmbeddedFeedbackStoreOptions.MaxOrphanRewards), options => options.MaxOrphanRewards = -1 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void An_invalid_option_is_rejected_by_name(string option, Action<EmbeddedFeedbackStoreOptions> spoil)
    {
        var options = new EmbeddedFeedbackStoreOptions { DataDirectory = Path.GetTempPath() };
        spoil(options);

        var exception = Assert.Throws<ArgumentException>(
            () => new EmbeddedFeedbackStore(options, TimeProvider.System, NullLogger<EmbeddedFeedbackStore>.Instance));

        Assert.Equal(option, exception.ParamName);
        Assert.Contains($"EmbeddedFeedbackStoreOptions.{option}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_as_documented()
    {
        var options = new EmbeddedFeedbackStoreOptions();
        Assert.Equal(64L * 1024 * 1024, options.SegmentBytes);
        Assert.Equal(1024L * 1024 * 1024, options.JoinedRetentionBytes);
        Assert.False(options.FlushToDisk);
        Assert.Equal(TimeSpan.FromMinutes(10), options.OrphanRewardTtl);
        Assert.Equal(1_000_000, options.MaxOrphanRewards);
    }
}
