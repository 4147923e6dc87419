namespace OfflineSync.Generators.Tests.Aot;

/// <summary>
/// Native AOT readiness, proven the way an app meets it: the trim and AOT analyzers (<c>IsAotCompatible</c>) see the
/// generated code and the runtime's sources, and the app runs with reflection-based JSON switched off, as Native AOT
/// runs it. (The packaging build publishes a real Native AOT binary; this test keeps the generator honest on every run.)
/// </summary>
public sealed class AotAppTests : IClassFixture<AotAppBuild>
{
    private readonly AotAppBuild _build;

    public AotAppTests(AotAppBuild build) => _build = build;

    [Fact]
    public void Build_WithTrimAndAotAnalysis_HasNoTrimOrAotWarning_OnlyOsync010ForTheUnlistedEntity()
    {
        Assert.True(_build.BuildExitCode == 0, _build.BuildOutput);

        string[] trimOrAot = _build.Warnings.Where(static w => w.Id.StartsWith("IL", StringComparison.Ordinal)).Select(static w => w.Line).ToArray();
        Assert.True(trimOrAot.Length == 0, string.Join("\n", trimOrAot));
        (string Id, string Line) osync010 = Assert.Single(_build.Warnings);
        Assert.Equal("OSYNC010", osync010.Id);
        Assert.Contains("Unlisted", osync010.Line, StringComparison.Ordinal);
    }

    // S3, S12, S13: with reflection off, creates, patches (nested values) and edits serialize through the context,
    // and the sync remaps Guid, long and string keys in every reference slot.
    [Fact]
    public void Run_WithReflectionBasedJsonOff_SyncsAndRemapsThroughTheContext()
    {
        Assert.True(_build.RunExitCode == 0, _build.RunOutput + "\n" + _build.BuildOutput);
        string output = _build.RunOutput;

        Assert.Contains("offline: 2 notes, reflection off", output, StringComparison.Ordinal);
        Assert.Contains("references notebook=True related=True tag=True", output, StringComparison.Ordinal);
        Assert.Matches(@"note -\d+ -> 10\d\d version 1", output);
        Assert.Matches(@"notebook [0-9a-f-]{36} -> 00000001-0000-0000-0000-000000000000", output);
    }

    // The JSON contract over the context: camelCase, nulls written, [SyncIgnore] left out — the patch folded into the
    // create and the Diff of an edit included.
    [Fact]
    public void Run_ServerReceivesTheContractJson()
    {
        string output = _build.RunOutput;
        string ship = output.Split('\n').Single(static l => l.StartsWith("server got Create notes", StringComparison.Ordinal) && l.Contains("\"Ship\"", StringComparison.Ordinal));

        Assert.Contains("\"summary\":null", ship, StringComparison.Ordinal);
        Assert.Contains("\"notebookId\":\"00000001-0000-0000-0000-000000000000\"", ship, StringComparison.Ordinal);
        Assert.Contains("\"details\":{\"body\":\"final\"}", ship, StringComparison.Ordinal);
        Assert.Contains("\"labels\":[\"release\"]", ship, StringComparison.Ordinal);
        Assert.DoesNotContain("localDraft", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EntityWithoutContext_FailsWithTheFix()
    {
        Assert.Contains("unlisted: Unlisted has no JSON metadata", _build.RunOutput, StringComparison.Ordinal);
        Assert.Contains("[JsonSerializable(typeof(Unlisted))]", _build.RunOutput, StringComparison.Ordinal);
    }
}
