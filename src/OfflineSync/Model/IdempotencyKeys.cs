using System.ComponentModel;
using System.Globalization;

namespace OfflineSync;

/// <summary>
/// The idempotency-key format: <c>{resource}:{kind}:{key}:{clientId}:{clientSequence}</c>, with
/// <c>:r{n}</c> appended for the n-th re-send after a conflict.
/// </summary>
/// <remarks>The generated <c>CreateIdempotencyKey</c> of each entity writes the same format with the resource name inlined.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class IdempotencyKeys
{
    /// <summary>Gets the token of <paramref name="kind"/> in an idempotency key: <c>create</c>, <c>update</c> or <c>delete</c>.</summary>
    public static string KindToken(MutationKind kind) => kind switch
    {
        MutationKind.Create => "create",
        MutationKind.Update => "update",
        MutationKind.Delete => "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown mutation kind."),
    };

    /// <summary>Derives the key of the <paramref name="resend"/>-th re-send (1, 2, …) of a mutation from its original key.</summary>
    public static string ForResend(string original, int resend)
    {
        ArgumentException.ThrowIfNullOrEmpty(original);
        ArgumentOutOfRangeException.ThrowIfLessThan(resend, 1);
        return string.Create(CultureInfo.InvariantCulture, $"{original}:r{resend}");
    }
}
