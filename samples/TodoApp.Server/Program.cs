using TodoApp.Server;

// The reference server of the TodoApp sample.
//   dotnet run --project samples/TodoApp.Server -- --urls http://127.0.0.1:5080 --db todo-server.db
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

string database = builder.Configuration["db"] ?? "todo-server.db";
builder.Services.AddOfflineSyncServer(options => options.DatabasePath = database);

WebApplication app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapTodoResources();
app.MapGet("/", () => Results.Text($"OfflineSync TodoApp server: resources categories, todos, tags, users under /sync/ (database {Path.GetFullPath(database)})."));
app.Logger.LogInformation("Serving the TodoApp model from {Database}", Path.GetFullPath(database));
app.Run();
