using OfflineSync.Shared;

namespace OfflineSync.Analyzers.Tests.Rules;

/// <summary>The default resource name rule OSYNC009 compares and the generator uses (one shared source; documented in docs/diagnostics.md#osync009).</summary>
public sealed class ResourceNamesTests
{
    [Theory]
    [InlineData("TodoItem", "todoItems")]
    [InlineData("Category", "categories")]
    [InlineData("Key", "keys")]
    [InlineData("Box", "boxes")]
    [InlineData("Status", "statuses")]
    [InlineData("Match", "matches")]
    [InlineData("Dish", "dishes")]
    [InlineData("Quiz", "quizes")]
    [InlineData("Person", "persons")]
    [InlineData("Todo", "todos")]
    [InlineData("URLLink", "urlLinks")]
    [InlineData("IOItem", "ioItems")]
    public void Default_IsCamelCasePlural(string typeName, string expected) =>
        Assert.Equal(expected, SyncNaming.DefaultResourceName(typeName));
}
