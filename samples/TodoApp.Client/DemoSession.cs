using OfflineSync;
using OfflineSync.Http;
using OfflineSync.Server;
using TodoApp.Model;
using TodoApp.Server;

namespace TodoApp.Client;

/// <summary>
/// The scripted session of the demo: two clients, one goes offline and edits, the other edits the
/// same todo online, the first reconnects; every step is told in plain words.
/// </summary>
public static class DemoSession
{
    /// <summary>Plays the session and returns whether both clients and the server end in the same state.</summary>
    /// <param name="output">Where the story is written.</param>
    /// <param name="server">An existing server, or <see langword="null"/> to start one in-process.</param>
    /// <param name="cancellationToken">Aborts the session.</param>
    public static async Task<bool> RunAsync(TextWriter output, Uri? server, CancellationToken cancellationToken)
    {
        string workDir = Directory.CreateTempSubdirectory("offlinesync-demo-").FullName;
        SyncServerHost? host = null;
        try
        {
            if (server is null)
            {
                host = await TodoServer.StartAsync(Path.Combine(workDir, "server.db"), cancellationToken: cancellationToken);
                server = host.Address;
                output.WriteLine($"Started the reference server at {server} (database {Path.Combine(workDir, "server.db")}).");
            }
            else
            {
                output.WriteLine($"Using the server at {server}.");
            }

            await using var alice = new DemoClient("alice", server, Path.Combine(workDir, "alice.db"), output, ConflictStrategy.Manual);
            await using var bob = new DemoClient("bob", server, Path.Combine(workDir, "bob.db"), output, ConflictStrategy.ServerWins);
            return await PlayAsync(output, server, alice, bob, cancellationToken);
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            TryDelete(workDir);
        }
    }

    private static async Task<bool> PlayAsync(TextWriter output, Uri server, DemoClient alice, DemoClient bob, CancellationToken cancellationToken)
    {
        string run = Guid.NewGuid().ToString("N")[..6];
        output.WriteLine();
        output.WriteLine("1. Both clients are online. Bob adds himself as a user and a todo.");
        User bobUser = bob.Sync.Users.Create(new User { Name = $"Bob ({run})" });
        Todo plants = bob.Sync.Todos.Create(new Todo { Title = "Water the plants", Assignee = new Assignment { UserId = bobUser.Id } });
        output.WriteLine($"   bob queued 2 mutations; the todo has the optimistic key {plants.Id}.");
        await bob.Sync.SyncAsync(cancellationToken);
        string plantsKey = bob.ServerKeyOf<Todo>(plants.Id);
        string bobUserKey = bob.ServerKeyOf<User>(bobUser.Id);
        await alice.WaitUntilAsync(() => alice.Sync.Todos.TryGet(plantsKey, out _), "alice sees Bob's todo", cancellationToken);
        output.WriteLine($"   alice sees \"Water the plants\" ({plantsKey}) through the change feed.");

        output.WriteLine();
        output.WriteLine("2. Alice goes offline and keeps working.");
        alice.Sync.SetOnline(false);
        Category work = alice.Sync.Categories.Create(new Category { Name = "Work" });
        Tag urgent = alice.Sync.Tags.Create(new Tag { Name = "urgent" });
        Todo ship = alice.Sync.Todos.Create(new Todo
        {
            Title = "Ship v1",
            CategoryId = work.Id,
            TagIds = [urgent.Id],
            Assignee = new Assignment { UserId = bobUserKey, Collaborators = [] },
        });
        alice.Sync.Todos.Update(ship.Id, new TodoPatch { Title = "Ship v1.0" });
        Todo draft = alice.Sync.Todos.Create(new Todo { Title = "Draft notes" });
        alice.Sync.Todos.Delete(draft.Id);
        alice.Sync.Todos.Update(plantsKey, new TodoPatch { Title = "Water the plants twice" });
        output.WriteLine($"   alice created category Work ({work.Id}), tag urgent ({urgent.Id}) and todo \"Ship v1\" ({ship.Id}) referencing both,");
        output.WriteLine("   renamed it, created and deleted \"Draft notes\" (the two cancel out: nothing will be sent),");
        output.WriteLine("   and renamed Bob's todo to \"Water the plants twice\".");
        output.WriteLine($"   alice's queue ({alice.Sync.PendingCount} mutations, the rename folded into the create):");
        foreach (PendingMutation pending in alice.Sync.GetPending())
        {
            output.WriteLine($"     #{pending.Id} {pending.Kind.ToString().ToLowerInvariant()} {pending.Resource} {pending.Key} ({pending.Status})");
        }

        output.WriteLine();
        output.WriteLine("3. Meanwhile Bob, online, marks the same todo done and renames it.");
        bob.Sync.Todos.Update(plantsKey, new TodoPatch { Completed = true, Title = "Water the plants today" });
        await bob.Sync.SyncAsync(cancellationToken);

        output.WriteLine();
        output.WriteLine("4. Alice reconnects.");
        alice.Sync.SetOnline(true);
        await alice.Sync.SyncAsync(cancellationToken);
        await bob.Sync.SyncAsync(cancellationToken);

        output.WriteLine();
        output.WriteLine("5. Waiting until both clients match the server.");
        var serverState = new ServerState(server);
        bool agree = await ConvergenceCheck.WaitForAgreementAsync(serverState, [alice, bob], TimeSpan.FromSeconds(20), cancellationToken);
        await ConvergenceCheck.PrintAsync(output, serverState, [alice, bob], cancellationToken);
        output.WriteLine();
        output.WriteLine(agree
            ? "Both clients and the server agree. No optimistic key reached the server."
            : "The clients and the server DISAGREE (see above).");
        return agree;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying connection; the temp folder is cleaned by the OS.
        }
    }
}
