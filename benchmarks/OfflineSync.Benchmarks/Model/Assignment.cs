namespace OfflineSync.Benchmarks.Model;

/// <summary>A nested non-entity object holding references, walked by the generated visitor.</summary>
public class Assignment
{
    [References(typeof(User))]
    public string? UserId { get; set; }

    [References(typeof(User))]
    public List<string> Collaborators { get; set; } = new();

    public string? Comment { get; set; }
}
