using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace OfflineSync.Benchmarks.Generator;

/// <summary>
/// An app-sized compilation for the generator: <c>N</c> <c>[Syncable]</c> types, one file each, with
/// scalar, list and nested references between them, a <c>[SyncClient]</c> over all of them, and a file
/// unrelated to syncing whose method body the incremental benchmark edits.
/// </summary>
internal static class SyntheticApp
{
    public const string UnrelatedPath = "Unrelated.cs";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    public static CSharpCompilation Create(int entityCount)
    {
        var trees = new List<SyntaxTree>(entityCount + 2);
        for (int i = 0; i < entityCount; i++)
        {
            trees.Add(Parse(Entity(i, entityCount), $"Thing{i}.cs"));
        }

        trees.Add(Parse("namespace App;\n\n[OfflineSync.SyncClient]\npublic partial class AppSync\n{\n}\n", "AppSync.cs"));
        trees.Add(Parse(Unrelated(0), UnrelatedPath));
        return CSharpCompilation.Create(
            "SyntheticApp",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>Returns <paramref name="compilation"/> with the unrelated file's method body changed.</summary>
    public static CSharpCompilation EditUnrelated(CSharpCompilation compilation, int edit) =>
        ReplaceUnrelated(compilation, Unrelated(edit));

    /// <summary>Returns <paramref name="compilation"/> with a method of the unrelated file renamed: a declaration changed.</summary>
    public static CSharpCompilation EditUnrelatedDeclaration(CSharpCompilation compilation, int edit) =>
        ReplaceUnrelated(compilation, Unrelated(0).Replace("Greet(", "Greet" + N(edit) + "(", StringComparison.Ordinal));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new OfflineSync.Generators.SyncGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    private static CSharpCompilation ReplaceUnrelated(CSharpCompilation compilation, string text)
    {
        SyntaxTree unrelated = compilation.SyntaxTrees.Single(static t => t.FilePath == UnrelatedPath);
        return compilation.ReplaceSyntaxTree(unrelated, Parse(text, UnrelatedPath));
    }

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    private static string Entity(int i, int count)
    {
        string next = Name((i + 1) % count);
        string related = Name((i + 7) % count);
        string owner = Name((i + 3) % count);
        return $$"""
            using System.Collections.Generic;
            using OfflineSync;

            namespace App;

            [Syncable("things{{N(i)}}")]
            public partial class {{Name(i)}}
            {
                public string Id { get; set; } = "";

                public string Title { get; set; } = "";

                public int Count { get; set; }

                [SyncVersion]
                public string? Version { get; set; }

                [References(typeof({{next}}))]
                public string? NextId { get; set; }

                [References(typeof({{related}}))]
                public List<string> RelatedIds { get; set; } = new();

                public Details{{N(i)}}? Details { get; set; }
            }

            public class Details{{N(i)}}
            {
                [References(typeof({{owner}}))]
                public string? OwnerId { get; set; }

                public string? Note { get; set; }
            }
            """;
    }

    private static string Unrelated(int edit) => $$"""
        namespace App;

        public static class Formatting
        {
            public static string Greet(string name) => "Hello " + name + "{{N(edit)}}";
        }
        """;

    private static string Name(int i) => "Thing" + N(i);

    private static string N(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(static () =>
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return trusted.Split(Path.PathSeparator)
            .Where(static p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(SyncableAttribute).Assembly.Location)
            .Select(static p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });
}
