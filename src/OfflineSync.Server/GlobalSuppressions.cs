using System.Diagnostics.CodeAnalysis;

// RS0026 guards against adding an optional parameter to one of several overloads, which can make a call that compiled
// ambiguous. These two differ in their required first parameter (a database path or an options callback), so no call
// can match both.
[assembly: SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter.", Scope = "member", Target = "~M:OfflineSync.Server.SyncServerHost.StartAsync(System.String,System.Action{Microsoft.AspNetCore.Routing.IEndpointRouteBuilder},System.Action{OfflineSync.Server.SyncServerOptions},System.String,System.Threading.CancellationToken)")]
[assembly: SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter.", Scope = "member", Target = "~M:OfflineSync.Server.SyncServerHost.StartAsync(System.Action{OfflineSync.Server.SyncServerOptions},System.Action{Microsoft.AspNetCore.Routing.IEndpointRouteBuilder},System.String,System.Threading.CancellationToken)")]
