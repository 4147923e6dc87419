using Microsoft.CodeAnalysis;
using OfflineSync.Generators.Tests.Infrastructure;

namespace OfflineSync.Generators.Tests;

/// <summary>The generated files for the representative model, compared with the committed snapshots.</summary>
public sealed class SnapshotTests
{
    public static TheoryData<string> HintNames => new()
    {
        "OfflineSync.Generators.Tests.Models.Category.Sync.g.cs",
        "OfflineSync.Generators.Tests.Models.User.Sync.g.cs",
        "OfflineSync.Generators.Tests.Models.Tag.Sync.g.cs",
        "OfflineSync.Generators.Tests.Models.Project.Sync.g.cs",
        "OfflineSync.Generators.Tests.Models.Milestone.Sync.g.cs",
        "OfflineSync.Generators.Tests.Models.Board.Sync.g.cs",
        "OfflineSync.Generators.Tests.Models.Todo.Sync.g.cs",
        "OfflineSync.Generators.Tests.Models.Note.Sync.g.cs",
        "OfflineSync.Generators.Tests.Models.TestSync.Sync.g.cs",
    };

    [Theory]
    [MemberData(nameof(HintNames))]
    public void Generated_RepresentativeModel_MatchesSnapshot(string hintName)
    {
        GeneratorRunResult result = RunRepresentativeModel();

        GeneratedSourceResult source = Assert.Single(result.GeneratedSources, s => s.HintName == hintName);
        Snapshot.Verify(hintName.Replace(".Sync.g.cs", string.Empty, StringComparison.Ordinal), source.SourceText.ToString());
    }

    [Fact]
    public void Generated_RepresentativeModel_OneFilePerEntityAndClient_CompilesWithoutWarnings()
    {
        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation(GeneratorHarness.RepresentativeModel.ToArray()));

        Assert.Null(result.Exception);
        Assert.Equal(9, result.GeneratedSources.Length); // 8 entities + 1 client
        Assert.Empty(output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Generated_SameInputTwice_IsByteForByteIdentical()
    {
        string first = string.Concat(RunRepresentativeModel().GeneratedSources.Select(static s => s.HintName + s.SourceText));
        string second = string.Concat(RunRepresentativeModel().GeneratedSources.Select(static s => s.HintName + s.SourceText));

        Assert.Equal(first, second);
    }

    private static GeneratorRunResult RunRepresentativeModel() =>
        GeneratorHarness.Run(GeneratorHarness.CreateCompilation(GeneratorHarness.RepresentativeModel.ToArray())).Result;
}
