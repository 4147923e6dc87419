using Notes.App;

// The packaged-consumer check: an offline session against a running reference server.
//   Notes.App --server http://127.0.0.1:5080/
// Prints each remapping (optimistic -> server) and exits 0 when the server and a second client see
// every reference resolved to a server key; 1 on any failure, 2 on bad arguments.
if (args is not ["--server", string address] || !Uri.TryCreate(address, UriKind.Absolute, out Uri? server))
{
    Console.Error.WriteLine("usage: Notes.App --server http://127.0.0.1:<port>/");
    return 2;
}

string folder = Directory.CreateTempSubdirectory("notes-app-").FullName;
try
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
    await OfflineSession.RunAsync(server, Path.Combine(folder, "queue.db"), Console.Out, timeout.Token);
    Console.WriteLine($"OK: offline session synced ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}).");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"FAILED: {e}");
    return 1;
}
finally
{
    Directory.Delete(folder, recursive: true);
}
