namespace OfflineSync.Generators.Model;

/// <summary>How a patch property is written and read as JSON.</summary>
internal enum JsonValueKind
{
    /// <summary>Through <c>JsonSerializer</c> and the <c>SyncJson</c> contract.</summary>
    Serializer,
    String,
    Boolean,
    Number,
    Guid,
    DateTime,
    DateTimeOffset,
}

/// <summary>One property of a generated patch type.</summary>
/// <param name="Name">The property name as an identifier (<c>@class</c> for a keyword).</param>
/// <param name="JsonName">The JSON name (camelCase or <c>[JsonPropertyName]</c>).</param>
/// <param name="TypeName">The property type, nullable annotations included.</param>
/// <param name="JsonKind">How it is written and read.</param>
/// <param name="ReaderSuffix">For numbers, the <c>Utf8JsonReader.Get…</c> suffix (<c>Int32</c>, <c>Double</c>, …).</param>
/// <param name="IsNullableValueType">Whether it is a <c>Nullable&lt;T&gt;</c> of a directly written value.</param>
/// <param name="IsScalar">Whether <c>Diff</c> compares it with <c>EqualityComparer</c> (otherwise by its JSON form).</param>
/// <param name="Write">How <c>ApplyTo</c> assigns it.</param>
internal sealed record PatchPropertyModel(
    string Name,
    string JsonName,
    string TypeName,
    JsonValueKind JsonKind,
    string ReaderSuffix,
    bool IsNullableValueType,
    bool IsScalar,
    MemberWrite Write)
{
    /// <summary>Gets the name of the static field holding the encoded JSON name.</summary>
    public string JsonNameField => "s_" + Name.TrimStart('@') + "Name";
}
