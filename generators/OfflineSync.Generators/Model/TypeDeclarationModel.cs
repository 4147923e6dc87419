namespace OfflineSync.Generators.Model;

/// <summary>Where and how a partial type is declared, enough to re-open it.</summary>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="Name">The simple name.</param>
/// <param name="Keyword">The declaration keyword: <c>class</c> or <c>record</c>.</param>
/// <param name="Accessibility">The declared accessibility keyword, used for the companion types.</param>
/// <param name="FullyQualifiedName">The <c>global::</c>-qualified name.</param>
/// <param name="ContainingTypes">The enclosing types, outermost first.</param>
internal sealed record TypeDeclarationModel(
    string Namespace,
    string Name,
    string Keyword,
    string Accessibility,
    string FullyQualifiedName,
    EquatableArray<ContainingTypeModel> ContainingTypes)
{
    /// <summary>Gets the stable hint name: <c>Namespace.Outer.Type.Sync.g.cs</c>.</summary>
    public string HintName
    {
        get
        {
            var parts = new System.Collections.Generic.List<string>();
            if (Namespace.Length > 0)
            {
                parts.Add(Namespace);
            }

            foreach (ContainingTypeModel containing in ContainingTypes)
            {
                parts.Add(containing.Name);
            }

            parts.Add(Name);
            return string.Join(".", parts) + ".Sync.g.cs";
        }
    }
}

/// <summary>An enclosing type of a generated partial type.</summary>
/// <param name="Keyword">The declaration keyword (<c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>, <c>interface</c>).</param>
/// <param name="Name">The simple name.</param>
internal sealed record ContainingTypeModel(string Keyword, string Name);
