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

    [Fact] // The demo's second part (issue 12): two signed-in users, an expired token renewed, each sees only their share.
    public async Task PerUserSession_EachUserSeesTheirTodosAndTheSharedCategory()
    {
        var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        bool separated = await PerUserSession.RunAsync(output, timeout.Token);

        string story = output.ToString();
        Assert.True(separated, story);
        Assert.Contains("[alice] the server refused the expired token (401): signed in again", story, StringComparison.Ordinal);
        Assert.Contains("bob    categories: Household", story, StringComparison.Ordinal);
        Assert.DoesNotContain("FAILED", story, StringComparison.Ordinal);
    }
}
