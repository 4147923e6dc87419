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

    private const string Unrelated = """
        namespace Elsewhere;

        public sealed class Calculator
        {
            public int Compute() => 1;
        }
        """;

    private const string CardPath = "Card.cs";
    private const string CardDetailsPath = "CardDetails.cs";
    private const string CardNamesPath = "CardNames.cs";

    // An entity whose model reads declarations of two other files: a nested type and a constant.
    private const string Card = """
        using OfflineSync;

        namespace OfflineSync.Generators.Tests.Models;

        [Syncable(CardNames.Resource)]
        public partial class Card
        {
            public string Id { get; set; } = "";

            public string Title { get; set; } = "";

            public CardDetails? Details { get; set; }

            public int Weight() => Title.Length * 2;
        }
        """;

    private const string CardDetails = """
        using OfflineSync;

        namespace OfflineSync.Generators.Tests.Models;

        public class CardDetails
        {
            [References(typeof(User))]
            public string? OwnerId { get; set; }

            public string? Note { get; set; }
        }
        """;

    private const string CardNames = """
        namespace OfflineSync.Generators.Tests.Models;

        public static class CardNames
        {
            public const string Resource = "cards";
        }
        """;

    private static readonly IncrementalStepRunReason[] s_reused = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    [Fact]
    public void Rerun_OnAClonedCompilation_EveryStepIsCachedAndNoOutputIsRegenerated()
    {
        CSharpCompilation compilation = CreateCompilation();
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.Clone());

        AssertNothingReran(driver);
    }

    [Fact]
    public void Rerun_AfterAnUnrelatedMethodBodyEdit_EveryStepIsCachedAndNoOutputIsRegenerated()
    {
        CSharpCompilation compilation = CreateCompilation();
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(GeneratorHarness.Edit(compilation, UnrelatedPath, "=> 1;", "=> 2;"));

        AssertNothingReran(driver);
    }

    [Fact]
    public void Rerun_AfterAnEntityEdit_RegeneratesExactlyThatEntitysOutput()
    {
        // The close case: the tests above would also pass if the driver never re-ran anything.
        CSharpCompilation compilation = CreateCompilation();
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Dictionary<string, string> before = Assert.Single(driver.GetRunResult().Results).GeneratedSources
            .ToDictionary(static s => s.HintName, static s => s.SourceText.ToString(), StringComparer.Ordinal);

        driver = driver.RunGenerators(GeneratorHarness.Edit(compilation, "Entities.cs", "public int Priority { get; set; }", "public int Priority { get; set; }\n\n    public int Effort { get; set; }"));

        GeneratorRunResult result = Assert.Single(driver.GetRunResult().Results);
        Assert.Equal("Todo", ModifiedEntity(result.TrackedSteps[TrackingNames.ValidSyncableModels]));
        IncrementalGeneratorRunStep[] outputSteps = result.TrackedOutputSteps.SelectMany(static s => s.Value).ToArray();
        Assert.All(outputSteps.SelectMany(static s => s.Outputs).Where(static o => o.Reason != IncrementalStepRunReason.Modified), static o => Assert.Contains(o.Reason, s_reused));
        IncrementalGeneratorRunStep rerun = Assert.Single(outputSteps, static s => s.Outputs.Any(static o => o.Reason == IncrementalStepRunReason.Modified));
        (IncrementalGeneratorRunStep input, int index) = Assert.Single(rerun.Inputs);
        Assert.Equal("Todo", Assert.IsType<Model.EntityModel>(input.Outputs[index].Value).Type.Name);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), result.GeneratedSources.Select(static s => s.HintName).Order(StringComparer.Ordinal));
        foreach (GeneratedSourceResult source in result.GeneratedSources)
        {
            if (source.HintName.EndsWith(".Todo.Sync.g.cs", StringComparison.Ordinal))
            {
                Assert.Contains("Effort", source.SourceText.ToString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(before[source.HintName], source.SourceText.ToString());
            }
        }

        // Every output but one was reused; the one the driver ran again is the edited entity's.
        static string ModifiedEntity(IEnumerable<IncrementalGeneratorRunStep> steps)
        {
            (object Value, IncrementalStepRunReason Reason)[] outputs = steps.SelectMany(static s => s.Outputs).ToArray();
            Assert.All(outputs.Where(static o => o.Reason != IncrementalStepRunReason.Modified), static o => Assert.Contains(o.Reason, s_reused));
            return Assert.IsType<Model.EntityModel>(Assert.Single(outputs, static o => o.Reason == IncrementalStepRunReason.Modified).Value).Type.Name;
        }
    }

    [Fact]
    public void Rerun_AfterTheJsonContextListsAnotherEntity_RegeneratesThatEntityOnly()
    {
        // The close case for the JSON step: a context edit reaches exactly the entities it adds or drops.
        CSharpCompilation compilation = CreateCompilation();
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(GeneratorHarness.Edit(compilation, "ModelJsonContext.cs", "[JsonSerializable(typeof(Milestone))]", "[JsonSerializable(typeof(Milestone))]\n[JsonSerializable(typeof(User))]"));

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
    public void Rerun_AfterABodyEditInAPartOfAnEntity_EveryStepIsCachedAndNoOutputIsRegenerated()
    {
        // The entity's own declaration is in the edited file: its parsed model is reused all the same (ParseCache).
        CSharpCompilation compilation = CreateCompilation((CardPath, Card), (CardDetailsPath, CardDetails), (CardNamesPath, CardNames));
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(GeneratorHarness.Edit(compilation, CardPath, "Title.Length * 2", "Title.Length * 3"));

        AssertNothingReran(driver);
    }

    [Fact]
    public void Rerun_AfterANestedTypeInAnotherFileGainsAReference_RegeneratesTheEntityWithTheNewSlot()
    {
        // The close case for reuse: a declaration the entity's model reads, in a file other than the entity's.
        CSharpCompilation compilation = CreateCompilation((CardPath, Card), (CardDetailsPath, CardDetails), (CardNamesPath, CardNames));
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.DoesNotContain("ReviewerId", CardSource(driver), StringComparison.Ordinal);

        driver = driver.RunGenerators(GeneratorHarness.Edit(
            compilation,
            CardDetailsPath,
            "public string? Note { get; set; }",
            "public string? Note { get; set; }\n\n    [References(typeof(User))]\n    public string? ReviewerId { get; set; }"));

        Assert.Contains("ReviewerId", CardSource(driver), StringComparison.Ordinal);
    }

    [Fact]
    public void Rerun_AfterAConstantInAnotherFileChanges_RegeneratesTheEntityWithTheNewResourceName()
    {
        CSharpCompilation compilation = CreateCompilation((CardPath, Card), (CardDetailsPath, CardDetails), (CardNamesPath, CardNames));
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.Contains("\"cards\"", CardSource(driver), StringComparison.Ordinal);

        driver = driver.RunGenerators(GeneratorHarness.Edit(compilation, CardNamesPath, "\"cards\"", "\"boards-cards\""));

        Assert.Contains("\"boards-cards\"", CardSource(driver), StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_BodiesThatMakeTheCompilerSynthesizeFields_DoNotChangeTheOutput()
    {
        // Reuse across a body edit is sound only while models depend on no body. A body can add members: a
        // primary-constructor parameter it captures becomes a hidden field. The parser reads none of them.
        const string Capturing = "public string Seeded() => seed + Title;";
        const string NotCapturing = "public string Seeded() => Title;";
        string entity = Card.Replace("public partial class Card", "public partial class Card(string seed)", StringComparison.Ordinal)
            .Replace("public int Weight() => Title.Length * 2;", Capturing, StringComparison.Ordinal);

        string capturing = GenerateCard(entity);
        string notCapturing = GenerateCard(entity.Replace(Capturing, NotCapturing, StringComparison.Ordinal));

        Assert.Equal(notCapturing, capturing);

        static string GenerateCard(string source) =>
            CardSource(GeneratorHarness.CreateDriver().RunGenerators(CreateCompilation((CardPath, source), (CardDetailsPath, CardDetails), (CardNamesPath, CardNames))));
    }

    [Fact]
    public void Models_HoldNoCompilationSymbolSyntaxOrLocation()
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(CreateCompilation());
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

    private static CSharpCompilation CreateCompilation(params (string Path, string Text)[] more) =>
        GeneratorHarness.CreateCompilation([.. GeneratorHarness.RepresentativeModel, (UnrelatedPath, Unrelated), .. more]);

    private static string CardSource(GeneratorDriver driver) =>
        Assert.Single(driver.GetRunResult().Results).GeneratedSources.Single(static s => s.HintName == "OfflineSync.Generators.Tests.Models.Card.Sync.g.cs").SourceText.ToString();
}
