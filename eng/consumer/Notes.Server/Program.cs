using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Notes.Model;
using OfflineSync.Server;

// The reference server of the packaged-consumer check: the Notes model over a SQLite file, on a free
// loopback port it prints as "listening on <address>". Stops on SIGTERM or Ctrl+C.
//   Notes.Server --db notes-server.db
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
string database = builder.Configuration["db"] ?? "notes-server.db";
builder.Services.AddOfflineSyncServer(options => options.DatabasePath = database);

WebApplication app = builder.Build();
app.MapSyncResource<Notebook>();
app.MapSyncResource<Label>();
app.MapSyncResource<Note>();
await app.StartAsync();
string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
Console.WriteLine($"listening on {address}/");
await app.WaitForShutdownAsync();
