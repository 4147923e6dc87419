using OfflineSync.Generators.Tests.ShapeModels;

namespace OfflineSync.Generators.Tests;

/// <summary>[SyncVersion] of type long or int (S10: updates and deletes send the version the view holds).</summary>
public sealed class VersionTests
{
    [Fact]
    public void LongVersion_BehindAPrivateSetter_IsParsedAndFormattedInvariantly()
    {
        var entity = new Revisioned();

        Assert.Null(Revisioned.GetVersion(entity)); // 0: no version yet
        Revisioned.SetVersion(entity, "42");

        Assert.Equal(42, entity.Revision);
        Assert.Equal("42", Revisioned.GetVersion(entity));

        Revisioned.SetVersion(entity, null);
        Assert.Equal(0, entity.Revision);
    }

    [Fact]
    public void NullableIntVersion_InARecord_TakesNullForNoVersion()
    {
        var entity = new Counted();

        Counted.SetVersion(entity, "7");
        Assert.Equal(7, entity.Version);
        Assert.Equal("7", Counted.GetVersion(entity));

        Counted.SetVersion(entity, null);
        Assert.Null(entity.Version);
        Assert.Null(Counted.GetVersion(entity));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("99999999999")]
    public void IntegerVersion_FromAServerThatSendsAnotherVersion_FailsClearlyAndChangesNothing(string version)
    {
        var entity = new Counted { Version = 3 };

        FormatException error = Assert.Throws<FormatException>(() => Counted.SetVersion(entity, version));

        Assert.Contains("[SyncVersion] Counted.Version (int)", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, entity.Version);
    }
}
