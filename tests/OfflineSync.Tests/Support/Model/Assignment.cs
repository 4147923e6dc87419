namespace OfflineSync.Tests.Model;

/// <summary>A nested non-entity object holding references (S12).</summary>
public class Assignment
{
    [References(typeof(User))]
    public string? UserId { get; set; }

    [References(typeof(User))]
    public List<string> Collaborators { get; set; } = new();

    /// <summary>Not a reference: holds look-alike keys in tests (S14).</summary>
    public string? Comment { get; set; }
}
