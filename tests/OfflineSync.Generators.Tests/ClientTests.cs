using System.Reflection;
using OfflineSync.Generators.Tests.Models;

namespace OfflineSync.Generators.Tests;

/// <summary>
/// The generated [SyncClient] compiles with a typed set per entity. The engine behind
/// <see cref="ISyncEngine"/> comes from another issue, so the client is inspected, not constructed.
/// </summary>
public sealed class ClientTests
{
    [Fact]
    public void Client_DerivesFromSyncClient_WithAnOptionsConstructor()
    {
        Assert.True(typeof(TestSync).IsSubclassOf(typeof(SyncClient)));
        Assert.NotNull(typeof(TestSync).GetConstructor([typeof(SyncOptions)]));
    }

    [Theory]
    [InlineData("Todos", typeof(Todo))]
    [InlineData("Categories", typeof(Category))]
    [InlineData("Users", typeof(User))]
    [InlineData("Tags", typeof(Tag))]
    [InlineData("Projects", typeof(Project))]
    [InlineData("Milestones", typeof(Milestone))]
    [InlineData("Boards", typeof(Board))]
    [InlineData("Notes", typeof(Note))]
    public void Client_HasOneTypedSetPerEntity_NamedAfterThePlural(string property, Type entity)
    {
        PropertyInfo? set = typeof(TestSync).GetProperty(property);

        Assert.NotNull(set);
        Assert.Null(set.SetMethod);
        Assert.Equal(typeof(SyncSet<>).MakeGenericType(entity), set.PropertyType.BaseType);
        Assert.True(set.PropertyType.IsSealed);
        Assert.NotNull(set.PropertyType.GetConstructor([typeof(ISyncEngine)]));
    }

    [Fact]
    public void Client_StringKeyedSet_AddsTheTypedPatchOverloadOnly()
    {
        Type set = typeof(TestSync.TodoSet);

        Assert.NotNull(set.GetMethod("Update", [typeof(string), typeof(TodoPatch), typeof(string)]));
        Assert.Single(set.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
    }

    [Theory]
    [InlineData(typeof(TestSync.MilestoneSet), typeof(long), typeof(Milestone), typeof(MilestonePatch))]
    [InlineData(typeof(TestSync.BoardSet), typeof(int), typeof(Board), typeof(BoardPatch))]
    [InlineData(typeof(TestSync.ProjectSet), typeof(Guid), typeof(Project), typeof(ProjectPatch))]
    public void Client_NonStringKeyedSet_AddsOverloadsTypedByTheKey(Type set, Type key, Type entity, Type patch)
    {
        Assert.NotNull(set.GetMethod("Update", [typeof(string), patch, typeof(string)]));
        Assert.NotNull(set.GetMethod("Update", [key, patch, typeof(string)]));
        Assert.NotNull(set.GetMethod("Update", [key, typeof(Action<>).MakeGenericType(entity), typeof(string)]));
        Assert.NotNull(set.GetMethod("Delete", [key, typeof(string)]));
        Assert.NotNull(set.GetMethod("TryGet", [key, entity.MakeByRefType()]));
    }
}
