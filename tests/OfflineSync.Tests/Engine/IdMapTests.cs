using System.Globalization;
using OfflineSync.Tests.Model;

namespace OfflineSync.Tests.Engine;

/// <summary>The ID map's summary of mapped keys only ever turns away keys that are not mapped (S3, S13).</summary>
public sealed class IdMapTests
{
    private readonly IdMap _map = new(new SyncModelBuilder().Add<Tag>().Add<Category>().Build().Resources);
    private readonly Dictionary<string, string> _mapped = new(StringComparer.Ordinal);

    public IdMapTests()
    {
        // Optimistic keys, proposed keys of any length (the empty key too), keys that differ only in the middle.
        string[] keys = [.. Enumerable.Range(0, 200).Select(static _ => OptimisticKeys.NewString()), "", "a", "ab", "proposed-7", "x-middle-1-y", "x-middle-2-y"];
        for (int i = 0; i < keys.Length; i++)
        {
            string server = "srv-" + i.ToString(CultureInfo.InvariantCulture);
            Assert.True(_map.Add(EntityTypeId<Tag>.Value, keys[i], server));
            _mapped[keys[i]] = server;
        }
    }

    [Fact]
    public void TryResolve_MappingsOfEveryShape_FindsEachOne()
    {
        foreach ((string optimistic, string server) in _mapped)
        {
            Assert.True(_map.TryResolve(EntityTypeId<Tag>.Value, optimistic, out string? found), optimistic);
            Assert.Equal(server, found);
        }
    }

    [Fact]
    public void TryResolve_LookAlikesAndOtherResources_AreNotMapped()
    {
        // The close case: keys with the length, first and last character of mapped ones share their summary
        // bit and must still miss; the mapped keys under another resource miss too (S13).
        foreach (string optimistic in _mapped.Keys)
        {
            string lookAlike = optimistic.Length < 3 ? optimistic + "~" : optimistic[0] + new string('~', optimistic.Length - 2) + optimistic[^1];
            Assert.False(_map.TryResolve(EntityTypeId<Tag>.Value, lookAlike, out _), lookAlike);
            Assert.False(_map.TryResolve(EntityTypeId<Category>.Value, optimistic, out _), optimistic);
        }

        Assert.False(_map.TryResolve(EntityTypeId<Tag>.Value, "tag-1", out _));
    }
}
