using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace OfflineSync.Analyzers.Tests.Infrastructure;

/// <summary>Every OfflineSync analyzer together, as an app sees them, and the common test setup.</summary>
internal static class AnalyzerSet
{
    public static ImmutableArray<DiagnosticAnalyzer> All() => ImmutableArray.Create<DiagnosticAnalyzer>(
        new ReferenceSlotAnalyzer(),
        new ReferenceGraphAnalyzer(),
        new SyncableTypeAnalyzer(),
        new ResourceNameAnalyzer(),
        new SyncClientAnalyzer(),
        new JsonContractAnalyzer());

    /// <summary>Runtime references, nullable enabled, compiler warnings checked too.</summary>
    public static void Configure(AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = TestReferences.NoPackages;
        test.TestState.AdditionalReferences.AddRange(TestReferences.Runtime);
        test.CompilerDiagnostics = CompilerDiagnostics.Warnings;
        test.DisabledDiagnostics.Add("CS1591");

        // OSYNC003 and OSYNC004 are reported by two analyzers that share one descriptor.
        test.MarkupOptions = MarkupOptions.UseFirstDescriptor;
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithNullableContextOptions(NullableContextOptions.Enable));
        });
    }
}
