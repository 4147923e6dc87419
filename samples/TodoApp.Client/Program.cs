using TodoApp.Client;

// The OfflineSync demo. With no arguments it starts the reference server in-process on a free
// 127.0.0.1 port with a temporary SQLite file; `--server http://host:port/` uses a running one.
// Then, without --server, a second part with two signed-in users on a server for signed-in users.
// Exit code 0 when both clients and the server end in the same state and each user saw exactly
// their share, 1 otherwise.
Uri? server = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] is "--server" && i + 1 < args.Length && Uri.TryCreate(args[++i], UriKind.Absolute, out Uri? parsed))
    {
        server = parsed;
    }
    else if (args[i] is "--help" or "-h")
    {
        Console.WriteLine("usage: dotnet run --project samples/TodoApp.Client [-- --server http://127.0.0.1:5080/]");
        return 0;
    }
    else
    {
        Console.Error.WriteLine($"Unknown argument '{args[i]}'. Use --server <absolute URL> or no arguments.");
        return 2;
    }
}

using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
bool agree = await DemoSession.RunAsync(Console.Out, server, timeout.Token);

// Part 2 needs a server for signed-in users; the demo starts its own (a --server may serve anyone).
bool separated = server is not null || await PerUserSession.RunAsync(Console.Out, timeout.Token);
return agree && separated ? 0 : 1;
