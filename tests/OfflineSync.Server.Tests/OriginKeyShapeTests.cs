using OfflineSync.Protocol;

namespace OfflineSync.Server.Tests;

/// <summary><see cref="SyncLimits.IsOriginKey"/>: only keys the client library makes are ever a row's origin.</summary>
public sealed class OriginKeyShapeTests
{
    [Fact]
    public void StringKeys_OnlyOptimisticPrefixAndUlid()
    {
        Assert.True(SyncLimits.IsOriginKey(SyncKeyKind.String, OptimisticKeys.NewString()));
        Assert.True(SyncLimits.IsOriginKey(SyncKeyKind.String, "optimistic_01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        Assert.True(SyncLimits.IsOriginKey(SyncKeyKind.String, "optimistic_7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        Assert.False(SyncLimits.IsOriginKey(SyncKeyKind.String, "optimistic_81ARZ3NDEKTSV4RRFFQ69G5FAV")); // time part over 48 bits
        Assert.False(SyncLimits.IsOriginKey(SyncKeyKind.String, "optimistic_01ARZ3NDEKTSV4RRFFQ69G5FAI")); // I is not Crockford
        Assert.False(SyncLimits.IsOriginKey(SyncKeyKind.String, "optimistic_01ARZ3NDEKTSV4RRFFQ69G5FA")); // 25 characters
        Assert.False(SyncLimits.IsOriginKey(SyncKeyKind.String, "optimistic_x"));
        Assert.False(SyncLimits.IsOriginKey(SyncKeyKind.String, "01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        Assert.False(SyncLimits.IsOriginKey(SyncKeyKind.String, "work"));
    }

    [Theory]
    [InlineData(SyncKeyKind.Int64, "-1", true)]
    [InlineData(SyncKeyKind.Int64, "-9223372036854775808", true)]
    [InlineData(SyncKeyKind.Int32, "-2147483648", true)]
    [InlineData(SyncKeyKind.Int32, "-2147483649", false)]
    [InlineData(SyncKeyKind.Int64, "-01", false)]
    [InlineData(SyncKeyKind.Int64, "-0", false)]
    [InlineData(SyncKeyKind.Int64, "0", false)]
    [InlineData(SyncKeyKind.Int64, "1", false)]
    [InlineData(SyncKeyKind.Int64, " -1", false)]
    [InlineData(SyncKeyKind.Int64, "-1x", false)]
    [InlineData(SyncKeyKind.Guid, "0190a0b8-8a4e-7c6c-9d2e-3f1a2b3c4d5e", false)]
    public void NumericAndGuidKeys(SyncKeyKind kind, string key, bool origin) => Assert.Equal(origin, SyncLimits.IsOriginKey(kind, key));
}
