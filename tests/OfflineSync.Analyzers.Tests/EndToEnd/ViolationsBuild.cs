using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace OfflineSync.Analyzers.Tests.EndToEnd;

/// <summary>Builds <see cref="ViolationsProject"/> once with the real SDK and keeps what the build said.</summary>
public sealed partial class ViolationsBuild : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public ViolationsBuild()
    {
        Directory = Path.Combine(Path.GetTempPath(), "offlinesync-e2e-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        string repoRoot = Metadata("RepoRoot");
        File.WriteAllText(Path.Combine(Directory, "Violations.csproj"), ViolationsProject.Project(repoRoot));
        File.WriteAllText(Path.Combine(Directory, "Model.cs"), ViolationsProject.Source);

        (ExitCode, Output) = RunBuild(Metadata("Configuration"));
        Diagnostics = DiagnosticLine().Matches(Output)
            .Select(m => (Severity: m.Groups["severity"].Value, Id: m.Groups["id"].Value, File: m.Groups["file"].Value))
            .Distinct()
            .ToArray();
        GeneratedFiles = System.IO.Directory.Exists(Path.Combine(Directory, "generated"))
            ? System.IO.Directory.GetFiles(Path.Combine(Directory, "generated"), "*.g.cs", SearchOption.AllDirectories)
            : Array.Empty<string>();
    }

    public string Directory { get; }

    public int ExitCode { get; }

    public string Output { get; }

    public IReadOnlyList<(string Severity, string Id, string File)> Diagnostics { get; }

    public IReadOnlyList<string> GeneratedFiles { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private (int ExitCode, string Output) RunBuild(string configuration)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The referenced projects were built with this test project: only the temp project compiles.
        foreach (string argument in new[] { "build", "Violations.csproj", "-c", configuration, "-p:BuildProjectReferences=false", "-nodeReuse:false", "-clp:NoSummary" })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs inside an MSBuild invocation; its variables would steer the child build.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet build did not finish within {Timeout}.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Metadata(string key) =>
        typeof(ViolationsBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");

    [GeneratedRegex(@"^(?<file>[^\r\n(]*?)\(\d+,\d+\): (?<severity>error|warning) (?<id>[A-Z]+\d+):", RegexOptions.Multiline)]
    private static partial Regex DiagnosticLine();
}
