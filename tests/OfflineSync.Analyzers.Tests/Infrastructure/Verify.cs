using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace OfflineSync.Analyzers.Tests.Infrastructure;

/// <summary>Runs all OfflineSync analyzers over a source with <c>{|OSYNC00N:span|}</c> markup.</summary>
internal static class Verify
{
    /// <summary>The MSBuild properties a project analyzed for trimming and Native AOT shows analyzers (<c>IsAotCompatible</c>, <c>PublishAot</c>).</summary>
    public const string AotAnalyzed = """
        is_global = true
        build_property.EnableTrimAnalyzer = true
        build_property.EnableAotAnalyzer = true
        """;

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        AnalyzerAsync(source, new TestOptions(), expected);

    public static Task AnalyzerAsync(string source, TestOptions options, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest { TestCode = source };
        options.Apply(test, test.TestState);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public static Task CodeFixAsync<TCodeFix>(string source, string fixedSource)
        where TCodeFix : CodeFixProvider, new() =>
        CodeFixAsync<TCodeFix>(source, fixedSource, new TestOptions());

    public static Task CodeFixAsync<TCodeFix>(string source, string fixedSource, TestOptions options)
        where TCodeFix : CodeFixProvider, new() =>
        CodeFixAsync<TCodeFix>(source, [("/0/Test0.cs", fixedSource)], options);

    /// <summary>A fix that changes or adds other documents: <paramref name="fixedSources"/> are all the documents after it, by name.</summary>
    public static Task CodeFixAsync<TCodeFix>(string source, (string Name, string Text)[] fixedSources, TestOptions options)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CodeFixTest<TCodeFix> { TestCode = source };
        foreach ((string name, string text) in fixedSources)
        {
            test.FixedState.Sources.Add((name, text));
        }

        options.Apply(test, test.TestState);
        options.Apply(test, test.FixedState);
        return test.RunAsync();
    }

    /// <summary>What a test adds to the default setup: a global analyzer config, more references, compiler checks off.</summary>
    internal sealed record TestOptions(string? GlobalConfig = null, MetadataReference[]? References = null, bool CheckCompiler = true)
    {
        public void Apply(AnalyzerTest<DefaultVerifier> test, SolutionState state)
        {
            if (GlobalConfig is not null)
            {
                state.AnalyzerConfigFiles.Add(("/.globalconfig", GlobalConfig));
            }

            if (References is not null)
            {
                state.AdditionalReferences.AddRange(References);
            }

            if (!CheckCompiler)
            {
                test.CompilerDiagnostics = CompilerDiagnostics.None;
            }
        }
    }

    private sealed class AnalyzerTest : CSharpAnalyzerTest<ReferenceSlotAnalyzer, DefaultVerifier>
    {
        public AnalyzerTest() => AnalyzerSet.Configure(this);

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => AnalyzerSet.All();
    }

    private sealed class CodeFixTest<TCodeFix> : CSharpCodeFixTest<ReferenceSlotAnalyzer, TCodeFix, DefaultVerifier>
        where TCodeFix : CodeFixProvider, new()
    {
        public CodeFixTest()
        {
            AnalyzerSet.Configure(this);

            // OSYNC009 and OSYNC010 compare the whole compilation, so they are reported at its end, not
            // locally: the IDE offers their fixes too (in full solution analysis), and so do these tests.
            CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => AnalyzerSet.All();
    }
}
