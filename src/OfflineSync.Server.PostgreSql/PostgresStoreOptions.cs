using System.Text.RegularExpressions;

namespace OfflineSync.Server.PostgreSql;

/// <summary>Configures the PostgreSQL store of the reference server (<see cref="Microsoft.Extensions.DependencyInjection.PostgresSyncServerOptionsExtensions.UsePostgres"/>).</summary>
public sealed partial class PostgresStoreOptions
{
    /// <summary>Gets or sets the schema that holds the store's tables; created when missing. Instances that share a schema share their data.</summary>
    /// <value>The default is <c>offlinesync</c>. A lower-case SQL identifier: a letter or <c>_</c>, then letters, digits or <c>_</c>, at most 63 characters.</value>
    public string Schema { get; set; } = "offlinesync";

    /// <summary>
    /// Gets or sets how often an instance asks the database for the change-log head besides listening for
    /// notifications: a notification lost (a dropped listening connection) then delays a feed by at most this
    /// long, never loses a change.
    /// </summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        if (!Identifier().IsMatch(Schema ?? ""))
        {
            throw new ArgumentException($"The schema '{Schema}' is not a lower-case SQL identifier (a letter or '_', then letters, digits or '_', at most 63 characters).", nameof(Schema));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
