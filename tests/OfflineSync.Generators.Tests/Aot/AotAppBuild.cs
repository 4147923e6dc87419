using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace OfflineSync.Generators.Tests.Aot;

/// <summary>Builds <see cref="AotApp"/> once with the real SDK, runs it, and keeps what both said.</summary>
public sealed partial class AotAppBuild : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    public AotAppBuild()
    {
        Directory = Path.Combine(Path.GetTempPath(), "offlinesync-aot-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        string configuration = Metadata("Configuration");
        File.WriteAllText(Path.Combine(Directory, "AotApp.csproj"), AotApp.Project(Metadata("RepoRoot"), configuration));
        File.WriteAllText(Path.Combine(Directory, "Model.cs"), AotApp.Model);
        File.WriteAllText(Path.Combine(Directory, "Program.cs"), AotApp.Program);

        (BuildExitCode, BuildOutput) = Run(["build", "AotApp.csproj", "-c", "Release", "-nodeReuse:false", "-clp:NoSummary"], BuildTimeout);
        Warnings = DiagnosticLine().Matches(BuildOutput)
            .Select(static m => (Id: m.Groups["id"].Value, Line: m.Value))
            .DistinctBy(static w => w.Line)
            .ToArray();
        string app = Path.Combine(Directory, "bin", "Release", "net10.0", "AotApp.dll");
        (RunExitCode, RunOutput) = File.Exists(app) ? Run([app], RunTimeout) : (-1, "not built");
    }

    public string Directory { get; }

    public int BuildExitCode { get; }

    public string BuildOutput { get; }

    public IReadOnlyList<(string Id, string Line)> Warnings { get; }

    public int RunExitCode { get; }

    public string RunOutput { get; }

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

    private (int ExitCode, string Output) Run(string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs inside an MSBuild invocation; its variables would steer the child build.
        foreach (string key in start.Environment.Keys.Where(static k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {arguments[0]} did not finish within {timeout}.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Metadata(string key) =>
        typeof(AotAppBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");

    [GeneratedRegex(@"^[^\r\n]*?: warning (?<id>[A-Z]+\d+):[^\r\n]*", RegexOptions.Multiline)]
    private static partial Regex DiagnosticLine();
}
