using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OfflineSync.Http;
using TodoApp.Model;

namespace OfflineSync.Server.Tests.Infrastructure;

/// <summary>
/// Real Kestrel on 127.0.0.1 with JWT bearer authentication (tokens signed here with a symmetric key) over a store of
/// the suite's kind, serving the TodoApp model per user as the sample does: categories and todos owned by their
/// creator, categories also read by the users in <see cref="Category.SharedWith"/>. Hands out raw HTTP clients and
/// real sync clients (<see cref="TodoSync"/> over <see cref="HttpSyncTransport"/>) signed in as a user.
/// </summary>
public sealed class SignedInServer : IAsyncDisposable
{
    private const string Issuer = "offlinesync-tests";
    private readonly SymmetricSecurityKey _key = new(RandomNumberGenerator.GetBytes(32));
    private readonly TestServer.OwnStore _store = new();
    private readonly List<IAsyncDisposable> _clients = [];
    private readonly List<IDisposable> _http = [];
    private WebApplication _app = null!;

    public Uri Address { get; private set; } = null!;

    /// <summary>Starts the server; <paramref name="map"/> maps the resources in place of the sample's per-user mapping.</summary>
    public static async Task<SignedInServer> StartAsync(Action<WebApplication>? map = null)
    {
        var server = new SignedInServer();
        server._app = await LoopbackApp.StartAsync(
            services =>
            {
                services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
                {
                    options.RequireHttpsMetadata = false;
                    options.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidIssuer = Issuer,
                        ValidAudience = Issuer,
                        IssuerSigningKey = server._key,
                        ClockSkew = TimeSpan.Zero,
                    };
                });
                services.AddAuthorization();
                services.AddOfflineSyncServer(server._store.Configure);
            },
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                (map ?? MapPerUser)(app);
            });
        server.Address = LoopbackApp.AddressOf(server._app);
        return server;
    }

    /// <summary>Signs a token for <paramref name="user"/> (its <c>sub</c>) with <paramref name="claims"/>, valid for an hour.</summary>
    public string Token(string user, params Claim[] claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Issuer,
        Subject = new ClaimsIdentity([new Claim("sub", user), .. claims]),
        Expires = DateTime.UtcNow + TimeSpan.FromHours(1),
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
    });

    /// <summary>An HTTP client that sends <paramref name="user"/>'s token, with <paramref name="claims"/>, with every request (none for <see langword="null"/>).</summary>
    public HttpClient HttpFor(string? user, params Claim[] claims)
    {
        HttpMessageHandler handler = user is null ? new HttpClientHandler() : new BearerHandler(Token(user, claims)) { InnerHandler = new HttpClientHandler() };
        var client = new HttpClient(handler) { BaseAddress = Address };
        _http.Add(client);
        return client;
    }

    /// <summary>A device of <paramref name="user"/>: a sync client with a store of its own and client id <paramref name="clientId"/>, signed in through a bearer handler on its transport's HTTP client.</summary>
    public TodoSync Device(string user, string clientId, bool online = true)
    {
        var transport = new HttpSyncTransport(HttpFor(user));
        _http.Add(transport);
        var sync = new TodoSync(new SyncOptions { Transport = transport, Store = new InMemoryMutationStore(), ClientId = clientId });
        sync.SetOnline(online);
        _clients.Add(sync);
        return sync;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IAsyncDisposable client in _clients)
        {
            await client.DisposeAsync();
        }

        _http.ForEach(static h => h.Dispose());
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose();
    }

    /// <summary>The sample's mapping (TodoApp.Server's <c>MapPerUserTodoResources</c>, which the PostgreSQL build of this suite cannot reference).</summary>
    private static void MapPerUser(WebApplication app)
    {
        app.MapSyncResource<Category>().RequireAuthorization().OwnedBy(static user => user.FindFirstValue(ClaimTypes.NameIdentifier)).SharedWith(static c => c.SharedWith);
        app.MapSyncResource<Todo>().RequireAuthorization().OwnedBy(static user => user.FindFirstValue(ClaimTypes.NameIdentifier));
        app.MapSyncResource<Tag>().RequireAuthorization();
        app.MapSyncResource<User>().RequireAuthorization();
    }

    /// <summary>The token hook a client app would put on its transport's <see cref="HttpClient"/>.</summary>
    private sealed class BearerHandler(string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
