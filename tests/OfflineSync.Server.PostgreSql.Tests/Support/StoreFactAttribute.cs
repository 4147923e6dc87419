using Xunit.Abstractions;
using Xunit.Sdk;

namespace OfflineSync.Server.PostgreSql.Tests.Support;

/// <summary>Marks a test class whose tests need PostgreSQL.</summary>
public interface IUsesPostgres;

/// <summary>
/// A fact of the store contract, run once per store: on a class that uses PostgreSQL it is skipped where none
/// is configured (never under CI, where it fails instead), on the SQLite class it always runs.
/// </summary>
[XunitTestCaseDiscoverer("OfflineSync.Server.PostgreSql.Tests.Support.StoreFactDiscoverer", "OfflineSync.Server.PostgreSql.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests; the skip depends on the test class, which a plain <see cref="FactAttribute"/> cannot see.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        bool usesPostgres = typeof(IUsesPostgres).IsAssignableFrom(testMethod.TestClass.Class.ToRuntimeType());
        return usesPostgres && TestPostgres.SkipReason is { } reason
            ? new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)
            : base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}
