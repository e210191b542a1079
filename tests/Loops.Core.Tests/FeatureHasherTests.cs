using Loops.Contracts.V1;

namespace Loops.Core.Tests;

public sealed class FeatureHasherTests
{
    [Fact]
    public void Hashes_have_golden_values()
    {
        // Saved models depend on these values never changing. They were checked against an independent
        // implementation of XxHash32 over the documented byte layout: namespace 0xFF name [0xFE category].
        const uint UserAge = 3601145912;
        const uint ActionBonus10 = 3646934364;
        Assert.Equal(UserAge, FeatureHasher.HashNumeric("user", "age"));
        Assert.Equal(2965566790u, FeatureHasher.HashCategory("user", "country", "FR"));
        Assert.Equal(ActionBonus10, FeatureHasher.HashActionId("bonus-10"));
        Assert.Equal(3299767668u, FeatureHasher.Interact(UserAge, ActionBonus10));
    }

    [Fact]
    public void Namespace_separates_equal_names()
    {
        Assert.NotEqual(FeatureHasher.HashNumeric("user", "age"), FeatureHasher.HashNumeric("device", "age"));
        Assert.NotEqual(FeatureHasher.HashCategory("user", "tier", "gold"), FeatureHasher.HashCategory("offer", "tier", "gold"));
    }

    [Fact]
    public void Categories_separate()
    {
        Assert.NotEqual(FeatureHasher.HashCategory("user", "country", "FR"), FeatureHasher.HashCategory("user", "country", "DE"));
        Assert.NotEqual(FeatureHasher.HashNumeric("user", "country"), FeatureHasher.HashCategory("user", "country", "FR"));
    }

    [Fact]
    public void Boundaries_between_parts_matter()
    {
        Assert.NotEqual(FeatureHasher.HashNumeric("ab", "c"), FeatureHasher.HashNumeric("a", "bc"));
        Assert.NotEqual(FeatureHasher.HashCategory("u", "ab", "c"), FeatureHasher.HashCategory("u", "a", "bc"));
        Assert.NotEqual(FeatureHasher.HashActionId("user"), FeatureHasher.HashNumeric("user", ""));
    }

    [Fact]
    public void Feature_messages_hash_like_their_parts()
    {
        var numeric = new Feature { Namespace = "user", Name = "age", Number = 42 };
        var categorical = new Feature { Namespace = "user", Name = "country", Category = "FR" };
        var presence = new Feature { Namespace = "user", Name = "age" };

        Assert.Equal(FeatureHasher.HashNumeric("user", "age"), FeatureHasher.Hash(numeric, out double numericValue));
        Assert.Equal(FeatureHasher.HashCategory("user", "country", "FR"), FeatureHasher.Hash(categorical, out double categoryValue));
        Assert.Equal(FeatureHasher.HashNumeric("user", "age"), FeatureHasher.Hash(presence, out double presenceValue));
        Assert.Equal(42, numericValue);
        Assert.Equal(1, categoryValue);
        Assert.Equal(1, presenceValue);
    }

    [Fact]
    public void Long_and_non_ascii_names_hash_consistently()
    {
        string longName = string.Concat(Enumerable.Repeat("ünïcødé-", 200));

        Assert.Equal(FeatureHasher.HashNumeric("user", longName), FeatureHasher.HashNumeric("user", longName));
        Assert.NotEqual(FeatureHasher.HashNumeric("user", longName), FeatureHasher.HashNumeric("user", longName + "x"));
    }

    [Fact]
    public void Interactions_are_ordered()
    {
        uint context = FeatureHasher.HashNumeric("user", "age");
        uint action = FeatureHasher.HashActionId("bonus-10");

        Assert.NotEqual(FeatureHasher.Interact(context, action), FeatureHasher.Interact(action, context));
    }

    [Fact]
    public void Remembered_hashes_match_hashes_of_fresh_strings_through_many_evictions()
    {
        // The same instances again and again (remembered), fresh copies (computed), and far more names than the
        // per-thread table holds, so slots are overwritten.
        var names = Enumerable.Range(0, 10_000).Select(i => "name" + i).ToArray();
        var first = names.Select(n => FeatureHasher.HashCategory("user", n, "FR")).ToArray();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < names.Length; i++)
            {
                Assert.Equal(first[i], FeatureHasher.HashCategory("user", names[i], "FR"));
                Assert.Equal(first[i], FeatureHasher.HashCategory(new string("user"), new string(names[i]), new string("FR")));
            }
        }

        Assert.NotEqual(FeatureHasher.HashNumeric("user", "name1"), FeatureHasher.HashCategory("user", "name1", "FR"));
        Assert.NotEqual(FeatureHasher.HashNumeric("user", "name1"), FeatureHasher.HashActionId("user"));
    }
}
