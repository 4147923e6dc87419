namespace OfflineSync.Tests.Model;

/// <summary>An int-keyed entity that references its own kind: optimistic keys are negative numbers from the store's counter (S2).</summary>
[Syncable("milestones")]
public partial class Milestone
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    [References(typeof(Milestone))]
    public int? DependsOnId { get; set; }

    [References(typeof(Milestone))]
    public List<int> BlockedBy { get; set; } = new();
}
