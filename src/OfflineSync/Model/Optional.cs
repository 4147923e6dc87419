using System.Diagnostics.CodeAnalysis;

namespace OfflineSync;

/// <summary>A value that is either set (possibly to <see langword="null"/>) or not set at all; one per property of a patch.</summary>
/// <typeparam name="T">The property type.</typeparam>
public readonly struct Optional<T> : IEquatable<Optional<T>>
{
    private readonly T _value;

    /// <summary>Creates a set value.</summary>
    public Optional(T value)
    {
        _value = value;
        HasValue = true;
    }

    /// <summary>Gets an unset value.</summary>
    public static Optional<T> Unset => default;

    /// <summary>Gets whether the value is set.</summary>
    public bool HasValue { get; }

    /// <summary>Gets the value.</summary>
    /// <exception cref="InvalidOperationException">The value is not set.</exception>
    public T Value => HasValue ? _value : throw new InvalidOperationException("The optional value is not set; check HasValue first.");

    /// <summary>Gets the value, or <paramref name="fallback"/> when it is not set.</summary>
    public T GetValueOrDefault(T fallback) => HasValue ? _value : fallback;

    /// <summary>Gets the value when it is set.</summary>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return HasValue;
    }

    /// <summary>Creates a set value.</summary>
    public static implicit operator Optional<T>(T value) => new(value);

    /// <inheritdoc/>
    public bool Equals(Optional<T> other) =>
        HasValue == other.HasValue && (!HasValue || EqualityComparer<T>.Default.Equals(_value, other._value));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Optional<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HasValue ? HashCode.Combine(true, _value) : 0;

    /// <summary>Compares two optionals.</summary>
    public static bool operator ==(Optional<T> left, Optional<T> right) => left.Equals(right);

    /// <summary>Compares two optionals.</summary>
    public static bool operator !=(Optional<T> left, Optional<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => HasValue ? _value?.ToString() ?? "null" : "(unset)";
}
