namespace OfflineSync.Http;

/// <summary>Configures <see cref="HttpSyncTransport"/>.</summary>
public sealed class HttpSyncTransportOptions
{
    /// <summary>Gets or sets the largest number of mutations sent in one <c>POST /sync/batch</c>; longer batches are split and sent in order.</summary>
    /// <value>The default is 500.</value>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>Gets or sets how many characters of an unexpected answer are quoted in an error message.</summary>
    /// <value>The default is 200.</value>
    public int ErrorExcerptLength { get; set; } = 200;

    internal HttpSyncTransportOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(ErrorExcerptLength, 16, nameof(ErrorExcerptLength));
        return this;
    }
}
