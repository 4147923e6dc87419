using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OfflineSync.Server;
using TodoApp.Model;

namespace TodoApp.Server;

/// <summary>
/// The TodoApp server for signed-in users (docs/security.md): every request carries a bearer token, each user sees
/// their own todos and categories, and the categories they are shared with.
/// </summary>
public static class PerUserTodoServer
{
    /// <summary>The token issuer and audience of the sample's locally signed tokens.</summary>
    public const string Issuer = "todoapp-sample";

    /// <summary>
    /// Validates bearer tokens signed with <paramref name="signingKey"/> (HMAC-SHA256, at least 32 bytes): a sample's
    /// stand-in for an identity provider, whose signing keys the app would load from its metadata instead.
    /// </summary>
    public static IServiceCollection AddTodoUsers(this IServiceCollection services, byte[] signingKey)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.RequireHttpsMetadata = false; // loopback in the sample; a deployment serves TLS
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Issuer,
                IssuerSigningKey = new SymmetricSecurityKey(signingKey),
                ClockSkew = TimeSpan.Zero,
            };
        });
        services.AddAuthorization();
        return services;
    }

    /// <summary>
    /// Maps the four resources for signed-in users: categories and todos belong to the user who creates them
    /// (their <c>sub</c>), a category is also read by the users in its <see cref="Category.SharedWith"/>; tags and
    /// users are shared by everyone signed in.
    /// </summary>
    public static IEndpointRouteBuilder MapPerUserTodoResources(this IEndpointRouteBuilder app)
    {
        app.MapSyncResource<Category>().RequireAuthorization().OwnedBy(UserId).SharedWith(static category => category.SharedWith);
        app.MapSyncResource<Todo>().RequireAuthorization().OwnedBy(UserId);
        app.MapSyncResource<Tag>().RequireAuthorization();
        app.MapSyncResource<User>().RequireAuthorization();
        return app;
    }

    /// <summary>
    /// Starts the server for signed-in users in-process on a free loopback port over a SQLite file; dispose the result
    /// to stop it. The demo's way to run it; <c>--jwt-key</c> is the command line's.
    /// </summary>
    public static async Task<WebApplication> StartAsync(string databasePath, byte[] signingKey, CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddTodoUsers(signingKey);
        builder.Services.AddOfflineSyncServer(o => o.UseSqlite(databasePath));
        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPerUserTodoResources();
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>Gets the address a started server listens on, with a trailing slash.</summary>
    public static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    /// <summary>
    /// Signs a token for <paramref name="userId"/> that the server accepts until <paramref name="expires"/>: the sample's
    /// stand-in for an identity provider's token endpoint.
    /// </summary>
    public static string CreateToken(byte[] signingKey, string userId, DateTimeOffset expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            Subject = new ClaimsIdentity([new Claim("sub", userId)]),
            NotBefore = expires.UtcDateTime.AddHours(-1),
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey), SecurityAlgorithms.HmacSha256),
        });

    /// <summary>The JWT subject: the bearer handler maps <c>sub</c> to <see cref="ClaimTypes.NameIdentifier"/>.</summary>
    private static string? UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");
}
