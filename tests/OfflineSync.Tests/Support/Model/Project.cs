namespace OfflineSync.Tests.Model;

/// <summary>A long-keyed entity: optimistic keys are negative numbers from the store's counter (S2).</summary>
[Syncable("projects")]
public partial class Project
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    [References(typeof(User))]
    public string? OwnerId { get; set; }
}
