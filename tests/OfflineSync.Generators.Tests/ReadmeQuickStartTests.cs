using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OfflineSync.Generators.Tests.Infrastructure;

namespace OfflineSync.Generators.Tests;

/// <summary>
/// The README's quick start compiles as written: its C# blocks, taken from the file, become one program
/// (their usings first, then their statements, then their types) that the generators and the compiler
/// see against the client libraries an app references. A user copies these blocks first.
/// </summary>
public sealed partial class ReadmeQuickStartTests
{
    [Fact]
    public void Quick_start_compiles_without_warnings()
    {
        ImmutableArray<string> blocks = QuickStartBlocks();
        Assert.True(blocks.Length >= 2, "The README's '## Quick start' section lost its C# blocks.");

        CSharpCompilation compilation = CSharpCompilation.Create(
            "ReadmeQuickStart",
            [
                SyntaxFactory.SyntaxTree(AsOneProgram(blocks), GeneratorHarness.ParseOptions, "README.md.cs"),
                CSharpSyntaxTree.ParseText(ImplicitUsings, GeneratorHarness.ParseOptions, "ImplicitUsings.cs"),
            ],
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        (GeneratorRunResult run, Compilation output) = GeneratorHarness.Run(compilation);

        string[] problems = run.Diagnostics.Concat(output.GetDiagnostics())
            .Where(static d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(static d => d.ToString())
            .ToArray();
        Assert.True(problems.Length == 0, "The README's quick start does not compile:\n" + string.Join("\n", problems));
    }

    /// <summary>What <c>&lt;ImplicitUsings&gt;enable&lt;/ImplicitUsings&gt;</c> of a new console or class library project adds.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static ImmutableArray<string> QuickStartBlocks()
    {
        string root = typeof(ReadmeQuickStartTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(static a => a.Key == "RepoRoot").Value!;
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        int start = readme.IndexOf("\n## Quick start", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Quick start' section.");
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? readme[start..] : readme[start..end];
        return CSharpBlock().Matches(section).Select(static m => m.Groups[1].Value).ToImmutableArray();
    }

    /// <summary>Top-level statements must come before type declarations and after every using directive of the file.</summary>
    private static CompilationUnitSyntax AsOneProgram(ImmutableArray<string> blocks)
    {
        CompilationUnitSyntax[] units = blocks.Select(static b => (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(b, GeneratorHarness.ParseOptions).GetRoot()).ToArray();
        IEnumerable<UsingDirectiveSyntax> usings = units.SelectMany(static u => u.Usings)
            .GroupBy(static u => u.ToString()).Select(static g => g.First());
        IEnumerable<MemberDeclarationSyntax> members = units.SelectMany(static u => u.Members.OfType<GlobalStatementSyntax>())
            .Concat(units.SelectMany(static u => u.Members.Where(static m => m is not GlobalStatementSyntax)));
        return SyntaxFactory.CompilationUnit()
            .WithUsings(SyntaxFactory.List(usings))
            .WithAttributeLists(SyntaxFactory.List(units.SelectMany(static u => u.AttributeLists)))
            .WithMembers(SyntaxFactory.List(members))
            .NormalizeWhitespace();
    }

    /// <summary>What an app that references OfflineSync, OfflineSync.Sqlite and OfflineSync.Http compiles against.</summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(static () =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(static p => Path.GetFileName(p) is var name
                && (name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
                    || name.StartsWith("OfflineSync.", StringComparison.Ordinal) && !name.Contains("Tests", StringComparison.Ordinal) && !name.Contains("Generators", StringComparison.Ordinal)
                    || name is "mscorlib.dll" or "netstandard.dll" or "OfflineSync.dll"))
            .Select(static p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
