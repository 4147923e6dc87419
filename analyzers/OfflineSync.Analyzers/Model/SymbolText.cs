using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OfflineSync.Analyzers.Model;

/// <summary>How symbols are named in messages, and where diagnostics about members point.</summary>
internal static class SymbolText
{
    /// <summary>Types as a reader of the model writes them: <c>Todo</c>, <c>Outer.Todo</c>, <c>List&lt;string&gt;</c>, <c>int?</c>.</summary>
    private static readonly SymbolDisplayFormat MessageFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes
            | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier
            | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    public static string Display(ITypeSymbol type) => type.ToDisplayString(MessageFormat);

    /// <summary>A fully qualified name a code fix can parse back (<c>global::Shop.Category</c>, <c>string</c>).</summary>
    public static string FullyQualified(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    public static ITypeSymbol? TypeOf(ISymbol member) => member switch
    {
        IPropertySymbol property => property.Type,
        IFieldSymbol field => field.Type,
        _ => null,
    };

    /// <summary>The member's name (for a positional record property, the parameter).</summary>
    public static Location NameLocation(ISymbol member) =>
        member.Locations.Length > 0 ? member.Locations[0] : Location.None;

    /// <summary>The member's declared type, so a diagnostic about the type underlines the type.</summary>
    public static Location TypeLocation(ISymbol member, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in member.DeclaringSyntaxReferences)
        {
            TypeSyntax? type = reference.GetSyntax(cancellationToken) switch
            {
                PropertyDeclarationSyntax property => property.Type,
                ParameterSyntax parameter => parameter.Type,
                VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } => declaration.Type,
                _ => null,
            };
            if (type is not null)
            {
                return type.GetLocation();
            }
        }

        return NameLocation(member);
    }

    /// <summary>The attribute as written, e.g. <c>References(typeof(Tag))</c>.</summary>
    public static Location AttributeLocation(AttributeData attribute, ISymbol fallback, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? NameLocation(fallback);
}
