using System.Collections.Generic;
using OfflineSync;
using OfflineSync.Generators.Tests.Models;

namespace OfflineSync.Generators.Tests.ShapeModels;

// The slot shapes the representative model leaves out: nested objects in an IList<T> or a
// HashSet<T> (also of records, equal by value), structs in lists, arrays and ILists, a record struct with init-only members,
// structs inside structs, and fields. Compiled here only (not part of the snapshots).

[Syncable]
public partial class Sprint
{
    public string Id { get; set; } = "";

    [References(typeof(User))]
    public string? OwnerField;

    public Step? StepField;

    public IList<Step> StepIList { get; set; } = new List<Step>();

    public HashSet<Step> StepSet { get; set; } = new();

    public HashSet<Pick> PickSet { get; set; } = new();

    public List<Slot> SlotList { get; set; } = new();

    public Slot[] SlotArray { get; set; } = [];

    public IList<Slot> SlotIList { get; set; } = new List<Slot>();

    public Stamp Stamp { get; set; }

    public Frame Frame { get; set; }
}

public sealed class Step
{
    [References(typeof(User))]
    public string? DoneById { get; set; }
}

/// <summary>Equal by value: in a set, a remapped key changes its hash.</summary>
public sealed record Pick
{
    [References(typeof(User))]
    public string? ById { get; set; }
}

public struct Slot
{
    [References(typeof(Board))]
    public int BoardId { get; set; }
}

/// <summary>A record struct: its init-only key is written through an accessor taking it by ref.</summary>
public readonly record struct Stamp([property: References(typeof(User))] string? ById);

/// <summary>A struct holding a struct: the inner one is copied, visited and written back.</summary>
public struct Frame
{
    public Slot Inner;

    [References(typeof(Project))]
    public System.Guid? ProjectId { get; set; }
}
