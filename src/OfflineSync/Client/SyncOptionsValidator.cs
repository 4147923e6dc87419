using Microsoft.Extensions.Options;

namespace OfflineSync;

/// <summary>
/// Checks <see cref="SyncOptions"/> (and its <see cref="SyncOptions.Retry"/>) against their data annotations and
/// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/> rules. The body is generated at build time,
/// so validation needs no reflection and stays Native AOT safe.
/// </summary>
[OptionsValidator]
internal sealed partial class SyncOptionsValidator : IValidateOptions<SyncOptions>
{
    /// <summary>The validator <see cref="SyncOptions.Validate"/> uses; it holds no state.</summary>
    public static readonly SyncOptionsValidator Instance = new();
}
