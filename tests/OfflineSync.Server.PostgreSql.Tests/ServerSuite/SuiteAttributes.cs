using OfflineSync.Server.PostgreSql.Tests.Support;

// The tests of OfflineSync.Server.Tests are compiled into this assembly too (see the project file), to run on
// PostgreSQL. They say [Fact] and [Theory]; inside their namespace these two types are found before Xunit's, so
// here those tests need PostgreSQL like every other test of this assembly: skipped where none is configured,
// failing under CI when it is missing.
namespace OfflineSync.Server.Tests;

/// <summary>A fact of the server suite, on PostgreSQL.</summary>
public sealed class FactAttribute : Xunit.FactAttribute
{
    public FactAttribute() => Skip = TestPostgres.SkipReason;
}

/// <summary>A theory of the server suite, on PostgreSQL.</summary>
public sealed class TheoryAttribute : Xunit.TheoryAttribute
{
    public TheoryAttribute() => Skip = TestPostgres.SkipReason;
}
