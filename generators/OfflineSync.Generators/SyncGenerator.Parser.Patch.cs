using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using OfflineSync.Generators.Model;
using OfflineSync.Shared;

namespace OfflineSync.Generators;

public sealed partial class SyncGenerator
{
    /// <summary>The patch properties and how each is written and read as JSON.</summary>
    internal sealed partial class Parser
    {
        private EquatableArray<PatchPropertyModel> ParsePatchProperties(List<ISymbol> members, KeyModel key, VersionModel? version, string patchName)
        {
            var properties = new List<PatchPropertyModel>();
            foreach (IPropertySymbol property in members.OfType<IPropertySymbol>())
            {
                // The patch mirrors the JSON contract: public get and set (or init), not ignored;
                // a name the patch type already uses is OSYNC009.
                string name = SyncNaming.Identifier(property.Name);
                if (name == key.PropertyName
                    || name == version?.PropertyName
                    || SyncNaming.PatchMembers.Contains(property.Name)
                    || property.Name == patchName
                    || property.DeclaredAccessibility != Accessibility.Public
                    || property.GetMethod is not { DeclaredAccessibility: Accessibility.Public }
                    || property.SetMethod is not { DeclaredAccessibility: Accessibility.Public }
                    || HasAttribute(property, _known.SyncIgnore)
                    || IsJsonIgnored(property)
                    || ContainsErrorType(property.Type)
                    || GetWrite(property) is not { } write)
                {
                    continue;
                }

                (JsonValueKind jsonKind, string readerSuffix, bool nullableValue) = ClassifyJson(property.Type);
                properties.Add(new PatchPropertyModel(
                    name,
                    GetJsonName(property),
                    property.Type.ToDisplayString(s_annotatedTypeName),
                    jsonKind,
                    readerSuffix,
                    nullableValue,
                    IsScalar(property.Type),
                    write));
            }

            return properties.ToEquatableArray();
        }

        private bool IsJsonIgnored(ISymbol property)
        {
            AttributeData? ignore = property.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _known.JsonIgnore));
            if (ignore is null)
            {
                return false;
            }

            // Only JsonIgnoreCondition.Always (1, the default) removes the property from the contract.
            foreach (KeyValuePair<string, TypedConstant> argument in ignore.NamedArguments)
            {
                if (argument.Key == "Condition" && argument.Value.Value is int condition)
                {
                    return condition == 1;
                }
            }

            return true;
        }

        private string GetJsonName(ISymbol property)
        {
            AttributeData? name = property.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _known.JsonPropertyName));
            return name is { ConstructorArguments.Length: 1 } && name.ConstructorArguments[0].Value is string explicitName
                ? explicitName
                : SyncNaming.ToCamelCase(property.Name);
        }

        private (JsonValueKind Kind, string ReaderSuffix, bool NullableValue) ClassifyJson(ITypeSymbol type)
        {
            bool nullableValue = false;
            if (UnwrapNullable(type) is { } underlying)
            {
                type = underlying;
                nullableValue = true;
            }

            (JsonValueKind kind, string suffix) = type.SpecialType switch
            {
                SpecialType.System_String => (JsonValueKind.String, "String"),
                SpecialType.System_Boolean => (JsonValueKind.Boolean, "Boolean"),
                SpecialType.System_Byte => (JsonValueKind.Number, "Byte"),
                SpecialType.System_SByte => (JsonValueKind.Number, "SByte"),
                SpecialType.System_Int16 => (JsonValueKind.Number, "Int16"),
                SpecialType.System_UInt16 => (JsonValueKind.Number, "UInt16"),
                SpecialType.System_Int32 => (JsonValueKind.Number, "Int32"),
                SpecialType.System_UInt32 => (JsonValueKind.Number, "UInt32"),
                SpecialType.System_Int64 => (JsonValueKind.Number, "Int64"),
                SpecialType.System_UInt64 => (JsonValueKind.Number, "UInt64"),
                SpecialType.System_Single => (JsonValueKind.Number, "Single"),
                SpecialType.System_Double => (JsonValueKind.Number, "Double"),
                SpecialType.System_Decimal => (JsonValueKind.Number, "Decimal"),
                SpecialType.System_DateTime => (JsonValueKind.DateTime, "DateTime"),
                _ when SymbolEqualityComparer.Default.Equals(type, _known.Guid) => (JsonValueKind.Guid, "Guid"),
                _ when SymbolEqualityComparer.Default.Equals(type, _known.DateTimeOffset) => (JsonValueKind.DateTimeOffset, "DateTimeOffset"),
                _ => (JsonValueKind.Serializer, string.Empty),
            };

            return (kind, suffix, nullableValue && kind != JsonValueKind.Serializer);
        }

        /// <summary>Whether <c>Diff</c> compares the type by value; everything else is compared by its JSON form.</summary>
        private bool IsScalar(ITypeSymbol type)
        {
            type = UnwrapNullable(type) ?? type;
            if (type.TypeKind == TypeKind.Enum || ClassifyJson(type).Kind != JsonValueKind.Serializer || type.SpecialType == SpecialType.System_Char)
            {
                return true;
            }

            return SymbolEqualityComparer.Default.Equals(type, _known.TimeSpan)
                || SymbolEqualityComparer.Default.Equals(type, _known.DateOnly)
                || SymbolEqualityComparer.Default.Equals(type, _known.TimeOnly);
        }
    }
}
