using TodoApp.Client;

namespace OfflineSync.EndToEnd.Tests;

public sealed class DemoSessionTests
{
    [Fact] // The README's demo, as a test: its scripted session ends with clients and server in agreement.
    public async Task DemoSession_WithEmbeddedServer_EndsWithClientsAndServerInAgreement()
    {
        var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        bool agree = await DemoSession.RunAsync(output, server: null, timeout.Token);

        string story = output.ToString();
        Assert.True(agree, story);
        Assert.Contains("remapped categories optimistic_", story, StringComparison.Ordinal);
        Assert.Contains("conflict on todos", story, StringComparison.Ordinal);
        Assert.Contains("resolved by hand", story, StringComparison.Ordinal);
        Assert.Contains("Both clients and the server agree", story, StringComparison.Ordinal);
    }
}
