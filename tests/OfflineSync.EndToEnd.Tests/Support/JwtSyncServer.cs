using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OfflineSync.Server;
using TodoApp.Model;

namespace OfflineSync.EndToEnd.Tests.Support;

/// <summary>
/// The reference server as it is, behind ASP.NET Core's JwtBearer authentication with a locally held signing key, on
/// 127.0.0.1. Token lifetimes are checked against <see cref="Clock"/>, so a test expires every token at the moment it
/// chooses. Every resource requires a signed-in user; <c>categories</c> may be read by any user and written by admins only.
/// </summary>
internal sealed class JwtSyncServer : IAsyncDisposable
{
    private readonly SymmetricSecurityKey _key = new(RandomNumberGenerator.GetBytes(32));
    private WebApplication _app = null!;
    private int _batches;
    private int _refusedBatches;
    private int _expireAtBatch;

    private JwtSyncServer(string directory) => Directory = directory;

    public string Directory { get; }

    public Uri Address { get; private set; } = null!;

    /// <summary>Gets the clock token lifetimes are checked against; it starts at the real time.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);


    /// <summary>Gets how many <c>POST /sync/batch</c> requests were answered 401.</summary>
    public int RefusedBatches => Volatile.Read(ref _refusedBatches);

    public static async Task<JwtSyncServer> StartAsync()
    {
        var server = new JwtSyncServer(System.IO.Directory.CreateTempSubdirectory("offlinesync-jwt-").FullName);
        await server.StartAppAsync();
        return server;
    }

    /// <summary>
    /// Makes every token signed so far expire when the <paramref name="batch"/>-th <c>POST /sync/batch</c> (1, 2, …)
    /// arrives, before it is authenticated: that batch is refused with 401.
    /// </summary>
    public void ExpireEveryTokenWhenBatchArrives(int batch) => Volatile.Write(ref _expireAtBatch, batch);

    /// <summary>Signs a token for <paramref name="user"/> that expires <paramref name="lifetime"/> after <see cref="Clock"/>'s now.</summary>
    public string IssueToken(string user, TimeSpan lifetime, params string[] roles)
    {
        DateTime now = Clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { ["sub"] = user };
        if (roles.Length > 0)
        {
            claims["role"] = roles;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartAppAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = false,
                ValidateAudience = false,
                IssuerSigningKey = _key,
                ValidateLifetime = true,
                LifetimeValidator = (_, expires, _, _) => expires is { } end && end > Clock.GetUtcNow().UtcDateTime,
                NameClaimType = "sub",
                RoleClaimType = "role",
            };
        });
        builder.Services.AddAuthorization();
        builder.Services.AddOfflineSyncServer(o => o.UseSqlite(Path.Combine(Directory, "server.db")));

        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            bool batch = HttpMethods.IsPost(context.Request.Method) && context.Request.Path == "/sync/batch";
            if (batch && Interlocked.Increment(ref _batches) == Volatile.Read(ref _expireAtBatch))
            {
                Clock.Advance(TimeSpan.FromHours(2));
            }

            await next(context);
            if (batch && context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            {
                Interlocked.Increment(ref _refusedBatches);
            }
        });
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapSyncResource<Todo>().RequireAuthorization();
        _app.MapSyncResource<Tag>().RequireAuthorization();
        _app.MapSyncResource<User>().RequireAuthorization();
        _app.MapSyncResource<Category>().RequireAuthorization(policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(static context => context.User.IsInRole("admin") || context.Resource is HttpContext { Request.Method: "GET" }));
        await _app.StartAsync();
        string bound = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Address = new Uri(bound + "/");
    }
}

/// <summary>
/// A signed-in user's tokens, as an app's token cache holds them: the same token until a forced refresh, which signs a
/// new one unless the refresh token was revoked (<see cref="RefreshFails"/>).
/// </summary>
internal sealed class SessionTokens(JwtSyncServer server, string user, params string[] roles) : OfflineSync.Http.ISyncTokenProvider
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private string _token = server.IssueToken(user, Lifetime, roles);
    private int _refreshes;
    private volatile bool _refreshFails;

    /// <summary>Gets or sets whether a forced refresh fails, as with a revoked refresh token.</summary>
    public bool RefreshFails
    {
        get => _refreshFails;
        set => _refreshFails = value;
    }

    /// <summary>Gets how many forced refreshes succeeded.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>The user signed in again: a new token, and refreshes work again.</summary>
    public void SignIn()
    {
        Volatile.Write(ref _token, server.IssueToken(user, Lifetime, roles));
        RefreshFails = false;
    }

    public ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (!forceRefresh)
        {
            return ValueTask.FromResult<string?>(Volatile.Read(ref _token));
        }

        if (RefreshFails)
        {
            return ValueTask.FromException<string?>(new InvalidOperationException("invalid_grant: the refresh token was revoked."));
        }

        Interlocked.Increment(ref _refreshes);
        Volatile.Write(ref _token, server.IssueToken(user, Lifetime, roles));
        return ValueTask.FromResult<string?>(Volatile.Read(ref _token));
    }
}
