using System;
using System.Collections.Generic;
using OfflineSync;

namespace OfflineSync.Generators.Tests.Models;

// The representative model: the four key types, every slot shape, nesting three levels deep,
// a record with init-only references, a recursive tree and a typed client. The tests compile it
// through the generator (as this project's analyzer) and feed the same files to the driver for
// the snapshots.

[Syncable("categories")]
public partial class Category
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    [SyncVersion]
    public string? Version { get; set; }
}

[Syncable]
public partial class User
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}

[Syncable]
public partial class Tag
{
    public string Id { get; set; } = "";

    public string Label { get; set; } = "";
}

[Syncable]
public partial class Project
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";
}

[Syncable]
public partial class Milestone
{
    [SyncKey]
    public long Number { get; set; }

    public DateTimeOffset? DueAt { get; set; }
}

[Syncable]
public partial class Board
{
    public int Id { get; set; }

    public string Title { get; set; } = "";
}

[Syncable("todos")]
public partial class Todo
{
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    public bool Completed { get; set; }

    public int Priority { get; set; }

    public Status Status { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    [SyncVersion]
    public string? Version { get; set; }

    [SyncIgnore]
    public string? LocalNote { get; set; }

    [References(typeof(Category))]
    public string? CategoryId { get; set; }

    [References(typeof(User))]
    public string OwnerId { get; set; } = "";

    [References(typeof(Project))]
    public Guid? ProjectId { get; set; }

    [References(typeof(Milestone))]
    public long? MilestoneId { get; set; }

    [References(typeof(Board))]
    public int BoardId { get; set; }

    [References(typeof(Tag))]
    public List<string> TagIds { get; set; } = new();

    [References(typeof(User))]
    public string[] WatcherIds { get; set; } = [];

    [References(typeof(Project))]
    public IList<Guid> LinkedProjectIds { get; set; } = new List<Guid>();

    [References(typeof(Tag))]
    public HashSet<string> PinnedTagIds { get; set; } = new();

    public Assignment? Assignee { get; set; }

    public List<Checklist> Checklists { get; set; } = new();

    public GeoPin Pin { get; set; }

    public GeoPin? SecondPin { get; set; }

    public List<Reply> Replies { get; set; } = new();

    public Attachment? Attachment { get; set; }

    /// <summary>Holds no reference at any depth: not walked.</summary>
    public Label? Label { get; set; }
}

public enum Status
{
    Open,
    Done,
}

/// <summary>Level 1 of nesting.</summary>
public class Assignment
{
    [References(typeof(User))]
    public string? UserId { get; set; }

    [References(typeof(User))]
    public List<string> Collaborators { get; set; } = new();

    public Review? Review { get; set; }

    /// <summary>Local only, in a nested type: left out of the JSON on both contract paths.</summary>
    [SyncIgnore]
    public string? LocalDraft { get; set; }
}

/// <summary>Level 2 of nesting.</summary>
public sealed record Review
{
    [References(typeof(User))]
    public string ReviewerId { get; set; } = "";

    public ReviewDetails Details { get; set; } = new();
}

/// <summary>Level 3 of nesting.</summary>
public class ReviewDetails
{
    [References(typeof(User))]
    public string[] ApproverIds { get; set; } = [];

    [References(typeof(Milestone))]
    public long MilestoneId { get; set; }
}

public class Checklist
{
    public string Title { get; set; } = "";

    public ChecklistItem[] Items { get; set; } = [];
}

public class ChecklistItem
{
    public string Text { get; set; } = "";

    [References(typeof(User))]
    public string? DoneById { get; set; }
}

/// <summary>A struct: copied, visited and written back when changed.</summary>
public struct GeoPin
{
    [References(typeof(Board))]
    public int BoardId { get; set; }

    public double Latitude { get; set; }
}

/// <summary>A tree of replies: recursive, visited with a depth limit.</summary>
public class Reply
{
    [References(typeof(User))]
    public string AuthorId { get; set; } = "";

#pragma warning disable OSYNC008 // The recursion is the point: the depth-limited visit is under test.
    public List<Reply> Replies { get; set; } = new();
#pragma warning restore OSYNC008
}

/// <summary>A record with init-only references, written through the generated accessors.</summary>
public sealed record Attachment([property: References(typeof(User))] string UploadedById)
{
    [References(typeof(Tag))]
    public string? TagId { get; init; }
}

public class Label
{
    public string Text { get; set; } = "";
}

/// <summary>An entity that is a record with init-only members and references.</summary>
[Syncable]
public partial record Note
{
    public string Id { get; init; } = "";

    public string Text { get; init; } = "";

    [References(typeof(User))]
    public string AuthorId { get; init; } = "";

    [References(typeof(Tag))]
    public List<string> TagIds { get; init; } = new();

    [References(typeof(Board))]
    public int? BoardId { get; init; }
}

[SyncClient]
public partial class TestSync
{
}
