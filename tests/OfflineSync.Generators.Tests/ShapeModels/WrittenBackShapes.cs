using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.Json.Serialization;
using OfflineSync;
using OfflineSync.Generators.Tests.Models;

namespace OfflineSync.Generators.Tests.ShapeModels;

// Shapes written back through generated accessors or replaced when a key changes: read-only
// collections of keys in init properties of a record, and private setters of keys and foreign keys.
// Compiled here only (not part of the snapshots).

/// <summary>A record whose key collections are read-only: a changed key gives the member a new collection.</summary>
[Syncable]
public partial record Playlist
{
    public string Id { get; init; } = "";

    [References(typeof(User))]
    public IReadOnlyList<string> CuratorIds { get; init; } = [];

    [References(typeof(Board))]
    public ImmutableArray<int> BoardIds { get; init; } = [];

    [References(typeof(Project))]
    public IReadOnlyCollection<Guid> ProjectIds { get; init; } = [];

    [References(typeof(Milestone))]
    public IReadOnlyList<long>? MilestoneIds { get; init; }
}

/// <summary>A class that guards its key and foreign keys with private setters; [JsonInclude] lets JSON read them too.</summary>
[Syncable]
public partial class Ledger
{
    public Ledger()
    {
    }

    public Ledger(long id, string? ownerId, IReadOnlyList<string> tagIds)
    {
        Id = id;
        OwnerId = ownerId;
        TagIds = tagIds;
    }

    [JsonInclude]
    public long Id { get; private set; }

    [JsonInclude]
    [References(typeof(User))]
    public string? OwnerId { get; private set; }

    [JsonInclude]
    [References(typeof(Tag))]
    public IReadOnlyList<string> TagIds { get; private set; } = [];

    public Entry Entry { get; set; } = new();
}

/// <summary>A nested type with a private setter, reached from an entity.</summary>
public sealed class Entry
{
    [JsonInclude]
    [References(typeof(User))]
    public string? ApprovedById { get; private set; }

    public void Approve(string userId) => ApprovedById = userId;
}

/// <summary>An integer version behind a private setter: the protocol's versions are integers.</summary>
[Syncable]
public partial class Revisioned
{
    public string Id { get; set; } = "";

    [SyncVersion]
    public long Revision { get; private set; }
}

/// <summary>A nullable integer version in a record.</summary>
[Syncable]
public partial record Counted
{
    public string Id { get; init; } = "";

    [SyncVersion]
    public int? Version { get; init; }
}
