namespace OfflineSync.Analyzers.Tests.EndToEnd;

/// <summary>
/// The analyzers and the generator as an app gets them: a real `dotnet build` of a project with one
/// violation of each rule.
/// </summary>
public sealed class BuildEndToEndTests : IClassFixture<ViolationsBuild>
{
    private readonly ViolationsBuild _build;

    public BuildEndToEndTests(ViolationsBuild build) => _build = build;

    [Fact]
    public void Build_OneViolationPerRule_FailsWithExactlyThoseIds()
    {
        Assert.NotEqual(0, _build.ExitCode);

        string[] errors = Ids("error");
        string[] warnings = Ids("warning");
        Assert.Equal(new[] { "OSYNC001", "OSYNC002", "OSYNC003", "OSYNC004", "OSYNC005", "OSYNC006", "OSYNC009", "OSYNC012", "OSYNC013", "OSYNC014" }, errors);
        Assert.Equal(new[] { "OSYNC007", "OSYNC008" }, warnings);

        // The generator skips what the analyzers report: no compiler error follows from the broken members.
        Assert.DoesNotContain(_build.Diagnostics, d => d.Severity == "error" && !d.Id.StartsWith("OSYNC", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_OneViolationPerRule_GeneratorStillEmitsTheValidMembers()
    {
        // The generator skips what the analyzers report, not the whole type: Todo keeps its valid members.
        string generated = string.Concat(_build.GeneratedFiles.Select(File.ReadAllText));
        Assert.True(_build.GeneratedFiles.Count > 0, "No generated files under obj: " + _build.Output);
        Assert.Contains("TodoPatch", generated);
        Assert.Contains("Title", generated);
        Assert.Contains("OwnerId", generated);
        Assert.Contains("WatcherIds", generated);
        Assert.Contains("UserPatch", generated);
    }

    private string[] Ids(string severity) =>
        _build.Diagnostics.Where(d => d.Severity == severity && d.Id.StartsWith("OSYNC", StringComparison.Ordinal)).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToArray();
}
