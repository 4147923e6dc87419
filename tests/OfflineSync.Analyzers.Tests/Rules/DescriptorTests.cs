using System.Reflection;
using Microsoft.CodeAnalysis;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>DESIGN §4 (and the rules added since): the IDs and severities are contract; every rule links to its section of docs/diagnostics.md.</summary>
public sealed class DescriptorTests
{
    public static TheoryData<string, DiagnosticSeverity> Contract => new()
    {
        { "OSYNC001", DiagnosticSeverity.Error },
        { "OSYNC002", DiagnosticSeverity.Error },
        { "OSYNC003", DiagnosticSeverity.Error },
        { "OSYNC004", DiagnosticSeverity.Error },
        { "OSYNC005", DiagnosticSeverity.Error },
        { "OSYNC006", DiagnosticSeverity.Error },
        { "OSYNC007", DiagnosticSeverity.Warning },
        { "OSYNC008", DiagnosticSeverity.Warning },
        { "OSYNC009", DiagnosticSeverity.Error },
        { "OSYNC010", DiagnosticSeverity.Warning },
        { "OSYNC011", DiagnosticSeverity.Warning },
        { "OSYNC012", DiagnosticSeverity.Error },
        { "OSYNC013", DiagnosticSeverity.Error },
        { "OSYNC014", DiagnosticSeverity.Error },
    };

    [Theory]
    [MemberData(nameof(Contract))]
    public void Descriptor_HasContractSeverityHelpLinkAndDocsSection(string id, DiagnosticSeverity severity)
    {
        DiagnosticDescriptor descriptor = AllDescriptors().Single(d => d.Id == id);

        Assert.Equal(severity, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.EndsWith("docs/diagnostics.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.Contains("\n## " + id + "\n", Docs(), StringComparison.Ordinal);
    }

    [Fact]
    public void Descriptors_AreExactlyTheContractRules() =>
        Assert.Equal(Contract.Select(row => (string)row[0]), AllDescriptors().Select(d => d.Id).Order(StringComparer.Ordinal));

    private static IEnumerable<DiagnosticDescriptor> AllDescriptors() =>
        typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    private static string Docs()
    {
        string repoRoot = typeof(DescriptorTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        return File.ReadAllText(Path.Combine(repoRoot, "docs", "diagnostics.md")).ReplaceLineEndings("\n");
    }
}
