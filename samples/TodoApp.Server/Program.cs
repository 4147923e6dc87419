using TodoApp.Server;

// The reference server of the TodoApp sample.
//   one instance, one SQLite file:
//     dotnet run --project samples/TodoApp.Server -- --urls http://127.0.0.1:5080 --db todo-server.db
//   several instances over one PostgreSQL database (each its own port, any of them serves any client):
//     dotnet run --project samples/TodoApp.Server -- --urls http://127.0.0.1:5080 --postgres "Host=127.0.0.1;Database=todo;Username=todo"
//     dotnet run --project samples/TodoApp.Server -- --urls http://127.0.0.1:5081 --postgres "Host=127.0.0.1;Database=todo;Username=todo"
//   signed-in users, each with their own todos (bearer tokens signed with a base64 HMAC key of at least 32 bytes):
//     dotnet run --project samples/TodoApp.Server -- --jwt-key <base64 key>
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

string? postgres = builder.Configuration["postgres"];
string database = builder.Configuration["db"] ?? "todo-server.db";
string storage = postgres is null ? $"SQLite file {Path.GetFullPath(database)}" : "PostgreSQL";
string? jwtKey = builder.Configuration["jwt-key"];
if (jwtKey is not null)
{
    builder.Services.AddTodoUsers(Convert.FromBase64String(jwtKey));
}

builder.Services.AddOfflineSyncServer(options =>
{
    if (postgres is null)
    {
        options.UseSqlite(database);
    }
    else
    {
        options.UsePostgres(postgres);
    }
});

WebApplication app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
if (jwtKey is null)
{
    app.MapTodoResources();
}
else
{
    app.UseAuthentication();
    app.UseAuthorization();
    app.MapPerUserTodoResources();
}

app.MapGet("/", () => Results.Text($"OfflineSync TodoApp server: resources categories, todos, tags, users under /sync/ ({storage})."));
app.Logger.LogInformation("Serving the TodoApp model from {Storage}", storage);
app.Run();
