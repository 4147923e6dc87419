using System.Reflection;
using System.Text.RegularExpressions;

namespace OfflineSync.Generators.Tests.Infrastructure;

/// <summary>
/// A small stand-in for Verify: compares text with <c>Snapshots/{name}.verified.cs</c>, writes
/// <c>{name}.received.cs</c> on a mismatch, and accepts the received text when
/// <c>OFFLINESYNC_ACCEPT=1</c>. The generator version is scrubbed so a version bump changes nothing.
/// </summary>
internal static partial class Snapshot
{
    // Written into the assembly by the project file: CI builds map source paths, so CallerFilePath cannot tell.
    private static readonly string SnapshotDirectory = typeof(Snapshot).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(static a => a.Key == "SnapshotDirectory").Value!;

    public static void Verify(string name, string actual)
    {
        string verifiedPath = Path.Combine(SnapshotDirectory, name + ".verified.cs");
        string receivedPath = Path.Combine(SnapshotDirectory, name + ".received.cs");
        string scrubbed = Scrub(actual);

        string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).ReplaceLineEndings("\n") : null;
        if (verified == scrubbed)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(SnapshotDirectory);
        if (Environment.GetEnvironmentVariable("OFFLINESYNC_ACCEPT") == "1")
        {
            File.WriteAllText(verifiedPath, scrubbed);
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, scrubbed);
        Assert.Fail(verified is null
            ? $"No snapshot {verifiedPath}; wrote {receivedPath}. Review it and rerun with OFFLINESYNC_ACCEPT=1 to accept."
            : $"Generated source differs from {verifiedPath}; wrote {receivedPath}. Diff them and rerun with OFFLINESYNC_ACCEPT=1 to accept.");
    }

    private static string Scrub(string text) =>
        VersionPattern().Replace(text.ReplaceLineEndings("\n").TrimStart('\uFEFF'), "GeneratedCode(\"OfflineSync\", \"{version}\")");

    [GeneratedRegex("GeneratedCode\\(\"OfflineSync\", \"[^\"]*\"\\)")]
    private static partial Regex VersionPattern();
}
