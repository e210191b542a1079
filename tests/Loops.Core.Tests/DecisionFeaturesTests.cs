using Loops.Contracts.V1;
using static Loops.Core.Tests.Decisions;

namespace Loops.Core.Tests;

// Alone: these tests observe instances after they went back to the shared pool, which tests running alongside
// would take out of it again.
[Collection(nameof(DecisionFeaturesTests))]
public sealed class DecisionFeaturesTests
{
    [Fact]
    public void Counts_context_features_and_action_features_with_the_id()
    {
        Feature[] context = [Number("user", "age", 30), Category("user", "country", "FR")];
        var actions = new[] { Action("a"), Action("b", Number("offer", "amount", 5), Category("offer", "kind", "coins")) };

        using var features = DecisionFeatures.Encode(context, actions);

        Assert.Equal(2, features.ActionCount);
        Assert.Equal(2, features.ContextFeatureCount);
        Assert.Equal(1, features.ActionFeatureCount(0));
        Assert.Equal(3, features.ActionFeatureCount(1));
    }

    [Fact]
    public void Zero_and_non_finite_numbers_are_left_out_but_presence_counts()
    {
        Feature[] context =
        [
            Number("user", "zero", 0),
            Number("user", "nan", double.NaN),
            Number("user", "huge", 1e300),
            new Feature { Namespace = "user", Name = "present" },
        ];

        using var features = DecisionFeatures.Encode(context, Actions(1));

        Assert.Equal(1, features.ContextFeatureCount);
    }

    [Fact]
    public void Using_a_disposed_instance_throws_and_disposing_twice_is_harmless()
    {
        var features = DecisionFeatures.Encode([], Actions(2));

        features.Dispose();
        features.Dispose();

        Assert.Throws<ObjectDisposedException>(() => features.ActionCount);
        var model = new LinearRewardModel(new LearnerSettings { Bits = 10 });
        Assert.Throws<ObjectDisposedException>(() => model.Predict(features, new double[2]));
    }

    [Fact]
    public void A_reused_instance_forgets_the_previous_decision()
    {
        var random = new Random(1);
        var (context, actions) = Large(random);
        using (DecisionFeatures.Encode(context, actions))
        {
        }

        using var small = DecisionFeatures.Encode([Number("user", "age", 1)], Actions(2));

        Assert.Equal(2, small.ActionCount);
        Assert.Equal(1, small.ContextFeatureCount);
        Assert.Equal(1, small.ActionFeatureCount(1));
    }

    [Fact]
    public void Null_arguments_throw()
    {
        Assert.Throws<ArgumentNullException>(() => DecisionFeatures.Encode(null!, Actions(1)));
        Assert.Throws<ArgumentNullException>(() => DecisionFeatures.Encode([], null!));
    }
}

[CollectionDefinition(nameof(DecisionFeaturesTests), DisableParallelization = true)]
public sealed class DecisionFeaturesPoolCollection;
