using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OfflineSync.Generators.Tests.Infrastructure;

namespace OfflineSync.Generators.Tests;

/// <summary>An edit elsewhere re-runs nothing, and the cached models hold no compiler objects.</summary>
public sealed class IncrementalityTests
{
    private const string UnrelatedPath = "Unrelated.cs";

    private static readonly IncrementalStepRunReason[] s_reused = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    [Fact]
    public void Rerun_OnAClonedCompilation_EveryStepIsCachedAndNoOutputIsRegenerated()
    {
        CSharpCompilation compilation = CreateCompilation("1");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.Clone());

        AssertNothingReran(driver);
    }

    [Fact]
    public void Rerun_AfterAnUnrelatedMethodBodyEdit_EveryStepIsCachedAndNoOutputIsRegenerated()
    {
        CSharpCompilation compilation = CreateCompilation("1");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree unrelated = compilation.SyntaxTrees.Single(static t => t.FilePath == UnrelatedPath);
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(unrelated, Parse(UnrelatedSource("2"), UnrelatedPath));
        driver = driver.RunGenerators(edited);

        AssertNothingReran(driver);
    }

    [Fact]
    public void Rerun_AfterAnEntityEdit_RegeneratesThatEntity()
    {
        // The close case: the tests above would also pass if the driver never re-ran anything.
        CSharpCompilation compilation = CreateCompilation("1");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree model = compilation.SyntaxTrees.First(static t => t.FilePath == "Entities.cs");
        string text = model.ToString().Replace("public int Priority { get; set; }", "public int Priority { get; set; }\n\n    public int Effort { get; set; }", StringComparison.Ordinal);

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(model, Parse(text, "Entities.cs")));

        GeneratorRunResult result = Assert.Single(driver.GetRunResult().Results);
        Assert.Contains(result.TrackedSteps[TrackingNames.ValidSyncableModels].SelectMany(static s => s.Outputs), static o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Effort", result.GeneratedSources.Single(static s => s.HintName.EndsWith(".Todo.Sync.g.cs", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rerun_AfterTheJsonContextListsAnotherEntity_RegeneratesThatEntityOnly()
    {
        // The close case for the JSON step: a context edit reaches exactly the entities it adds or drops.
        CSharpCompilation compilation = CreateCompilation("1");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree context = compilation.SyntaxTrees.Single(static t => t.FilePath == "ModelJsonContext.cs");
        string text = context.ToString().Replace("[JsonSerializable(typeof(Milestone))]", "[JsonSerializable(typeof(Milestone))]\n[JsonSerializable(typeof(User))]", StringComparison.Ordinal);

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(context, Parse(text, "ModelJsonContext.cs")));

        GeneratorRunResult result = Assert.Single(driver.GetRunResult().Results);
        (object Value, IncrementalStepRunReason Reason)[] modified = result.TrackedSteps[TrackingNames.EntitiesWithJsonContext]
            .SelectMany(static s => s.Outputs)
            .Where(static o => o.Reason == IncrementalStepRunReason.Modified)
            .ToArray();
        Assert.Equal("User", Assert.IsType<Model.EntityModel>(Assert.Single(modified).Value).Type.Name);
        Assert.Contains("ModelJsonContext.Default", result.GeneratedSources.Single(static s => s.HintName.EndsWith(".User.Sync.g.cs", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
        Assert.All(result.TrackedSteps[TrackingNames.SyncClientsWithEntities].SelectMany(static s => s.Outputs), static o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Models_HoldNoCompilationSymbolSyntaxOrLocation()
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(CreateCompilation("1"));
        GeneratorRunResult result = Assert.Single(driver.GetRunResult().Results);

        int walked = 0;
        foreach (string name in TrackingNames.All)
        {
            foreach (IncrementalGeneratorRunStep step in result.TrackedSteps[name])
            {
                foreach ((object value, _) in step.Outputs)
                {
                    walked += AssertHoldsNoCompilerObjects(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }

        Assert.True(walked > 100, $"Walked only {walked} objects; the model graph was not explored.");
    }

    private static void AssertNothingReran(GeneratorDriver driver)
    {
        GeneratorRunResult result = Assert.Single(driver.GetRunResult().Results);
        foreach (string name in TrackingNames.All)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"Step {name} did not run.");
            foreach (IncrementalGeneratorRunStep step in result.TrackedSteps[name])
            {
                foreach ((object _, IncrementalStepRunReason reason) in step.Outputs)
                {
                    Assert.True(s_reused.Contains(reason), $"Step {name} output was {reason}.");
                }
            }
        }

        foreach (IncrementalGeneratorRunStep step in result.TrackedOutputSteps.SelectMany(static s => s.Value))
        {
            foreach ((object _, IncrementalStepRunReason reason) in step.Outputs)
            {
                Assert.Equal(IncrementalStepRunReason.Cached, reason);
            }
        }
    }

    private static int AssertHoldsNoCompilerObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return 1;
        }

        Assert.False(
            value is Compilation or ISymbol or SyntaxNode or Location or SemanticModel or SyntaxTree,
            $"{path} holds a {value.GetType().Name}.");
        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return 0;
        }

        int count = 1;
        if (value is IEnumerable items)
        {
            foreach (object? item in items)
            {
                count += AssertHoldsNoCompilerObjects(item, path + "[]", seen);
            }
        }

        for (Type? type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                count += AssertHoldsNoCompilerObjects(field.GetValue(value), path + "." + field.Name, seen);
            }
        }

        return count;
    }

    private static CSharpCompilation CreateCompilation(string unrelatedValue) =>
        GeneratorHarness.CreateCompilation(
            [.. GeneratorHarness.RepresentativeModel, (UnrelatedPath, UnrelatedSource(unrelatedValue))]);

    private static string UnrelatedSource(string value) => $$"""
        namespace Elsewhere;

        public sealed class Calculator
        {
            public int Compute() => {{value}};
        }
        """;

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path);
}
