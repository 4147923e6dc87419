using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace OfflineSync.Analyzers.Tests.Infrastructure;

/// <summary>Runs all OfflineSync analyzers over a source with <c>{|OSYNC00N:span|}</c> markup.</summary>
internal static class Verify
{
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public static Task CodeFixAsync<TCodeFix>(string source, string fixedSource)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CodeFixTest<TCodeFix> { TestCode = source, FixedCode = fixedSource };
        return test.RunAsync();
    }

    private sealed class AnalyzerTest : CSharpAnalyzerTest<ReferenceSlotAnalyzer, DefaultVerifier>
    {
        public AnalyzerTest() => AnalyzerSet.Configure(this);

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => AnalyzerSet.All();
    }

    private sealed class CodeFixTest<TCodeFix> : CSharpCodeFixTest<ReferenceSlotAnalyzer, TCodeFix, DefaultVerifier>
        where TCodeFix : CodeFixProvider, new()
    {
        public CodeFixTest() => AnalyzerSet.Configure(this);

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => AnalyzerSet.All();
    }
}
