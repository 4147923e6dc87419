using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OfflineSync.Http;

/// <summary>Configures <see cref="HttpSyncTransport"/>.</summary>
/// <remarks>
/// The transport checks the options when it is made; registered through dependency injection
/// (<c>AddHttpSyncTransport</c>), they are checked when the host starts. Both run the same source-generated validator.
/// </remarks>
public sealed class HttpSyncTransportOptions : IValidatableObject
{
    /// <summary>The default of <see cref="AuthenticationScheme"/>: <c>Bearer</c>.</summary>
    public const string DefaultAuthenticationScheme = "Bearer";

    /// <summary>
    /// Gets or sets the largest number of mutations sent in one <c>POST /sync/batch</c>. A push of more sends the
    /// first ones and answers only those; the engine sends the rest in its next batch, with references to the creates
    /// just confirmed already replaced by their server keys.
    /// </summary>
    /// <value>The default is 500. At least 1.</value>
    [Range(1, int.MaxValue)]
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>Gets or sets how many characters of an unexpected answer are quoted in an error message.</summary>
    /// <value>The default is 200. At least 16.</value>
    [Range(16, int.MaxValue)]
    public int ErrorExcerptLength { get; set; } = 200;

    /// <summary>
    /// Gets or sets how long the change feed may stay silent before the connection is taken for dead
    /// and <c>FollowAsync</c> fails with a <see cref="TimeoutException"/>, so the set reconnects. The
    /// reference server sends a heartbeat comment every 15 seconds while idle; keep this a few times longer
    /// than the server's <c>HeartbeatInterval</c>. <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan FeedIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets the largest answer body the transport reads, in bytes: a push answer, a batch answer or a list
    /// page. A longer answer is not read any further: a push counts it as a transient failure, a list as a failed
    /// request (<see cref="HttpRequestException"/>). It bounds what a broken or hostile server can make the client
    /// hold; raise it when list pages of <c>500</c> rows of yours can be larger. Feed events have their own limit,
    /// <see cref="OfflineSync.Protocol.SyncLimits.MaxEventBytes"/> each, the server's largest row and its envelope.
    /// </summary>
    /// <value>The default is 64 MiB. At least 1,024.</value>
    [Range(1024, int.MaxValue)]
    public int MaxResponseBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Gets or sets the source of the access token sent with every request (<c>Authorization</c>). After a 401 the
    /// transport asks it once for a fresh token and sends the request again; a second 401 makes the client wait with
    /// <see cref="SyncStatus.Unauthorized"/>. Leave it unset when a handler of the <see cref="HttpClient"/> sets the
    /// header (<see cref="SyncTokenHandler"/> or your own): the transport then re-sends once with
    /// <see cref="HttpSyncTransport.RefreshCredentialsOption"/> set, for that handler to renew its token.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the transport sets no <c>Authorization</c> header.</value>
    public ISyncTokenProvider? TokenProvider { get; set; }

    /// <summary>Gets or sets the scheme of the <c>Authorization</c> header that carries <see cref="TokenProvider"/>'s token.</summary>
    /// <value>The default is <see cref="DefaultAuthenticationScheme"/> (<c>Bearer</c>).</value>
    [Required(AllowEmptyStrings = false, ErrorMessage = "HttpSyncTransportOptions.AuthenticationScheme must not be empty; leave it at Bearer unless your server expects another scheme.")]
    public string AuthenticationScheme { get; set; } = DefaultAuthenticationScheme;

    /// <summary>Gets or sets the logger factory of the transport's logs (category <c>OfflineSync.Http</c>): refusals, 401s, batches shortened after a 413.</summary>
    /// <value>The default is <see langword="null"/>: nothing is logged. <c>AddHttpSyncTransport</c> sets the container's.</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets the factory of the transport's <see cref="Meter"/> (<see cref="SyncDiagnostics.HttpMeterName"/>).</summary>
    /// <value>The default is <see langword="null"/>: the transport makes its own meter and disposes it with itself. <c>AddHttpSyncTransport</c> sets the container's.</value>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>Checks the options with the validator DI uses, and returns them.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    internal HttpSyncTransportOptions Validated()
    {
        ValidateOptionsResult result = HttpSyncTransportOptionsValidator.Instance.Validate(null, this);
        return result.Failed ? throw new ArgumentException(result.FailureMessage, "options") : this;
    }

    /// <summary>The rule on <see cref="FeedIdleTimeout"/>, which a range cannot say: the generated validator calls it.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (FeedIdleTimeout <= TimeSpan.Zero && FeedIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            yield return new ValidationResult($"HttpSyncTransportOptions.FeedIdleTimeout must be positive or Timeout.InfiniteTimeSpan but is {FeedIdleTimeout}.", [nameof(FeedIdleTimeout)]);
        }
    }
}

/// <summary>Checks <see cref="HttpSyncTransportOptions"/>; the body is generated at build time (no reflection, Native AOT safe).</summary>
[OptionsValidator]
internal sealed partial class HttpSyncTransportOptionsValidator : IValidateOptions<HttpSyncTransportOptions>
{
    /// <summary>The validator the transport uses; it holds no state.</summary>
    public static readonly HttpSyncTransportOptionsValidator Instance = new();
}
