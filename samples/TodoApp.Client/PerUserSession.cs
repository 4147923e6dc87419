using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using OfflineSync;
using OfflineSync.Http;
using TodoApp.Model;
using TodoApp.Server;

namespace TodoApp.Client;

/// <summary>
/// The second part of the demo: two signed-in users on a server that keeps each user's rows to themselves
/// (docs/security.md). Each sees their own todos and the category the other shared; an expired token is renewed
/// without losing anything.
/// </summary>
public static class PerUserSession
{
    /// <summary>Plays the session on a server it starts in-process and returns whether each user saw exactly their share.</summary>
    public static async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        string workDir = Directory.CreateTempSubdirectory("offlinesync-demo-users-").FullName;
        byte[] signingKey = RandomNumberGenerator.GetBytes(32);
        WebApplication host = await PerUserTodoServer.StartAsync(Path.Combine(workDir, "server.db"), signingKey, cancellationToken);
        try
        {
            Uri server = PerUserTodoServer.AddressOf(host);
            output.WriteLine();
            output.WriteLine($"Part 2: two signed-in users. Started a server for signed-in users at {server}: each user's todos and");
            output.WriteLine("categories are theirs alone; a category's owner may share it for reading.");
            var aliceTokens = new DemoTokens("alice", signingKey, output);
            await using var alice = new DemoClient("alice", server, Path.Combine(workDir, "alice.db"), output, ConflictStrategy.ServerWins, aliceTokens);
            await using var bob = new DemoClient("bob", server, Path.Combine(workDir, "bob.db"), output, ConflictStrategy.ServerWins, new DemoTokens("bob", signingKey, output));
            return await PlayAsync(output, alice, aliceTokens, bob, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            await host.DisposeAsync();
            try
            {
                Directory.Delete(workDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a dying connection; the temp folder is cleaned by the OS.
            }
        }
    }

    private static async Task<bool> PlayAsync(TextWriter output, DemoClient alice, DemoTokens aliceTokens, DemoClient bob, CancellationToken cancellationToken)
    {
        output.WriteLine();
        output.WriteLine("1. Alice is offline, and her token has expired meanwhile. She adds the category \"Household\", shared with Bob,");
        output.WriteLine("   the category \"Alice's notes\" and the todo \"Buy milk\" in Household.");
        alice.Sync.SetOnline(false);
        aliceTokens.Expire();
        Category household = alice.Sync.Categories.Create(new Category { Name = "Household", SharedWith = ["bob"] });
        alice.Sync.Categories.Create(new Category { Name = "Alice's notes" });
        alice.Sync.Todos.Create(new Todo { Title = "Buy milk", CategoryId = household.Id });

        output.WriteLine();
        output.WriteLine("2. Alice reconnects: the server refuses her old token, her client gets a new one and sends again.");
        alice.Sync.SetOnline(true);
        await alice.Sync.SyncAsync(cancellationToken);
        string householdKey = alice.ServerKeyOf<Category>(household.Id);

        output.WriteLine();
        output.WriteLine("3. Bob's live view shows the shared category; he adds \"Fix the sink\" to it.");
        await bob.WaitUntilAsync(() => bob.Sync.Categories.TryGet(householdKey, out _), "bob sees the shared category", cancellationToken);
        bob.Sync.Todos.Create(new Todo { Title = "Fix the sink", CategoryId = householdKey });
        await bob.Sync.SyncAsync(cancellationToken);

        output.WriteLine();
        output.WriteLine("4. What each user sees:");
        bool aliceRight = await SeesAsync(output, alice, ["Alice's notes", "Household"], ["Buy milk"], cancellationToken);
        bool bobRight = await SeesAsync(output, bob, ["Household"], ["Fix the sink"], cancellationToken);
        output.WriteLine();
        output.WriteLine(aliceRight && bobRight
            ? "Each user sees their own todos and the category shared with them, nothing of the other's."
            : "A user sees what is NOT theirs, or misses what is (see above).");
        return aliceRight && bobRight;
    }

    private static async Task<bool> SeesAsync(TextWriter output, DemoClient client, string[] categories, string[] todos, CancellationToken cancellationToken)
    {
        bool Matches() =>
            Names(client.Sync.Categories.Items.Select(static c => c.Name)).SequenceEqual(categories)
            && Names(client.Sync.Todos.Items.Select(static t => t.Title)).SequenceEqual(todos);
        try
        {
            await client.WaitUntilAsync(Matches, $"{client.Name} sees exactly their share", cancellationToken);
        }
        catch (TimeoutException)
        {
            // Reported below with what the view holds.
        }

        output.WriteLine($"   {client.Name,-6} categories: {string.Join(", ", Names(client.Sync.Categories.Items.Select(static c => c.Name)))}");
        output.WriteLine($"   {"",-6} todos:      {string.Join(", ", Names(client.Sync.Todos.Items.Select(static t => t.Title)))}");
        return Matches();
    }

    private static string[] Names(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The demo's sign-in: a token for one user, renewed when the server refuses it. An app asks its identity
    /// provider here (MSAL, Duende.IdentityModel, …); see docs/security.md.
    /// </summary>
    private sealed class DemoTokens(string userId, byte[] signingKey, TextWriter output) : ISyncTokenProvider
    {
        private readonly Lock _gate = new();
        private (string Token, DateTimeOffset Expires) _current = Sign(signingKey, userId);

        /// <summary>Lets the token run out, as an hour offline would.</summary>
        public void Expire()
        {
            lock (_gate)
            {
                DateTimeOffset past = DateTimeOffset.UtcNow.AddMinutes(-1);
                _current = (PerUserTodoServer.CreateToken(signingKey, userId, past), past);
            }
        }

        public ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                // Several requests refused at once (the push and each feed) ask for a refresh: the first renews, the
                // others get the token it made.
                if (forceRefresh && _current.Expires <= DateTimeOffset.UtcNow)
                {
                    output.WriteLine($"   [{userId}] the server refused the expired token (401): signed in again, sending again");
                    _current = Sign(signingKey, userId);
                }

                return ValueTask.FromResult<string?>(_current.Token);
            }
        }

        private static (string, DateTimeOffset) Sign(byte[] signingKey, string userId)
        {
            DateTimeOffset expires = DateTimeOffset.UtcNow.AddMinutes(30);
            return (PerUserTodoServer.CreateToken(signingKey, userId, expires), expires);
        }
    }
}
